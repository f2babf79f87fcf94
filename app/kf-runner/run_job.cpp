// SPDX-License-Identifier: MIT
#include "run_job.h"

#include "compile_step.h"
#include "gpu/harness/checker.h"
#include "gpu/harness/cuda_check.h"
#include "gpu/harness/device_buffer.h"
#include "gpu/harness/launcher_library.h"
#include "gpu/harness/timer.h"
#include "timed_size.h"

#include <cmath>
#include <future>
#include <memory>
#include <random>
#include <set>

namespace kf::runner_app {
namespace {

std::shared_future<std::string> ready(const std::string& value) {
    std::promise<std::string> p;
    p.set_value(value);
    return p.get_future().share();
}

// Generous for the slowest naive reference at a large size, short enough that a hung kernel is not a long
// wait.
constexpr double kCheckDeadlineS = 30;

std::uint64_t seedMix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Fresh private seeds per run unless the job asks for reproducible ones (measurement.md 2.2).
class Seeds {
public:
    explicit Seeds(std::optional<std::uint64_t> base) {
        if (base) {
            base_ = *base;
        } else {
            std::random_device rd;
            base_ = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
        }
    }
    std::uint64_t next() { return seedMix(base_ + ++counter_) >> 11; } // < 2^53: exact in JSON readers

private:
    std::uint64_t base_ = 0;
    std::uint64_t counter_ = 0;
};

// The problem's category: the text before the first ':' ("wrong values", "unwritten outputs", ...).
std::string category(const std::string& problem) {
    return problem.substr(0, problem.find(':'));
}

} // namespace

int runCompileJob(const runner::Job& job, const RunnerContext& ctx, EventWriter& out, Watchdog& watchdog) {
    std::string arch = job.options.arch;
    if (arch.empty() && ctx.device) {
        arch = ctx.device->arch();
    }
    if (arch.empty()) {
        const std::string msg = "no GPU to take the architecture from (" + ctx.device_error +
                                "): give options.arch, e.g. \"sm_90a\"";
        out.fail("compile", msg);
        return 1;
    }
    watchdog.stage("compile", 300);
    const auto builds = ctx.builds.valid() ? ctx.builds.get() : compileForJob(job, ready(arch), true);
    watchdog.disarm();
    out.emit("compiled", builds.front().event);
    if (!builds.front().ok) {
        out.done("fail", {"does not compile: " + builds.front().first_error});
        return 1;
    }
    out.done("pass", {});
    return 0;
}

int runRunJob(const runner::Job& job, const RunnerContext& ctx, EventWriter& out, Watchdog& watchdog) {
    if (!ctx.device) {
        const std::string msg = "cannot run kernels: " + ctx.device_error;
        out.fail("job", msg);
        return 1;
    }
    const spec::Spec& spec = *job.spec;
    // The CUDA context takes a few hundred milliseconds to create: do it while nvcc works.
    auto context = std::async(std::launch::async, [] { return cudaFree(nullptr); });
    const std::string arch = job.options.arch.empty() ? ctx.device->arch() : job.options.arch;
    watchdog.stage("compile", 300);
    const auto builds = ctx.builds.valid() ? ctx.builds.get() : compileForJob(job, ready(arch), false);
    watchdog.disarm();
    for (const auto& b : builds) {
        out.emit("compiled", b.event);
    }
    if (const cudaError_t e = context.get(); e != cudaSuccess) {
        const std::string msg = "cannot create a CUDA context: " + gpu::cudaErrorText(e);
        out.fail("load", msg);
        return 1;
    }
    if (!builds[0].ok) {
        out.done("fail", {"does not compile: " + builds[0].first_error});
        return 1;
    }
    for (std::size_t i = 1; i < builds.size(); ++i) {
        if (!builds[i].ok) {
            const std::string msg = "the spec's " + std::string(spec::roleSymbol(builds[i].role)) +
                                    " does not compile: " + builds[i].first_error;
            out.fail("compile", msg);
            return 1;
        }
    }

    watchdog.stage("load", 60);
    std::vector<std::unique_ptr<gpu::LauncherLibrary>> libs;
    try {
        for (const auto& b : builds) {
            libs.push_back(std::make_unique<gpu::LauncherLibrary>(b.so_path, b.role));
        }
    } catch (const std::exception& e) {
        out.fail("load", e.what());
        return 1;
    }
    const gpu::LauncherLibrary& candidate = *libs[0];
    const gpu::LauncherLibrary& reference = *libs[1];
    const gpu::LauncherLibrary& baseline = libs.size() > 2 ? *libs[2] : reference;

    std::vector<std::string> reasons;
    std::set<std::string> reason_kinds;
    std::vector<std::string> flags;
    std::vector<double> speedups;
    bool all_ok = true;
    std::string error_stage;
    try {
        cudaStream_t stream = nullptr;
        KF_CUDA(cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking));
        const gpu::DeviceBuffer flush(2 * static_cast<std::size_t>(ctx.device->l2_bytes));
        TimingContext timing{spec, job.options, *ctx.device, flush, stream, gpu::eventOverheadUs(stream)};
        gpu::Checker checker(spec, candidate, reference, stream);
        Seeds seeds(job.options.seed);
        const auto note = [&](const gpu::CheckOutcome& c) {
            out.emit("checked", c.event);
            if (!c.ok) {
                all_ok = false;
                for (const auto& p : c.problems) {
                    if (reason_kinds.insert(category(p)).second) {
                        reasons.push_back(p);
                    }
                }
            }
            return c.ok;
        };
        bool timed_any = false;
        for (std::size_t i = 0; i < spec.sizes.size(); ++i) {
            const int si = static_cast<int>(i);
            watchdog.stage("check", kCheckDeadlineS, si, "checking kf_launch against kf_reference");
            checker.prepare(i);
            bool size_ok = true;
            const int n_seeds = i == 0 ? 3 : 1;
            for (int k = 0; k < n_seeds; ++k) {
                size_ok = note(checker.checkSeed(seeds.next(), "check", k == 0)) && size_ok;
            }
            if (i == 0) {
                size_ok = note(checker.checkStream(seeds.next(), size_ok)) && size_ok;
            }
            if (!all_ok) {
                continue; // a kernel that was wrong anywhere: its speed means nothing, its checks go on
            }
            const auto rule = stopRule(job.options);
            watchdog.stage("time", 30 + 4 * rule.time_cap_s + 4 * rule.warmup_s, si, "timing");
            checker.fillInputs(seeds.next());
            const TimedSize t = timeSize(timing, i, !timed_any, checker, candidate, baseline);
            timed_any = true;
            out.emit("timed", t.candidate);
            if (!t.baseline.is_null()) {
                out.emit("timed", t.baseline);
            }
            for (const auto& f : t.flags) {
                if (std::find(flags.begin(), flags.end(), f) == flags.end()) {
                    flags.push_back(f);
                }
            }
            if (t.speedup > 0) {
                speedups.push_back(t.speedup);
            }
            watchdog.stage("check", kCheckDeadlineS, si,
                           "checking kf_launch again after timing, on fresh inputs");
            note(checker.checkSeed(seeds.next(), "after-timing", false));
        }
        watchdog.disarm();
        cudaStreamDestroy(stream);
    } catch (const gpu::HarnessError& e) {
        watchdog.disarm();
        out.error(e.stage(), e.what());
        out.done("error", {e.what()}, nullptr, flags);
        return 1;
    } catch (const gpu::CudaError& e) {
        watchdog.disarm();
        out.error("check", e.what());
        out.done("error", {e.what()}, nullptr, flags);
        return 1;
    }
    nlohmann::json headline = nullptr;
    nlohmann::json geomean = nullptr;
    if (!speedups.empty() && all_ok) {
        headline = speedups.front();
        double log_sum = 0;
        for (const double s : speedups) {
            log_sum += std::log(s);
        }
        geomean = std::exp(log_sum / static_cast<double>(speedups.size()));
    }
    out.done(all_ok ? "pass" : "fail", reasons, headline, flags, {{"speedup_geomean", geomean}});
    return all_ok ? 0 : 1;
}

} // namespace kf::runner_app
