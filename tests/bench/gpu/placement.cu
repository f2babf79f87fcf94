// SPDX-License-Identifier: MIT
// Does a memory-bound kernel's time depend on where its buffers land? The softmax gold kernel (headline size,
// 4096 x 8192 fp32) timed cold, as kf-runner timed it before its evict-first passes (read flush of twice the
// L2, its lines discarded, then the call between two events), with y placed GAP MiB after x, for each GAP
// given, rounds interleaved. A question behind tests/bench/gpu/fidelity.py: ncu allocates device memory of
// its own in the process it profiles, so under ncu the harness's buffers land elsewhere.
//   nvcc -O3 -std=c++17 -arch=sm_90a -include cstdint placement.cu resources/specs/softmax-rows-f32.gold.cu
//   ./a.out [--samples N] [--rounds R] GAP_MIB...       (prints one line per gap: median and range, us)
#include "bench_kernels.cuh"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>
#include <string>
#include <vector>

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream);

namespace {

struct Placement {
    std::size_t gap_mib;
    float* x = nullptr;
    void* pad = nullptr;
    float* y = nullptr;
    std::vector<float> us;
};

} // namespace

int main(int argc, char** argv) {
    int samples = 50, rounds = 10;
    std::vector<Placement> configs;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--samples" && i + 1 < argc) {
            samples = std::atoi(argv[++i]);
        } else if (a == "--rounds" && i + 1 < argc) {
            rounds = std::atoi(argv[++i]);
        } else {
            configs.push_back({static_cast<std::size_t>(std::strtoull(argv[i], nullptr, 10))});
        }
    }
    if (configs.empty()) {
        std::fprintf(stderr, "usage: placement [--samples N] [--rounds R] GAP_MIB...\n");
        return 2;
    }
    const int64_t rows = bench::kRows, cols = bench::kCols;
    const std::size_t n = static_cast<std::size_t>(rows * cols), bytes = n * sizeof(float);
    const std::size_t flush_bytes = bench::flushBytes();
    void* flush = nullptr;
    BENCH_CHECK(cudaMalloc(&flush, flush_bytes + 16));
    BENCH_CHECK(cudaMemset(flush, 1, flush_bytes + 16));
    for (auto& c : configs) { // x, then the gap, then y: each config's own allocations, in order
        BENCH_CHECK(cudaMalloc(&c.x, bytes));
        if (c.gap_mib > 0) {
            BENCH_CHECK(cudaMalloc(&c.pad, c.gap_mib << 20));
        }
        BENCH_CHECK(cudaMalloc(&c.y, bytes));
        bench::fillKernel<<<1024, 256>>>(c.x, n, 12345u);
    }
    BENCH_CHECK(cudaDeviceSynchronize());
    cudaStream_t s;
    BENCH_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
    cudaEvent_t a, b;
    BENCH_CHECK(cudaEventCreate(&a));
    BENCH_CHECK(cudaEventCreate(&b));
    const auto sample = [&](Placement& c, bool keep) {
        bench::readFlushKernel<false>
            <<<1056, 512, 0, s>>>(static_cast<const uint4*>(flush), flush_bytes / 16,
                                  reinterpret_cast<unsigned*>(static_cast<char*>(flush) + flush_bytes));
        bench::discardKernel<<<1056, 512, 0, s>>>(static_cast<char*>(flush), flush_bytes / 128);
        BENCH_CHECK(cudaEventRecord(a, s));
        kf_launch(c.x, c.y, rows, cols, s);
        BENCH_CHECK(cudaEventRecord(b, s));
        BENCH_CHECK(cudaEventSynchronize(b));
        float ms = 0;
        BENCH_CHECK(cudaEventElapsedTime(&ms, a, b));
        if (keep) {
            c.us.push_back(ms * 1000.0f);
        }
    };
    for (auto& c : configs) { // warm-up
        for (int i = 0; i < 20; ++i) {
            sample(c, false);
        }
    }
    for (int r = 0; r < rounds; ++r) {
        for (auto& c : configs) {
            for (int i = 0; i < samples; ++i) {
                sample(c, true);
            }
        }
    }
    for (auto& c : configs) {
        std::sort(c.us.begin(), c.us.end());
        std::printf("gap %6zu MiB: median %.2f us, min %.2f, max %.2f (%zu samples, x %p, y %p)\n", c.gap_mib,
                    c.us[c.us.size() / 2], c.us.front(), c.us.back(), c.us.size(), static_cast<void*>(c.x),
                    static_cast<void*>(c.y));
    }
    return 0;
}
