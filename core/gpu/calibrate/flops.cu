// SPDX-License-Identifier: MIT
#include "flops.h"
#include "gpu/calibrate/cuda_check.h"
#include "gpu/calibrate/device_buffer.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace kf::gpu::calibration {
namespace {

constexpr int kThreads = 256;
constexpr int kChains = 8;  // independent FMA chains per thread: four reached only 56.5 of 65.1 TFLOP/s
constexpr int kUnroll = 16; // FMAs per chain per loop trip: loop overhead stays under 2 % of the issue slots

// a = a * b + c on kChains chains. b and c are kernel arguments, so nothing folds at compile time; the result
// feeds a store that runs only if the sum equals `never`, which the caller picks so it cannot happen (the
// chains converge to c / (1 - b) = 1), so every FMA is live and nothing is written.
template <class T>
__global__ void fmaChains(T b, T c, int iters, T never, T* out) {
    T a[kChains];
#pragma unroll
    for (int j = 0; j < kChains; ++j) {
        a[j] = static_cast<T>(threadIdx.x + j) * static_cast<T>(1.0e-3);
    }
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < kUnroll; ++u) {
#pragma unroll
            for (int j = 0; j < kChains; ++j) {
                a[j] = fma(a[j], b, c);
            }
        }
    }
    T sum = 0;
#pragma unroll
    for (int j = 0; j < kChains; ++j) {
        sum += a[j];
    }
    if (sum == never) {
        out[blockIdx.x * blockDim.x + threadIdx.x] = sum;
    }
}

template <class T>
CeilingResult measureFma(const MeasureContext& ctx, const char* name, const char* instruction) {
    int per_sm = 0;
    KF_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, fmaChains<T>, kThreads, 0));
    if (per_sm < 1) {
        throw std::runtime_error(std::string("fmaChains<") + name + "> cannot run with " +
                                 std::to_string(kThreads) + " threads per block");
    }
    const unsigned grid = static_cast<unsigned>(per_sm * ctx.sms);
    const double threads = static_cast<double>(grid) * kThreads;
    DeviceBuffer out(static_cast<std::size_t>(grid) * kThreads * sizeof(T), "the FMA kernel's result");
    const T b = static_cast<T>(1.0 - 1.0 / 1024.0);
    const T c = static_cast<T>(1.0 / 1024.0);
    const T never = static_cast<T>(-12345.0);

    // Size the kernel by a trial run so that one launch takes ~5 ms (2 ms quick) on any GPU.
    int iters = 256;
    auto launch = [&] {
        fmaChains<T><<<grid, kThreads, 0, ctx.stream>>>(b, c, iters, never, out.as<T>());
        KF_CUDA_CHECK_LAUNCH("fmaChains");
    };
    timeOnceMs(ctx, launch); // module load and clock ramp
    const double trial_ms = std::max(timeOnceMs(ctx, launch), 1e-3);
    const double target_ms = ctx.quick ? 2.0 : 5.0;
    iters = static_cast<int>(std::clamp(iters * target_ms / trial_ms, 256.0, 4194304.0));

    ctx.say(std::string(name) + ": " + instruction + " chains, " + std::to_string(grid) + " blocks of " +
            std::to_string(kThreads));
    CeilingResult result;
    Measurement m;
    m.name = std::string(instruction) + ", " + std::to_string(kChains) + " chains per thread";
    m.unit = RateUnit::TFLOPs;
    m.work_per_rep = 2.0 * threads * kChains * kUnroll * static_cast<double>(iters);
    m.params.emplace_back("grid", grid);
    m.params.emplace_back("block", kThreads);
    m.params.emplace_back("chains_per_thread", kChains);
    m.params.emplace_back("fma_per_thread", static_cast<double>(kChains) * kUnroll * iters);
    m.notes.emplace_back("flops_counted", "2 per FMA");
    m.run = timeRepetitions(ctx, launch, ctx.plan.reps);
    result.measurements.push_back(std::move(m));
    result.pick();
    return result;
}

} // namespace

CeilingResult measureFp32(const MeasureContext& ctx) {
    return measureFma<float>(ctx, "FP32", "FFMA");
}

CeilingResult measureFp64(const MeasureContext& ctx) {
    return measureFma<double>(ctx, "FP64", "DFMA");
}

} // namespace kf::gpu::calibration
