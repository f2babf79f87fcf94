// SPDX-License-Identifier: MIT
#include "dram.h"
#include "gpu/calibrate/cuda_check.h"
#include "gpu/calibrate/device_buffer.h"
#include "gpu/calibrate/random_fill.h"

#include <stdexcept>
#include <string>

namespace kf::gpu::calibration {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
constexpr std::size_t kBufferBytes = std::size_t{2} << 30; // 2 GiB: far beyond L2, kernels run for ms
constexpr int kThreads = 256;

// Grid-stride copy with four independent loads in flight per thread before the stores.
__global__ void copyFloat4(const float4* __restrict__ src, float4* __restrict__ dst, std::size_t n) {
    const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
    std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    for (; i + 3 * stride < n; i += 4 * stride) {
        const float4 a = src[i];
        const float4 b = src[i + stride];
        const float4 c = src[i + 2 * stride];
        const float4 d = src[i + 3 * stride];
        dst[i] = a;
        dst[i + stride] = b;
        dst[i + 2 * stride] = c;
        dst[i + 3 * stride] = d;
    }
    for (; i < n; i += stride) {
        dst[i] = src[i];
    }
}

// Sums everything it reads; the store happens only when the sum equals a value the caller passes and the data
// can never produce, so no load is dead code and the kernel writes nothing.
__global__ void readFloat4(const float4* __restrict__ src, std::size_t n, float never, float* out) {
    const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
    std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x;
    float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
    for (; i + 3 * stride < n; i += 4 * stride) {
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const float4 v = src[i + j * stride];
            acc[j] += (v.x + v.y) + (v.z + v.w);
        }
    }
    for (; i < n; i += stride) {
        const float4 v = src[i];
        acc[0] += (v.x + v.y) + (v.z + v.w);
    }
    const float sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    if (sum == never) {
        out[0] = sum;
    }
}

template <class Kernel>
unsigned fullOccupancyGrid(const MeasureContext& ctx, Kernel kernel, const char* name) {
    int per_sm = 0;
    KF_CUDA_CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, kThreads, 0));
    if (per_sm < 1) {
        throw std::runtime_error(std::string("cudaOccupancyMaxActiveBlocksPerMultiprocessor: ") + name +
                                 " cannot run with " + std::to_string(kThreads) + " threads per block");
    }
    return static_cast<unsigned>(per_sm * ctx.sms);
}

// 2 GiB per buffer unless the device has too little free memory; then the largest 256 MiB multiple that fits.
std::size_t bufferBytes(std::string* note) {
    std::size_t free_bytes = 0;
    std::size_t total_bytes = 0;
    KF_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
    const std::size_t reserve = 512 * kMiB;
    if (free_bytes >= 2 * kBufferBytes + reserve) {
        return kBufferBytes;
    }
    const std::size_t fits =
        free_bytes > reserve ? (free_bytes - reserve) / 2 / (256 * kMiB) * (256 * kMiB) : 0;
    if (fits == 0) {
        throw std::runtime_error("DRAM measurement: only " + std::to_string(free_bytes) +
                                 " bytes of device memory free");
    }
    *note = "buffers below 2 GiB (little free memory): the figures may be low";
    return fits;
}

} // namespace

CeilingResult measureDram(const MeasureContext& ctx) {
    std::string size_note;
    const std::size_t bytes = bufferBytes(&size_note);
    const std::size_t n4 = bytes / sizeof(float4);
    DeviceBuffer src(bytes, "the DRAM source buffer");
    DeviceBuffer dst(bytes, "the DRAM destination buffer");
    DeviceBuffer out(sizeof(float), "the read kernel's result");
    fillNormal(src.get(), bytes / sizeof(float), FillType::F32, 0x5EED0001ULL, ctx.stream);
    KF_CUDA_CHECK(cudaMemsetAsync(dst.get(), 0, bytes, ctx.stream));
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));

    const unsigned copy_grid = fullOccupancyGrid(ctx, copyFloat4, "copyFloat4");
    const unsigned read_grid = fullOccupancyGrid(ctx, readFloat4, "readFloat4");
    auto sized = [&](Measurement m) {
        m.params.emplace_back("buffer_bytes", static_cast<double>(bytes));
        if (!size_note.empty()) {
            m.notes.emplace_back("warning", size_note);
        }
        return m;
    };

    CeilingResult result;
    ctx.say("DRAM: cudaMemcpyAsync device-to-device, two " + std::to_string(bytes / kMiB) + " MiB buffers");
    Measurement memcpy_m;
    memcpy_m.name = "cudaMemcpyAsync device-to-device";
    memcpy_m.work_per_rep = 2.0 * static_cast<double>(bytes);
    memcpy_m.notes.emplace_back("bytes_counted", "read + write");
    memcpy_m.run = timeRepetitions(
        ctx,
        [&] {
            KF_CUDA_CHECK(cudaMemcpyAsync(dst.get(), src.get(), bytes, cudaMemcpyDeviceToDevice, ctx.stream));
        },
        ctx.plan.reps);
    result.measurements.push_back(sized(std::move(memcpy_m)));

    ctx.say("DRAM: float4 copy kernel");
    Measurement copy_m;
    copy_m.name = "float4 copy kernel";
    copy_m.work_per_rep = 2.0 * static_cast<double>(bytes);
    copy_m.params.emplace_back("grid", copy_grid);
    copy_m.params.emplace_back("block", kThreads);
    copy_m.notes.emplace_back("bytes_counted", "read + write");
    copy_m.run = timeRepetitions(
        ctx,
        [&] {
            copyFloat4<<<copy_grid, kThreads, 0, ctx.stream>>>(src.as<const float4>(), dst.as<float4>(), n4);
            KF_CUDA_CHECK_LAUNCH("copyFloat4");
        },
        ctx.plan.reps);
    result.measurements.push_back(sized(std::move(copy_m)));

    ctx.say("DRAM: float4 read-only kernel");
    Measurement read_m;
    read_m.name = "float4 read-only kernel";
    read_m.work_per_rep = static_cast<double>(bytes);
    read_m.counts_for_ceiling = false;
    read_m.params.emplace_back("grid", read_grid);
    read_m.params.emplace_back("block", kThreads);
    read_m.notes.emplace_back("bytes_counted", "read");
    read_m.notes.emplace_back("why_not_in_ceiling",
                              "a pure read stream outruns any copy; kernels on the roofline "
                              "read and write, so the ceiling is the best copy");
    read_m.run = timeRepetitions(
        ctx,
        [&] {
            readFloat4<<<read_grid, kThreads, 0, ctx.stream>>>(src.as<const float4>(), n4, -1.0e30f,
                                                               out.as<float>());
            KF_CUDA_CHECK_LAUNCH("readFloat4");
        },
        ctx.plan.reps);
    result.measurements.push_back(sized(std::move(read_m)));

    result.pick();
    return result;
}

} // namespace kf::gpu::calibration
