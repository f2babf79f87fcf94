// SPDX-License-Identifier: MIT
#include "gpu/calibrate/cuda_check.h"
#include "random_fill.h"

#include <cuda_bf16.h>
#include <cuda_fp16.h>

namespace kf::gpu::calibration {
namespace {

// splitmix64: a counter-based generator, so every element is independent of launch shape.
__device__ std::uint64_t mix(std::uint64_t z) {
    z += 0x9E3779B97F4A7C15ULL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

// Box-Muller on two 24-bit uniforms; u1 is kept away from 0 so the log is finite.
__device__ float normalAt(std::uint64_t seed, std::size_t i) {
    const std::uint64_t bits = mix(seed ^ mix(i));
    const float u1 = (static_cast<float>(bits >> 40) + 0.5f) * (1.0f / 16777216.0f);
    const float u2 = static_cast<float>((bits >> 16) & 0xFFFFFFULL) * (1.0f / 16777216.0f);
    return sqrtf(-2.0f * logf(u1)) * cospif(2.0f * u2);
}

template <class T>
__device__ T convert(float v);
template <>
__device__ float convert<float>(float v) {
    return v;
}
template <>
__device__ __nv_bfloat16 convert<__nv_bfloat16>(float v) {
    return __float2bfloat16_rn(v);
}
template <>
__device__ __half convert<__half>(float v) {
    return __float2half_rn(v);
}

template <class T>
__global__ void fillNormalKernel(T* data, std::size_t count, std::uint64_t seed) {
    const std::size_t stride = static_cast<std::size_t>(gridDim.x) * blockDim.x;
    for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < count;
         i += stride) {
        data[i] = convert<T>(normalAt(seed, i));
    }
}

} // namespace

void fillNormal(void* data, std::size_t count, FillType type, std::uint64_t seed, cudaStream_t stream) {
    constexpr int kThreads = 256;
    constexpr std::size_t kMaxBlocks = 65536;
    const std::size_t wanted = (count + kThreads - 1) / kThreads;
    const unsigned blocks =
        static_cast<unsigned>(wanted < kMaxBlocks ? (wanted > 0 ? wanted : 1) : kMaxBlocks);
    switch (type) {
    case FillType::F32:
        fillNormalKernel<<<blocks, kThreads, 0, stream>>>(static_cast<float*>(data), count, seed);
        break;
    case FillType::BF16:
        fillNormalKernel<<<blocks, kThreads, 0, stream>>>(static_cast<__nv_bfloat16*>(data), count, seed);
        break;
    case FillType::F16:
        fillNormalKernel<<<blocks, kThreads, 0, stream>>>(static_cast<__half*>(data), count, seed);
        break;
    }
    KF_CUDA_CHECK_LAUNCH("fillNormalKernel");
}

} // namespace kf::gpu::calibration
