// SPDX-License-Identifier: MIT
#pragma once

#include "proc/command.h"

#include <atomic>
#include <chrono>
#include <cstddef>
#include <future>
#include <memory>
#include <string>
#include <vector>

namespace kf::gpu::compile {

// kf-nvrtc processes started before their requests exist. Each loads NVRTC and compiles a trivial kernel
// while the host pass runs: NVRTC's first compile in a process costs about 0.2 s more than later ones on an
// H100 host (tests/bench/gpu/nvrtc_warmup.cpp). A worker then compiles the one request it is given. Workers
// never given one are stopped; all are reaped by the destructor.
class NvrtcWorkers {
public:
    struct Setup {
        std::string worker;                   // kf-nvrtc
        bool warm_up_first = true;            // false: no warm-up compile (to measure what it saves)
        std::vector<std::string> warm_up;     // NVRTC options of the warm-up compile
        std::vector<std::string> env;         // the workers' whole environment
        std::string cwd;                      // where they run
        std::chrono::milliseconds timeout{0}; // per worker, from its start
    };
    NvrtcWorkers(const Setup& setup, std::size_t count);
    ~NvrtcWorkers();
    NvrtcWorkers(const NvrtcWorkers&) = delete;
    NvrtcWorkers& operator=(const NvrtcWorkers&) = delete;

    std::size_t size() const { return m_workers.size(); }
    // Gives worker k its request (kf-nvrtc's JSON) and waits for it to end; `cancel` (may be null) is looked
    // at every 20 ms and stops every worker. Once per worker.
    proc::CommandResult compile(std::size_t k, std::string request, const std::atomic<bool>* cancel);

private:
    struct Worker {
        std::promise<std::string> input;
        std::future<proc::CommandResult> done;
        bool given = false;
    };
    std::atomic<bool> m_stop{false};
    std::vector<std::unique_ptr<Worker>> m_workers;
};

} // namespace kf::gpu::compile
