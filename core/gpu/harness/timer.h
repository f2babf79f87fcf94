// SPDX-License-Identifier: MIT
#pragma once

#include "kernel_activity.h"
#include "runner/job.h"
#include "runner/stats.h"

#include <cuda_runtime.h>
#include <functional>
#include <string>
#include <vector>

namespace kf::gpu {

// One launcher being timed; the timer fills samples_us and stop.
struct TimedKernel {
    std::string who;                      // "candidate", "baseline"
    std::function<void()> launch;         // enqueues one call on the timing stream
    std::vector<double> samples_us;       // what the stop rule and the statistics use (see `timer`)
    std::vector<double> event_samples_us; // event pair intervals, always
    std::string timer = "events";         // "cupti": samples_us are kernel spans from CUPTI activity records
    runner::StopReason stop = runner::StopReason::None;
    double per_call_s = 0; // wall time of one synchronized call, from the warm-up
    int batch = 1;         // hot mode: launches per event pair
};

struct TimingSetup {
    runner::StopRule rule;
    runner::TimingMode mode = runner::TimingMode::Cold;
    void* flush = nullptr; // cold mode: read through before every sample, outside the timed window
    std::size_t flush_bytes = 0;
    // Cold mode: drop the flush's own lines from L2 after it (discardL2()), meant to leave an L2 holding
    // nothing, as ncu --cache-control all does. On an H200 this brought the softmax, transpose and layernorm
    // gold kernels 0.2-0.4 % closer to ncu (tests/bench/gpu/fidelity.py; KF_TIMER_DISCARD=0 turns it off),
    // but on its own it does not give ncu's state: see demote_passes.
    bool discard_flush = true;
    // Cold mode: evict-first passes over the flush buffer after the flush (demoteL2() says why; 2 per
    // sample, each costing about as much as the flush; KF_TIMER_DEMOTE_PASSES=N sets it, 0 turns them off).
    int demote_passes = 2;
    // Cold mode: GPU idle time between the flush and the timed call; none by default. 2 ms per sample brought
    // the softmax gold kernel another 0.3-0.5 % closer to ncu on an H200: too little for what it costs
    // (KF_TIMER_SETTLE_US).
    double settle_us = 0;
    cudaStream_t stream = nullptr;
    KernelActivity* activity = nullptr; // cold mode: time kernels from CUPTI records where it works
};

// measurement.md 3.1-3.4: warm-up by time, then samples taken round-robin (A/B/A/B) so drift hits every
// kernel alike. Cold: the L2 flush (a read of twice the L2, then the evict-first passes and the discard) is
// enqueued before the start event, and keeps the GPU busy over the next launch's latency. Hot: back-to-back
// launches between one event pair, divided. Throws kf::gpu::CudaError.
void timeInterleaved(std::vector<TimedKernel>& kernels, const TimingSetup& setup);

// Median of 100 empty event pairs on `stream` (recorded, never subtracted).
double eventOverheadUs(cudaStream_t stream);

} // namespace kf::gpu
