// SPDX-License-Identifier: MIT
#include "gpu/calibrate/cuda_check.h"
#include "gpu/calibrate/device_buffer.h"
#include "gpu/calibrate/random_fill.h"
#include "l2.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace kf::gpu::calibration {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr int kThreads = 256;
constexpr int kLoads = 8; // independent loads in flight per thread: one in flight reached only ~4.7 TB/s

// Each thread walks the working set with kLoads cursors a grid-stride apart, advancing each by `step_mod`
// (= kLoads * grid threads, reduced modulo n) and wrapping with one compare: no division in the loop, and the
// working set is any size. Every one of the threads * kLoads * iters loads is a 16-byte L2 read.
__global__ void readL2(const float4* __restrict__ data, unsigned n, unsigned step_mod, int iters, float never,
                       float* out) {
    const unsigned stride = gridDim.x * blockDim.x;
    const unsigned tid = blockIdx.x * blockDim.x + threadIdx.x;
    unsigned cursor[kLoads];
    float acc[kLoads];
#pragma unroll
    for (int j = 0; j < kLoads; ++j) {
        cursor[j] = static_cast<unsigned>(
            (static_cast<unsigned long long>(tid) + static_cast<unsigned long long>(j) * stride) % n);
        acc[j] = 0.0f;
    }
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int j = 0; j < kLoads; ++j) {
            const float4 v = __ldcg(data + cursor[j]);
            acc[j] += (v.x + v.y) + (v.z + v.w);
            cursor[j] += step_mod;
            cursor[j] = cursor[j] >= n ? cursor[j] - n : cursor[j];
        }
    }
    float sum = 0.0f;
#pragma unroll
    for (int j = 0; j < kLoads; ++j) {
        sum += acc[j];
    }
    if (sum == never) { // never true: keeps every load live without writing anything
        out[0] = sum;
    }
}

std::vector<std::size_t> workingSets(std::size_t l2_bytes) {
    std::vector<std::size_t> sets;
    for (std::size_t mib : {4, 8, 16, 24, 32}) {
        if (mib * kMiB * 4 <= l2_bytes * 3) {
            sets.push_back(mib * kMiB);
        }
    }
    if (sets.empty()) { // a small L2: half of it, in whole 64 KiB
        sets.push_back(std::max<std::size_t>(l2_bytes / 2 / 65536 * 65536, 65536));
    }
    return sets;
}

} // namespace

CeilingResult measureL2(const MeasureContext& ctx) {
    int per_sm = 0;
    KF_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, readL2, kThreads, 0));
    if (per_sm < 1) {
        throw std::runtime_error("readL2 cannot run with " + std::to_string(kThreads) + " threads per block");
    }
    const unsigned grid = static_cast<unsigned>(per_sm * ctx.sms);
    const unsigned long long threads = static_cast<unsigned long long>(grid) * kThreads;
    // Bytes read per launch: ~1 ms at 8 TB/s (full), so launch cost is far below 1 %.
    const double bytes_per_launch = ctx.quick ? 4.0e9 : 8.0e9;
    const int iters =
        std::max(1, static_cast<int>(bytes_per_launch / (static_cast<double>(threads) * kLoads * 16.0)));
    const double bytes_read = static_cast<double>(threads) * kLoads * iters * 16.0;

    const std::vector<std::size_t> sets = workingSets(ctx.l2_bytes);
    DeviceBuffer data(sets.back(), "the L2 working set");
    DeviceBuffer out(sizeof(float), "the L2 kernel's result");
    fillNormal(data.get(), sets.back() / sizeof(float), FillType::F32, 0x5EED0002ULL, ctx.stream);
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));

    CeilingResult result;
    for (std::size_t ws : sets) {
        const unsigned n = static_cast<unsigned>(ws / sizeof(float4));
        const unsigned step_mod = static_cast<unsigned>((threads * kLoads) % n);
        ctx.say("L2: " + std::to_string(ws / kMiB) + " MiB working set");
        Measurement m;
        m.name = "__ldcg read, " + std::to_string(ws / kMiB) + " MiB working set";
        if (ws % kMiB != 0) {
            m.name = "__ldcg read, " + std::to_string(ws) + " B working set";
        }
        m.work_per_rep = bytes_read;
        m.params.emplace_back("working_set_bytes", static_cast<double>(ws));
        m.params.emplace_back("l2_bytes", static_cast<double>(ctx.l2_bytes));
        m.params.emplace_back("grid", grid);
        m.params.emplace_back("block", kThreads);
        m.params.emplace_back("loads_in_flight_per_thread", kLoads);
        m.params.emplace_back("passes_over_working_set", bytes_read / static_cast<double>(ws));
        m.notes.emplace_back("bytes_counted", "16 B per __ldcg load executed");
        m.run = timeRepetitions(
            ctx,
            [&] {
                readL2<<<grid, kThreads, 0, ctx.stream>>>(data.as<const float4>(), n, step_mod, iters,
                                                          -1.0e30f, out.as<float>());
                KF_CUDA_CHECK_LAUNCH("readL2");
            },
            ctx.plan.reps);
        result.measurements.push_back(std::move(m));
    }
    result.pick();
    return result;
}

} // namespace kf::gpu::calibration
