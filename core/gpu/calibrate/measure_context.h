// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cuda_runtime_api.h>
#include <functional>
#include <string>

namespace kf::gpu {
class Nvml;
}

namespace kf::gpu::calibration {

// How long each measurement warms up and how many samples it takes.
struct RepPlan {
    double warmup_s = 0.3; // by time, as measurement.md §3.1: absorbs module load, heuristics and clock ramp
    int reps = 50;         // timed repetitions, one event pair each
};

// What every measurement needs: the device, the dedicated stream its work runs on, NVML (or null) and the
// repetition plan.
struct MeasureContext {
    int device = 0;
    int sms = 0;
    std::size_t l2_bytes = 0;
    std::size_t mem_bytes = 0;
    cudaStream_t stream = nullptr;
    const Nvml* nvml = nullptr; // null when NVML is not available: clocks are then not reported
    bool quick = false;
    RepPlan plan;
    std::function<void(const std::string&)> progress;

    void say(const std::string& what) const {
        if (progress) {
            progress(what);
        }
    }
};

} // namespace kf::gpu::calibration
