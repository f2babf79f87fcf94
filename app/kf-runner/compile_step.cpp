// SPDX-License-Identifier: MIT
#include "compile_step.h"

#include "gpu/compile/compile_cache.h"
#include "gpu/compile/compiler.h"
#include "gpu/compile/diagnostic.h"
#include "gpu/harness/launcher_library.h"

#include <cstdlib>
#include <filesystem>
#include <unistd.h>

namespace kf::runner_app {

namespace fs = std::filesystem;

namespace {

// A private directory for this process's libraries: two runners never share a file.
std::string privateOutDir() {
    const fs::path base = fs::temp_directory_path();
    std::string tmpl = (base / "kf-runner-XXXXXX").string();
    if (mkdtemp(tmpl.data()) == nullptr) {
        return base.string();
    }
    return tmpl;
}

// kf-nvrtc beside this executable turns on the fast build; KF_FAST_BUILD=0 turns it off (nvcc only).
std::string nvrtcWorker() {
    if (const char* off = std::getenv("KF_FAST_BUILD"); off != nullptr && std::string(off) == "0") {
        return {};
    }
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    if (ec) {
        return {};
    }
    const fs::path worker = self.parent_path() / "kf-nvrtc";
    return ::access(worker.c_str(), X_OK) == 0 ? worker.string() : std::string();
}

RoleBuild toBuild(spec::Role role, const gpu::compile::CompileResult& r) {
    RoleBuild b;
    b.role = role;
    b.ok = r.ok;
    b.so_path = r.so_path;
    b.event = gpu::compile::compiledEvent(role, r);
    for (const auto& d : r.diagnostics) {
        if (d.severity == "error") {
            b.first_error = gpu::compile::formatDiagnostic(d);
            break;
        }
    }
    if (!r.ok && b.first_error.empty()) {
        b.first_error = r.diagnostics.empty() ? "nvcc failed (see the log)"
                                              : gpu::compile::formatDiagnostic(r.diagnostics.front());
    }
    return b;
}

} // namespace

std::vector<RoleBuild> compileForJob(const runner::Job& job, std::shared_future<std::string> arch,
                                     bool candidate_only) {
    gpu::compile::CompileOptions options;
    options.arch.clear();
    options.later_arch = std::move(arch);
    options.nvcc = job.options.nvcc;
    options.cache_dir =
        job.options.cache_dir ? *job.options.cache_dir : gpu::compile::defaultCompileCacheDir();
    options.out_dir = privateOutDir();
    // The fast build serves the interactive loop. A thorough run backs an acceptance into the dataset, so it
    // times what nvcc builds, as the user will ship it: NVRTC's code can differ a little (1 % on the SGEMM
    // gold kernel on an H200, tests/bench/gpu/build_ab.py).
    // KF_FAST_BUILD=1 uses it for thorough runs too (to compare the two builds: build_ab.py).
    const char* forced = std::getenv("KF_FAST_BUILD");
    if (job.options.budget != runner::Budget::Thorough || (forced != nullptr && std::string(forced) == "1")) {
        options.nvrtc_worker = nvrtcWorker();
    }
    // For tests/bench/gpu/fast_build.py: how many NVRTC workers a role may use, the host PCH off, and the
    // workers' warm-up off.
    if (const char* n = std::getenv("KF_FAST_BUILD_WORKERS"); n != nullptr) {
        options.nvrtc_workers = static_cast<unsigned>(std::strtoul(n, nullptr, 10));
    }
    if (const char* pch = std::getenv("KF_HOST_PCH"); pch != nullptr && std::string(pch) == "0") {
        options.host_pch = false;
    }
    if (const char* warm = std::getenv("KF_NVRTC_WARM_UP"); warm != nullptr && std::string(warm) == "0") {
        options.nvrtc_warm_up = false;
    }
    // Each role gets the call shim through which kf-runner calls it (gpu/harness/launcher_library.h).
    spec::Spec spec = *job.spec;
    const std::string candidate = job.candidate_source + gpu::callShimSource(spec, spec::Role::Candidate);
    std::vector<RoleBuild> builds;
    if (candidate_only) {
        gpu::compile::CompileRequest req{spec, spec::Role::Candidate, candidate, job.candidate_name, options};
        builds.push_back(toBuild(spec::Role::Candidate, gpu::compile::compileRole(req)));
        return builds;
    }
    spec.reference += gpu::callShimSource(spec, spec::Role::Reference);
    if (!spec.baseline.is_reference) {
        spec.baseline.source += gpu::callShimSource(spec, spec::Role::Baseline);
    }
    for (const auto& rc : gpu::compile::compileRoles(spec, candidate, job.candidate_name, options)) {
        builds.push_back(toBuild(rc.role, rc.result));
    }
    return builds;
}

std::future<std::vector<RoleBuild>> startCompile(const runner::Job& job,
                                                 std::shared_future<std::string> device_arch) {
    std::shared_future<std::string> arch = device_arch;
    if (!job.options.arch.empty()) {
        std::promise<std::string> given;
        given.set_value(job.options.arch);
        arch = given.get_future().share();
    }
    return std::async(std::launch::async, [&job, arch] {
        return compileForJob(job, arch, job.kind == runner::JobKind::Compile);
    });
}

} // namespace kf::runner_app
