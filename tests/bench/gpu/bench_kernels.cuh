// SPDX-License-Identifier: MIT
// What the standalone cold-cache benches (placement.cu, cold_state.cu) share: an error check, a seeded fill,
// and the L2 flush and discard that kf-runner's timer enqueues (core/gpu/harness/tensor_ops.cu has the real
// ones; these stay free of kf's headers so a bench builds with nvcc alone).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#define BENCH_CHECK(call)                                                                                    \
    do {                                                                                                     \
        const cudaError_t e = (call);                                                                        \
        if (e != cudaSuccess) {                                                                              \
            std::fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, cudaGetErrorString(e));                  \
            std::exit(1);                                                                                    \
        }                                                                                                    \
    } while (0)

namespace bench {

// The softmax gold kernel's headline size (softmax-rows-f32.kspec.yaml): 4096 rows of 8192 fp32.
constexpr std::int64_t kRows = 4096, kCols = 8192;

// kf-runner's flush buffer: twice the L2 of the current device.
inline std::size_t flushBytes() {
    int dev = 0, l2 = 0;
    BENCH_CHECK(cudaGetDevice(&dev));
    BENCH_CHECK(cudaDeviceGetAttribute(&l2, cudaDevAttrL2CacheSize, dev));
    return 2 * static_cast<std::size_t>(l2);
}

// Values in [-5, 5], a hash of the index and the seed.
__global__ void fillKernel(float* p, std::size_t n, unsigned seed) {
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        unsigned h = static_cast<unsigned>(i) * 2654435761u ^ seed;
        h ^= h >> 15;
        p[i] = static_cast<float>(h % 2001u) / 200.0f - 5.0f;
    }
}

// Reads n 16-byte vectors; EVICT_FIRST: with evict-first loads (__ldcs). sink is written only if the xor of
// everything read equals a constant, so the loads stay.
template <bool EVICT_FIRST>
__global__ void readFlushKernel(const uint4* data, std::size_t n, unsigned* sink) {
    unsigned acc = 0;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const uint4 v = EVICT_FIRST ? __ldcs(data + i) : data[i];
        acc ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (acc == 0x9E3779B9u) {
        *sink = acc;
    }
}

// Drops `lines` 128-byte lines from L2 (discard.global.L2). reversed: block b takes the lines that block
// gridDim.x - 1 - b takes otherwise, so they go through other SMs.
__global__ void discardKernel(char* data, std::size_t lines, bool reversed = false) {
    const std::size_t block = reversed ? gridDim.x - 1 - blockIdx.x : blockIdx.x;
    for (std::size_t i = block * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < lines;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        asm volatile("discard.global.L2 [%0], 128;" ::"l"(data + i * 128) : "memory");
    }
}

} // namespace bench
