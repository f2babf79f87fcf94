// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/calibrate/measure_context.h"
#include "gpu/nvml/clock_sample.h"

#include <functional>
#include <vector>

namespace kf::gpu::calibration {

// The timed repetitions of one measurement and the device's clocks around them.
struct TimedRun {
    std::vector<double> ms; // one per repetition, in the order they ran
    int launches_per_rep = 1;
    double warmup_s = 0.0; // warm-up actually spent (host wall time)
    int warmup_launches = 0;
    bool has_clocks = false; // false without NVML
    ClockSample before;      // sampled before the warm-up
    ClockSample after;       // sampled right after the last repetition finished

    double medianMs() const;
    double bestMs() const; // the shortest repetition
    double maxMs() const;
};

// Warms up by time (ctx.plan.warmup_s, at least two launches), then times `reps` repetitions of
// `launches_per_rep` calls of `launch` each. Every repetition sits between two cudaEvents recorded back to
// back on ctx.stream, so the GPU never idles between them and one launch's host cost hides behind the last
// one's run. `launch` must enqueue its work on ctx.stream and check its own errors. Throws on a CUDA error.
TimedRun timeRepetitions(const MeasureContext& ctx, const std::function<void()>& launch, int reps,
                         int launches_per_rep = 1);

// Host-timed single run of `launch` (synchronized), for sizing a kernel before its measurement.
double timeOnceMs(const MeasureContext& ctx, const std::function<void()>& launch);

} // namespace kf::gpu::calibration
