// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/cuda_split/source_outline.h"
#include "kernel_instances.h"

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace kf::gpu::compile {

// The fast build of one role: its host code compiled by g++, its kernels by NVRTC in parallel worker
// processes (kf-nvrtc, one per group of kernels), linked into one self-contained shared library that
// kf-runner loads like nvcc's. nvcc runs cudafe++, the host compiler over the CUDA headers, cicc and ptxas
// one after another; the fast build spends a tenth of that on the host code and spreads the kernels over the
// cores.
struct FastBuildRequest {
    std::string unit;               // the translation unit (spec::translationUnit)
    std::string unit_name;          // its file name in diagnostics of the prelude
    std::string arch;               // "sm_90a"
    std::vector<std::string> links; // "cublas", "cublasLt"
    std::string cuda_root;          // the toolkit (include/ under it)
    std::string toolkit_lib_dir;    // where libcudart.so is
    std::string worker;             // kf-nvrtc
    std::string host_prelude;       // a precompiled kf_host_prelude.h (fast_host_pch.h); "": none
    std::string work_dir;           // private; the library and intermediates go here
    std::string library;            // the library's path (in work_dir)
    unsigned max_workers = 0;       // at most this many worker processes; 0: one per usable CPU
    bool warm_up_workers = true;    // each worker compiles a trivial kernel while the host code compiles
    std::chrono::milliseconds timeout{std::chrono::seconds(120)};
    const std::atomic<bool>* cancel = nullptr;
};

struct FastBuildOutcome {
    bool built = false;  // the library was written
    std::string why_not; // what stopped the fast build (the caller then runs nvcc): a construct it does not
                         // handle, a g++ or NVRTC error, a missing tool
    std::string log;     // NVRTC's logs (ptxas's resource lines included), then g++'s output
    std::string command; // what ran, for the compiled event
    std::size_t kernels = 0, workers = 0;
    double host_seconds = 0, kernel_seconds = 0, link_seconds = 0; // g++; the NVRTC workers; objcopy and link
};

// The host pass alone: the source split, g++ on the host code, the kernel instances read from its object. It
// needs no arch, so it can start before the device is known (and be stopped through request.cancel).
struct FastHostPass {
    cuda_split::SourceOutline outline;
    std::vector<KernelInstance> instances;
    std::string object; // host.o in the work dir
    std::string command, log;
    double seconds = 0;
    std::string error; // why the fast build cannot go on
};

class NvrtcWorkers;

// What the fast build can do before the arch is known: the host pass, and starting the NVRTC workers, which
// warm up meanwhile. Whatever still runs is stopped when this is destroyed (a cache hit or nvcc needs it no
// more).
class FastBuildStart {
public:
    explicit FastBuildStart(FastBuildRequest request); // request.arch may be empty
    ~FastBuildStart();
    FastBuildStart(const FastBuildStart&) = delete;
    FastBuildStart& operator=(const FastBuildStart&) = delete;

    std::future<FastHostPass>& hostPass() { return m_host_pass; }
    NvrtcWorkers& workers() { return *m_workers; }

private:
    std::atomic<bool> m_stop{false};
    std::future<FastHostPass> m_host_pass;
    std::unique_ptr<NvrtcWorkers> m_workers;
};

// The whole build; with `started`, what a FastBuildStart of the same request (less the arch) has begun.
FastBuildOutcome fastBuild(const FastBuildRequest& request, FastBuildStart* started = nullptr);

// What identifies a fast build besides the translation unit and the toolkit, for the compile cache key.
std::vector<std::string> fastBuildArgv(const FastBuildRequest& request);

} // namespace kf::gpu::compile
