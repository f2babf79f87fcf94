// SPDX-License-Identifier: MIT
// Which cold state does `ncu --cache-control all` give a kernel? The softmax gold kernel (headline size,
// 4096 x 8192 fp32, or a plain stream with --kernel) timed after each of several preambles, rounds
// interleaved, with the clock kf-runner uses (CUPTI kernel records, core/gpu/harness/kernel_activity). Run it
// again under `ncu --cache-control none|all --metrics gpu__time_duration.sum -k regex:softmax` (CUPTI then
// belongs to ncu and the program only launches): the preamble under which ncu's "none" matches its "all", and
// the harness's clock matches ncu, is the cold state to reproduce. A question behind
// tests/bench/gpu/fidelity.py.
//   nvcc -O3 -std=c++17 -arch=sm_90a -include cstdint -Icore -I/usr/local/cuda/extras/CUPTI/include \
//        tests/bench/gpu/cold_state.cu core/gpu/harness/kernel_activity.cpp \
//        resources/specs/softmax-rows-f32.gold.cu -ldl
//   ./a.out [--samples N] [--rounds R] [--kernel K] [--neighbour] PREAMBLE...
// (tests/bench/gpu/cold_state.sh runs the whole study and prints a table.)
// A preamble is steps joined by "+", run in order before every call ("none": no step):
//   read     read twice the L2 of a flush buffer
//   readcs   the same read with evict-first loads (__ldcs)
//   readcsh  the first half of the flush buffer (once the L2) with evict-first loads
//   tailcs   the second half of the flush buffer (what L2 holds after a read) with evict-first loads
//   write    write the flush buffer instead
//   copy     a device-to-device cudaMemcpyAsync of the flush buffer
//   discard  drop the flush buffer's lines (and the copy's) from L2 (discard.global.L2)
//   discardr the same through other SMs (block b takes block gridDim.x - 1 - b's lines)
//   discardy / discardx   drop y's / x's lines (x is clean in L2: its lines are dropped, not lost)
//   sync     the host waits for the GPU, so the call is not queued behind the preamble
//   idle     the host waits, then sleeps 1 ms
// kf-runner's preamble was read+discard; it is now read+readcs+readcs+discard (gpu/harness/tensor_ops.h,
// demoteL2(), has the figures). --neighbour adds a plain copy between two buffers of its own after
// every call, behind the same preamble, as kf-runner interleaves candidate and baseline.
#include "bench_kernels.cuh"
#include "gpu/harness/kernel_activity.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>
#include <string>
#include <thread>
#include <vector>

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream);

namespace {

__global__ void writeFlushKernel(uint4* data, std::size_t n) {
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        data[i] = make_uint4(unsigned(i), 1u, 2u, 3u);
    }
}

// Plain streams over the same buffers, to tell which traffic the cold state changes (--kernel).
template <bool CS>
__global__ void streamCopy(const float4* x, float4* y, std::size_t n) {
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        if (CS) {
            __stcs(y + i, __ldcs(x + i));
        } else {
            y[i] = x[i];
        }
    }
}

template <bool CS>
__global__ void streamWrite(float4* y, std::size_t n) {
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const float4 v = make_float4(float(i), 1.0f, 2.0f, 3.0f);
        if (CS) {
            __stcs(y + i, v);
        } else {
            y[i] = v;
        }
    }
}

__global__ void streamRead(const float4* x, std::size_t n, float* sink) {
    float acc = 0;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const float4 v = x[i];
        acc += v.x + v.y + v.z + v.w;
    }
    if (acc == 1234.5f) {
        *sink = acc;
    }
}

// --neighbour: a plain copy between buffers of its own after every call, each behind its own preamble, as
// kf-runner interleaves candidate and baseline. It leaves evict-normal dirty lines in L2.
__global__ void neighbourCopy(const float4* x, float4* y, std::size_t n) {
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        y[i] = x[i];
    }
}

struct Preamble {
    std::string name;
    std::vector<double> us;
    std::vector<double> preamble_us; // from the end of the kernel before the preamble to the call's start
};

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5)];
}

} // namespace

