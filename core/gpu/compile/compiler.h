// SPDX-License-Identifier: MIT
#pragma once

#include "compile_result.h"
#include "spec/launcher.h"
#include "spec/spec.h"

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <vector>

namespace kf::gpu::compile {

// How to compile, the same for every role of a job.
struct CompileOptions {
    std::string arch = "sm_90a"; // nvcc target (the job's options.arch, else the device's)
    // When arch is empty: the arch, once a device query that runs meanwhile has it. The compile starts what
    // needs no arch (the fast build's host pass) before it waits.
    std::shared_future<std::string> later_arch;
    std::string nvcc;      // explicit nvcc; empty: $CUDA_HOME, $CUDA_PATH, PATH, /usr/local/cuda (findNvcc)
    std::string cache_dir; // compile cache; empty: none
    std::string out_dir;   // where libraries are written (kf-runner's private temp dir); empty: $TMPDIR
    // kf-nvrtc: when set, the role is first built with g++ and NVRTC (fast_build.h), and with nvcc only when
    // that fails; empty: nvcc alone.
    std::string nvrtc_worker;
    unsigned nvrtc_workers = 0; // at most this many NVRTC worker processes per role; 0: one per usable CPU
    bool nvrtc_warm_up = true;  // workers start NVRTC while the host code compiles (fast_build.h)
    bool host_pch = true;       // use the precompiled host header beside the worker when it fits
    std::chrono::milliseconds timeout{std::chrono::seconds(120)}; // for nvcc, per role
    const std::atomic<bool>* cancel = nullptr;                    // set => nvcc is killed, the result says so
};

// One role's translation unit: the spec's prelude and prototype, then `source` under the name `source_name`.
struct CompileRequest {
    spec::Spec spec;
    spec::Role role = spec::Role::Candidate;
    std::string source;
    std::string source_name = "kernel.cu"; // what diagnostics call the user's file
    CompileOptions options;
};

// Compiles one role into a shared library: looks the translation unit up in the cache, else writes it into a
// private temporary directory, runs nvcc there (timeout, cancel, secrets kept out of its environment), parses
// diagnostics and kernel resources, moves the library to options.out_dir and stores the result in the cache.
// Never throws for nvcc's faults or the user's: a missing nvcc, a timeout, a crash or a cancel is ok=false
// with a diagnostic that says so.
CompileResult compileRole(const CompileRequest& request);

struct RoleCompile {
    spec::Role role;
    CompileResult result;
};

// Candidate, reference and baseline (when the spec has its own) compiled at once, one nvcc each: they are
// independent, and the slowest alone sets the wall time to a verdict. The reference and baseline are named
// "<spec id>.reference.cu" and "<spec id>.baseline.cu" in diagnostics. Results in that order.
std::vector<RoleCompile> compileRoles(const spec::Spec& spec, const std::string& candidate_source,
                                      const std::string& candidate_name, const CompileOptions& options);

} // namespace kf::gpu::compile
