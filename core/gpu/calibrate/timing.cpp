// SPDX-License-Identifier: MIT
#include "timing.h"

#include "gpu/calibrate/cuda_check.h"
#include "gpu/nvml/nvml_session.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>

namespace kf::gpu::calibration {
namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Events that are destroyed whatever happens.
struct EventChain {
    std::vector<cudaEvent_t> events;
    explicit EventChain(std::size_t n) {
        events.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
            cudaEvent_t e = nullptr;
            KF_CUDA_CHECK(cudaEventCreate(&e));
            events.push_back(e);
        }
    }
    EventChain(const EventChain&) = delete;
    EventChain& operator=(const EventChain&) = delete;
    ~EventChain() {
        for (cudaEvent_t e : events) {
            cudaEventDestroy(e);
        }
    }
};

std::vector<double> sorted(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v;
}

} // namespace

double TimedRun::medianMs() const {
    if (ms.empty()) {
        return 0.0;
    }
    const std::vector<double> s = sorted(ms);
    const std::size_t n = s.size();
    return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
}

double TimedRun::bestMs() const {
    return ms.empty() ? 0.0 : *std::min_element(ms.begin(), ms.end());
}

double TimedRun::maxMs() const {
    return ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end());
}

double timeOnceMs(const MeasureContext& ctx, const std::function<void()>& launch) {
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));
    const auto t0 = Clock::now();
    launch();
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));
    return secondsSince(t0) * 1e3;
}

TimedRun timeRepetitions(const MeasureContext& ctx, const std::function<void()>& launch, int reps,
                         int launches_per_rep) {
    if (reps < 1 || launches_per_rep < 1) {
        throw std::invalid_argument("timeRepetitions: reps and launches_per_rep must be positive");
    }
    TimedRun run;
    run.launches_per_rep = launches_per_rep;
    if (ctx.nvml != nullptr) {
        run.has_clocks = true;
        run.before = ctx.nvml->sample();
    }

    // Warm-up: one synchronized launch tells how many more fill the warm-up time.
    const auto t0 = Clock::now();
    const double one_s = std::max(timeOnceMs(ctx, launch) * 1e-3, 1e-6);
    run.warmup_launches = 1;
    const double remaining_s = ctx.plan.warmup_s - secondsSince(t0);
    const int more = std::clamp(static_cast<int>(std::ceil(remaining_s / one_s)), 1, 100000);
    for (int i = 0; i < more; ++i) {
        launch();
    }
    run.warmup_launches += more;
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));
    run.warmup_s = secondsSince(t0);

    EventChain chain(static_cast<std::size_t>(reps) + 1);
    KF_CUDA_CHECK(cudaEventRecord(chain.events[0], ctx.stream));
    for (int r = 0; r < reps; ++r) {
        for (int l = 0; l < launches_per_rep; ++l) {
            launch();
        }
        KF_CUDA_CHECK(cudaEventRecord(chain.events[static_cast<std::size_t>(r) + 1], ctx.stream));
    }
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));
    if (ctx.nvml != nullptr) {
        run.after = ctx.nvml->sample();
    }
    run.ms.reserve(static_cast<std::size_t>(reps));
    for (std::size_t r = 0; r < static_cast<std::size_t>(reps); ++r) {
        float ms = 0.0f;
        KF_CUDA_CHECK(cudaEventElapsedTime(&ms, chain.events[r], chain.events[r + 1]));
        run.ms.push_back(static_cast<double>(ms));
    }
    return run;
}

} // namespace kf::gpu::calibration
