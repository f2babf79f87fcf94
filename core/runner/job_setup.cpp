// SPDX-License-Identifier: MIT
#include "job_setup.h"

#include "gpu/compile/compile_cache.h"
#include "roofline/ceilings_store.h"
#include "spec/spec_loader.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace kf::runner {

namespace fs = std::filesystem;

std::string findRunner(const std::string& explicit_path) {
    if (!explicit_path.empty()) {
        return explicit_path;
    }
    if (const char* env = std::getenv("KF_RUNNER"); env && *env) {
        return env;
    }
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        for (const fs::path& p : {self.parent_path() / "kf-runner",
                                  self.parent_path().parent_path() / "kf-runner" / "kf-runner"}) {
            if (fs::exists(p, ec) && ::access(p.c_str(), X_OK) == 0) {
                return p.string();
            }
        }
    }
    return "kf-runner";
}

RunnerClientOptions clientOptionsFor(const Job& job, const RunnerPlacement& where) {
    RunnerClientOptions o;
    o.runner = findRunner(where.runner);
    if (!where.ssh_host.empty()) {
        o.ssh_host = where.ssh_host;
        o.runner = where.runner.empty() ? "kf-runner" : where.runner;
    }
    o.sandbox = where.no_sandbox ? RunnerClientOptions::Sandbox::Off : RunnerClientOptions::Sandbox::Auto;
    if (job.options.cache_dir && !job.options.cache_dir->empty()) {
        o.writable_paths.push_back(*job.options.cache_dir);
    }
    return o;
}

void useDefaultCompileCache(Job& job) {
    if (job.options.cache_dir) {
        return;
    }
    const std::string dir = gpu::compile::defaultCompileCacheDir();
    if (dir.empty()) {
        return;
    }
    std::error_code ec;
    fs::create_directories(dir, ec); // it must exist to be bound into the sandbox
    if (!ec) {
        job.options.cache_dir = dir;
    }
}

void attachStoredCeilings(Job& job, const std::string& dir) {
    const auto all = roofline::CeilingsStore(dir).all();
    if (!all.empty()) {
        job.options.ceilings = all.front();
    }
}

std::optional<Job> jobFromSpecText(JobKind kind, std::string_view spec_yaml, const std::string& spec_file,
                                   const std::string& kernel_name, std::string kernel_source,
                                   const JobOptions& options, std::string* error) {
    spec::LoadedSpec loaded = spec::loadSpecText(spec_yaml, spec_file);
    if (!loaded.ok) {
        if (error != nullptr) {
            error->clear();
            for (const auto& d : loaded.diagnostics) {
                if (d.severity == spec::Severity::Error) {
                    *error += (error->empty() ? "" : "\n") + spec::formatDiagnostic(d);
                }
            }
            if (error->empty()) {
                *error = spec_file + ": the spec is not valid";
            }
        }
        return std::nullopt;
    }
    Job job;
    job.kind = kind;
    job.spec = std::move(loaded.spec);
    job.candidate_name = kernel_name;
    job.candidate_source = std::move(kernel_source);
    job.options = options;
    return job;
}

} // namespace kf::runner