int main(int argc, char** argv) {
    int samples = 40, rounds = 10;
    std::string kernel = "softmax";
    bool neighbour = false;
    std::vector<Preamble> preambles;
    const std::vector<std::string> steps = {"read",    "readcs",   "readcsh",  "tailcs",   "write", "copy",
                                            "discard", "discardr", "discardy", "discardx", "sync",  "idle"};
    const auto split = [](const std::string& name) {
        std::vector<std::string> out;
        for (std::size_t at = 0; name != "none" && at <= name.size();) {
            const std::size_t plus = std::min(name.find('+', at), name.size());
            out.push_back(name.substr(at, plus - at));
            at = plus + 1;
        }
        return out;
    };
    const auto known = [&](const std::string& name) {
        const auto parts = split(name);
        return std::all_of(parts.begin(), parts.end(), [&](const std::string& p) {
            return std::find(steps.begin(), steps.end(), p) != steps.end();
        });
    };
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--samples" && i + 1 < argc) {
            samples = std::atoi(argv[++i]);
        } else if (a == "--rounds" && i + 1 < argc) {
            rounds = std::atoi(argv[++i]);
        } else if (a == "--neighbour") {
            neighbour = true;
        } else if (a == "--kernel" && i + 1 < argc) {
            kernel = argv[++i];
        } else if (known(a)) {
            preambles.push_back({a, {}});
        } else {
            std::fprintf(stderr, "cold_state: unknown argument %s\n", a.c_str());
            return 2;
        }
    }
    const std::vector<std::string> kernels = {"softmax", "copy", "copycs", "write", "writecs", "read"};
    if (preambles.empty() || samples < 1 || rounds < 1 ||
        std::find(kernels.begin(), kernels.end(), kernel) == kernels.end()) {
        std::fprintf(
            stderr,
            "usage: cold_state [--samples N] [--rounds R] [--kernel softmax|copy|copycs|write|writecs|read] "
            "[--neighbour] PREAMBLE...\n");
        return 2;
    }
    std::string why_not;
    auto activity = kf::gpu::KernelActivity::open(&why_not);
    if (!activity) {
        std::printf("no CUPTI (%s): launching only, for a profiler to time\n", why_not.c_str());
    }

    const int64_t rows = bench::kRows, cols = bench::kCols;
    const std::size_t n = static_cast<std::size_t>(rows * cols), bytes = n * sizeof(float);
    const std::size_t flush_bytes = bench::flushBytes();
    char* flush = nullptr;
    char* copy_dst = nullptr;
    float* x = nullptr;
    float* y = nullptr;
    BENCH_CHECK(cudaMalloc(&flush, flush_bytes + 16));
    BENCH_CHECK(cudaMalloc(&copy_dst, flush_bytes));
    BENCH_CHECK(cudaMalloc(&x, bytes));
    BENCH_CHECK(cudaMalloc(&y, bytes));
    float* x2 = nullptr; // the neighbour's buffers
    float* y2 = nullptr;
    if (neighbour) {
        BENCH_CHECK(cudaMalloc(&x2, bytes));
        BENCH_CHECK(cudaMalloc(&y2, bytes));
        BENCH_CHECK(cudaMemset(x2, 0, bytes));
    }
    BENCH_CHECK(cudaMemset(flush, 1, flush_bytes + 16));
    bench::fillKernel<<<1024, 256>>>(x, n, 12345u);
    BENCH_CHECK(cudaDeviceSynchronize());
    cudaStream_t s;
    BENCH_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));

    const auto readFlush = [&](bool cs = false) {
        if (cs) {
            bench::readFlushKernel<true>
                <<<1056, 512, 0, s>>>(reinterpret_cast<const uint4*>(flush), flush_bytes / 16,
                                      reinterpret_cast<unsigned*>(flush + flush_bytes));
            return;
        }
        bench::readFlushKernel<false><<<1056, 512, 0, s>>>(reinterpret_cast<const uint4*>(flush),
                                                           flush_bytes / 16,
                                                           reinterpret_cast<unsigned*>(flush + flush_bytes));
    };
    const auto preamble = [&](const std::string& name) {
        for (const std::string& step : split(name)) {
            if (step == "read" || step == "readcs") {
                readFlush(step == "readcs");
            } else if (step == "readcsh") {
                bench::readFlushKernel<true>
                    <<<1056, 512, 0, s>>>(reinterpret_cast<const uint4*>(flush), flush_bytes / 32,
                                          reinterpret_cast<unsigned*>(flush + flush_bytes));
            } else if (step == "tailcs") {
                bench::readFlushKernel<true>
                    <<<1056, 512, 0, s>>>(reinterpret_cast<const uint4*>(flush + flush_bytes / 2),
                                          flush_bytes / 32, reinterpret_cast<unsigned*>(flush + flush_bytes));
            } else if (step == "write") {
                writeFlushKernel<<<1056, 512, 0, s>>>(reinterpret_cast<uint4*>(flush), flush_bytes / 16);
            } else if (step == "copy") {
                BENCH_CHECK(cudaMemcpyAsync(copy_dst, flush, flush_bytes, cudaMemcpyDeviceToDevice, s));
            } else if (step == "discard" || step == "discardr") {
                bench::discardKernel<<<1056, 512, 0, s>>>(flush, flush_bytes / 128, step == "discardr");
                bench::discardKernel<<<1056, 512, 0, s>>>(copy_dst, flush_bytes / 128, step == "discardr");
            } else if (step == "discardy" || step == "discardx") {
                bench::discardKernel<<<1056, 512, 0, s>>>(reinterpret_cast<char*>(step == "discardy" ? y : x),
                                                          bytes / 128);
            } else if (step == "sync" || step == "idle") {
                BENCH_CHECK(cudaStreamSynchronize(s));
                if (step == "idle") {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                }
            }
        }
    };
    const auto call = [&] {
        const auto* x4 = reinterpret_cast<const float4*>(x);
        auto* y4 = reinterpret_cast<float4*>(y);
        if (kernel == "softmax") {
            kf_launch(x, y, rows, cols, s);
        } else if (kernel == "copy") {
            streamCopy<false><<<1056, 512, 0, s>>>(x4, y4, n / 4);
        } else if (kernel == "copycs") {
            streamCopy<true><<<1056, 512, 0, s>>>(x4, y4, n / 4);
        } else if (kernel == "write") {
            streamWrite<false><<<1056, 512, 0, s>>>(y4, n / 4);
        } else if (kernel == "writecs") {
            streamWrite<true><<<1056, 512, 0, s>>>(y4, n / 4);
        } else {
            streamRead<<<1056, 512, 0, s>>>(x4, n / 4, reinterpret_cast<float*>(flush + flush_bytes));
        }
    };
    // One sample: the preamble, then the call; its kernels' span is read from CUPTI after the round.
    const auto round = [&](Preamble& p, int count, bool keep) {
        if (activity) {
            activity->enable();
        }
        for (int i = 0; i < count; ++i) {
            preamble(p.name);
            call();
            if (neighbour) {
                preamble(p.name);
                neighbourCopy<<<1056, 512, 0, s>>>(reinterpret_cast<const float4*>(x2),
                                                   reinterpret_cast<float4*>(y2), n / 4);
            }
        }
        BENCH_CHECK(cudaStreamSynchronize(s));
        BENCH_CHECK(cudaGetLastError());
        if (!activity) {
            return;
        }
        std::uint64_t before = 0; // end of the last kernel that was not part of a preamble
        for (const auto& r : activity->collect()) {
            const bool timed =
                r.name.find("softmax") != std::string::npos || r.name.find("stream") != std::string::npos;
            if (keep && timed) {
                p.us.push_back(static_cast<double>(r.end_ns - r.start_ns) / 1e3);
                if (before != 0) {
                    p.preamble_us.push_back(static_cast<double>(r.start_ns - before) / 1e3);
                }
            }
            if (r.name.find("Flush") == std::string::npos && r.name.find("discard") == std::string::npos) {
                before = r.end_ns;
            }
        }
        activity->disable();
    };
    for (auto& p : preambles) {
        round(p, 20, false); // warm-up
    }
    for (int r = 0; r < rounds; ++r) {
        for (auto& p : preambles) {
            round(p, samples, true);
        }
    }
    if (!activity) {
        std::printf("launched %d calls per preamble\n", rounds * samples);
        return 0;
    }
    std::printf("%-14s %10s %8s %8s %8s %8s %12s\n", "preamble", "median us", "p10", "p90", "min", "samples",
                "preamble us");
    for (const auto& p : preambles) {
        if (p.us.empty()) {
            std::printf("%-14s no kernel records\n", p.name.c_str());
            continue;
        }
        std::printf("%-14s %10.2f %8.2f %8.2f %8.2f %8zu %12.1f\n", p.name.c_str(), percentile(p.us, 0.5),
                    percentile(p.us, 0.1), percentile(p.us, 0.9), percentile(p.us, 0.0), p.us.size(),
                    p.preamble_us.empty() ? 0.0 : percentile(p.preamble_us, 0.5));
    }
    return 0;
}
