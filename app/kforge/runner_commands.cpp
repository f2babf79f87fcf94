// SPDX-License-Identifier: MIT
#include "runner_commands.h"

#include "load_spec.h"
#include "output.h"
#include "roofline/ceilings_store.h"
#include "run_recording.h"
#include "run_report.h"
#include "runner/job.h"
#include "runner/job_setup.h"
#include "runner/run_summary.h"
#include "runner/runner_client.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <unistd.h>

namespace kf::cli {

namespace fs = std::filesystem;

namespace {

std::atomic<bool> g_cancel{false};

extern "C" void onRunInterrupt(int) {
    g_cancel.store(true);
}

struct JobFlags {
    std::string spec_path;
    std::string kernel_path;
    std::string kind = "run";
    std::string budget = "interactive";
    std::string mode = "cold";
    std::string arch;
    std::string cache_dir;
    std::optional<std::uint64_t> seed;
    std::optional<int> samples;
    bool no_baseline = false;
};

struct RunFlags {
    JobFlags job;
    bool json = false;
    bool quiet = false;
    std::string runner;
    std::string ssh;
    bool no_sandbox = false;
    std::string db;
    bool no_save = false;
};

void addJobOptions(CLI::App* cmd, JobFlags& f) {
    cmd->add_option("--budget", f.budget,
                    "timing budget: interactive (quick) or thorough (backs an acceptance)")
        ->check(CLI::IsMember({"interactive", "thorough"}));
    cmd->add_option("--mode", f.mode, "cold (L2 flushed before each sample; the default) or hot")
        ->check(CLI::IsMember({"cold", "hot"}));
    cmd->add_option("--arch", f.arch, "nvcc target (default: the GPU's own, e.g. sm_90a)");
    cmd->add_option("--seed", f.seed, "base seed for reproducible inputs (default: fresh private seeds)");
    cmd->add_option("--samples", f.samples, "a fixed number of timed samples instead of the adaptive stop")
        ->check(CLI::Range(3, 100000));
    cmd->add_option("--cache-dir", f.cache_dir, "compile cache directory (\"\" disables it)");
    cmd->add_flag("--no-baseline", f.no_baseline, "time only the candidate");
}

std::optional<std::string> readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A job from the command line's files and flags; nullopt (after saying why on stderr) when they are unusable.
std::optional<runner::Job> buildJob(const JobFlags& f) {
    runner::Job job;
    job.kind = f.kind == "compile"     ? runner::JobKind::Compile
               : f.kind == "calibrate" ? runner::JobKind::Calibrate
                                       : runner::JobKind::Run;
    if (job.kind != runner::JobKind::Calibrate) {
        if (f.spec_path.empty() || f.kernel_path.empty()) {
            std::cerr << "kforge: a " << f.kind << " job needs SPEC and KERNEL.cu\n";
            return std::nullopt;
        }
        auto loaded = loadValidSpec(f.spec_path);
        if (!loaded) {
            return std::nullopt;
        }
        job.spec = loaded->spec;
        const auto source = readFile(f.kernel_path);
        if (!source) {
            std::cerr << "kforge: cannot read " << f.kernel_path << ": " << std::strerror(errno) << "\n";
            return std::nullopt;
        }
        job.candidate_source = *source;
        job.candidate_name = fs::path(f.kernel_path).filename().string();
    }
    auto& o = job.options;
    o.budget = f.budget == "thorough" ? runner::Budget::Thorough : runner::Budget::Interactive;
    o.mode = f.mode == "hot" ? runner::TimingMode::Hot : runner::TimingMode::Cold;
    o.arch = f.arch;
    o.seed = f.seed;
    o.samples = f.samples;
    o.time_baseline = !f.no_baseline;
    if (!f.cache_dir.empty()) {
        o.cache_dir = f.cache_dir;
    }
    return job;
}

runner::RunnerClientOptions clientOptions(const RunFlags& f, const runner::Job& job) {
    return runner::clientOptionsFor(job, {.runner = f.runner, .ssh_host = f.ssh, .no_sandbox = f.no_sandbox});
}

int runThroughRunner(RunFlags& f, runner::Job& job, runner::RunSummary& summary) {
    runner::RunnerClient client(clientOptions(f, job));
    g_cancel.store(false);
    const auto previous = std::signal(SIGINT, onRunInterrupt);
    client.run(
        nlohmann::json(runner::jobToJson(job)),
        [&](const nlohmann::json& ev) {
            summary.add(ev);
            if (f.json) {
                std::cout << ev.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
            } else if (!f.quiet) {
                if (const auto line = progressLine(ev); !line.empty()) {
                    std::cerr << line << "\n";
                }
            }
        },
        &g_cancel);
    std::signal(SIGINT, previous);
    return summary.verdict() == "pass" ? 0 : 1;
}

int doJob(const JobFlags& f) {
    auto job = buildJob(f);
    if (!job) {
        return 1;
    }
    return writeStdout(runner::jobToJson(*job).dump(1) + "\n", 0);
}

int doRun(RunFlags& f) {
    f.job.kind = "run";
    auto job = buildJob(f.job);
    if (!job) {
        return 1;
    }
    runner::useDefaultCompileCache(*job);
    runner::attachStoredCeilings(*job, roofline::CeilingsStore::defaultDir());
    runner::RunSummary summary;
    int status = runThroughRunner(f, *job, summary);
    if (!f.json && writeStdout(renderRunReport(summary), 0) != 0) {
        status = 1;
    }
    if (!f.no_save && !summary.done().is_null() && recordRun(f.db, *job, summary) != 0) {
        status = 1; // said on stderr: the run is not in the dataset
    }
    return status;
}

int doCalibrate(RunFlags& f) {
    f.job.kind = "calibrate";
    auto job = buildJob(f.job);
    runner::RunSummary summary;
    int status = runThroughRunner(f, *job, summary);
    if (summary.ceilings().is_null()) {
        if (!f.json) {
            writeStdout(renderRunReport(summary), 0);
        }
        return 1;
    }
    const roofline::CeilingsStore store(roofline::CeilingsStore::defaultDir());
    if (const auto err = store.save(summary.ceilings()); !err.empty()) {
        std::cerr << "kforge: the ceilings were measured but not stored: " << err << "\n";
        status = 1;
    } else if (!f.quiet) {
        std::cerr << "kforge: ceilings stored in " << store.dir() << "\n";
    }
    if (!f.json && writeStdout(renderCeilings(summary.ceilings()), 0) != 0) {
        status = 1;
    }
    return status;
}

void addRunnerOptions(CLI::App* cmd, RunFlags& f) {
    cmd->add_flag("--json", f.json, "print the runner's events (JSON lines) instead of the table");
    cmd->add_flag("-q,--quiet", f.quiet, "no progress lines on stderr");
    cmd->add_option("--runner", f.runner,
                    "the kf-runner executable (default: beside kforge, $KF_RUNNER, PATH)");
    cmd->add_option("--ssh", f.ssh,
                    "run kf-runner on HOST over ssh (it must be on HOST's PATH or given by --runner)");
    cmd->add_flag("--no-sandbox", f.no_sandbox,
                  "do not wrap kf-runner in bubblewrap even where it is installed");
}

} // namespace

void addRunnerCommands(CLI::App& app, int& exit_code) {
    static JobFlags job_flags;
    auto* job = app.add_subcommand("job", "write a self-contained kf-runner job (JSON) to stdout");
    job->add_option("spec", job_flags.spec_path, "the spec (*.kspec.yaml)");
    job->add_option("kernel", job_flags.kernel_path, "the candidate (CUDA C++ defining kf_launch)");
    job->add_option("--kind", job_flags.kind,
                    "run (compile, check, time), compile (no GPU needed) or calibrate")
        ->check(CLI::IsMember({"run", "compile", "calibrate"}));
    addJobOptions(job, job_flags);
    job->callback([&exit_code] { exit_code = doJob(job_flags); });

    static RunFlags run_flags;
    auto* run = app.add_subcommand("run", "compile, check and time a kernel on the GPU through kf-runner");
    run->add_option("spec", run_flags.job.spec_path, "the spec (*.kspec.yaml)")->required();
    run->add_option("kernel", run_flags.job.kernel_path, "the candidate (CUDA C++ defining kf_launch)")
        ->required();
    addJobOptions(run, run_flags.job);
    addRunnerOptions(run, run_flags);
    run->add_option("--db", run_flags.db, "dataset database (default: the XDG data directory)");
    run->add_flag("--no-save", run_flags.no_save, "do not record the run in the dataset");
    run->footer("Exit status: 0 only when the verdict is pass.");
    run->callback([&exit_code] { exit_code = doRun(run_flags); });

    static RunFlags cal_flags;
    auto* cal = app.add_subcommand("calibrate", "measure this GPU's ceilings (the roofline) and store them");
    addRunnerOptions(cal, cal_flags);
    cal->callback([&exit_code] { exit_code = doCalibrate(cal_flags); });
}

} // namespace kf::cli
