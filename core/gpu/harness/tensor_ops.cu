// SPDX-License-Identifier: MIT
#include "cuda_check.h"
#include "device_buffer.h"
#include "tensor_ops.h"

#include <cmath>
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <vector>

namespace kf::gpu {

namespace {

constexpr int kThreads = 256;
constexpr int kReduceBlocks = 264; // two waves of 132 SMs; partials are reduced on the host in a fixed order

int gridFor(std::size_t n) {
    const std::size_t blocks = (n + kThreads - 1) / kThreads;
    return static_cast<int>(blocks < 4096 ? (blocks == 0 ? 1 : blocks) : 4096);
}

__device__ __forceinline__ std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// (0, 1], never 0, so log() is finite.
__device__ __forceinline__ double unit(std::uint64_t h) {
    return (static_cast<double>(h >> 11) + 1.0) * 0x1.0p-53;
}

template <typename T>
__device__ __forceinline__ T fromDouble(double v) {
    return static_cast<T>(v);
}
template <>
__device__ __forceinline__ __half fromDouble<__half>(double v) {
    return __double2half(v);
}
template <>
__device__ __forceinline__ __nv_bfloat16 fromDouble<__nv_bfloat16>(double v) {
    return __double2bfloat16(v);
}

template <typename T>
__device__ __forceinline__ double toDouble(T v) {
    return static_cast<double>(v);
}
template <>
__device__ __forceinline__ double toDouble<__half>(__half v) {
    return __half2float(v);
}
template <>
__device__ __forceinline__ double toDouble<__nv_bfloat16>(__nv_bfloat16 v) {
    return __bfloat162float(v);
}

template <typename T>
__global__ void fillKernel(T* data, std::size_t n, int normal, double a, double b, std::uint64_t seed,
                           int integer, double lo_clamp, double hi_clamp) {
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const std::uint64_t h1 = splitmix64(seed ^ (2 * i));
        double v;
        if (normal) {
            const std::uint64_t h2 = splitmix64(seed ^ (2 * i + 1));
            v = a + b * sqrt(-2.0 * log(unit(h1))) * cospi(2.0 * unit(h2));
        } else if (integer) {
            const auto span = static_cast<std::uint64_t>(b - a + 1.0);
            v = a + static_cast<double>(h1 % span);
        } else {
            v = a + (b - a) * (unit(h1) - 0x1.0p-53);
        }
        if (integer) {
            v = fmin(fmax(rint(v), lo_clamp), hi_clamp);
        }
        data[i] = fromDouble<T>(v);
    }
}

struct Partial {
    double sum_sq_diff, sum_sq_want, max_abs, max_rel, worst_excess, worst_got, worst_want;
    double sum_got, sum_sq_got, sum_want;
    unsigned long long bad, unwritten, nonfinite, want_unwritten, worst_index, counted_got, counted_want;
};

template <typename Bits>
__device__ __forceinline__ bool allOnes(const void* p, std::size_t i) {
    return static_cast<const Bits*>(p)[i] == static_cast<Bits>(~Bits(0));
}

template <typename T, typename Bits>
__global__ void compareKernel(const T* got, const T* want, std::size_t n, double atol, double rtol,
                              int floating, Partial* out) {
    Partial p{};
    p.worst_excess = -INFINITY;
    p.worst_index = ~0ull;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const bool want_poison = allOnes<Bits>(want, i);
        const bool got_poison = allOnes<Bits>(got, i);
        const double g = toDouble(got[i]);
        const double w = toDouble(want[i]);
        double excess;
        if (got_poison && !want_poison) {
            ++p.unwritten;
            excess = INFINITY;
        } else if (floating && want_poison) {
            ++p.want_unwritten;
            excess = -INFINITY;
        } else if (!isfinite(w) || !isfinite(g)) {
            const bool same = (isnan(w) && isnan(g)) || g == w;
            if (!same) {
                ++p.nonfinite;
            }
            excess = same ? -INFINITY : INFINITY;
        } else {
            const double d = fabs(g - w);
            p.sum_sq_diff += d * d;
            p.sum_sq_want += w * w;
            p.max_abs = fmax(p.max_abs, d);
            if (w != 0.0) {
                p.max_rel = fmax(p.max_rel, d / fabs(w));
            }
            excess = d - (atol + rtol * fabs(w));
            if (excess > 0) {
                ++p.bad;
            }
            p.sum_got += g;
            p.sum_sq_got += g * g;
            ++p.counted_got;
        }
        if (isfinite(w) && !(floating && want_poison)) {
            p.sum_want += w;
            ++p.counted_want;
        }
        if (excess > p.worst_excess || (excess == p.worst_excess && i < p.worst_index)) {
            p.worst_excess = excess;
            p.worst_index = i;
            p.worst_got = g;
            p.worst_want = w;
        }
    }
    // Block reduction in shared memory; one partial per block.
    __shared__ Partial sh[kThreads];
    sh[threadIdx.x] = p;
    __syncthreads();
    for (int s = kThreads / 2; s > 0; s /= 2) {
        if (threadIdx.x < s) {
            Partial& a = sh[threadIdx.x];
            const Partial& b = sh[threadIdx.x + s];
            a.sum_sq_diff += b.sum_sq_diff;
            a.sum_sq_want += b.sum_sq_want;
            a.max_abs = fmax(a.max_abs, b.max_abs);
            a.max_rel = fmax(a.max_rel, b.max_rel);
            a.sum_got += b.sum_got;
            a.sum_sq_got += b.sum_sq_got;
            a.sum_want += b.sum_want;
            a.bad += b.bad;
            a.unwritten += b.unwritten;
            a.nonfinite += b.nonfinite;
            a.want_unwritten += b.want_unwritten;
            a.counted_got += b.counted_got;
            a.counted_want += b.counted_want;
            if (b.worst_excess > a.worst_excess ||
                (b.worst_excess == a.worst_excess && b.worst_index < a.worst_index)) {
                a.worst_excess = b.worst_excess;
                a.worst_index = b.worst_index;
                a.worst_got = b.worst_got;
                a.worst_want = b.worst_want;
            }
        }
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        out[blockIdx.x] = sh[0];
    }
}

template <typename Bits>
__global__ void diffKernel(const Bits* a, const Bits* b, std::size_t n, unsigned long long* count,
                           unsigned long long* first) {
    unsigned long long local = 0;
    unsigned long long first_local = ~0ull;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        if (a[i] != b[i]) {
            ++local;
            first_local = first_local < i ? first_local : i;
        }
    }
    if (local != 0) {
        atomicAdd(count, local);
        atomicMin(first, first_local);
    }
}

template <typename Bits>
__global__ void writtenKernel(const Bits* a, std::size_t n, unsigned long long* count) {
    unsigned long long local = 0;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        local += a[i] != static_cast<Bits>(~Bits(0)) ? 1 : 0;
    }
    if (local != 0) {
        atomicAdd(count, local);
    }
}

template <bool EVICT_FIRST>
__device__ void readThrough(const uint4* data, std::size_t n, unsigned magic, unsigned* sink) {
    unsigned acc = 0;
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        const uint4 v = EVICT_FIRST ? __ldcs(data + i) : data[i];
        acc ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (acc == magic) { // a runtime value: the loads cannot be optimized away
        *sink = acc;
    }
}

// Two kernels, not one template: the timer tells them apart by name in CUPTI's records.
__global__ void flushKernel(const uint4* data, std::size_t n, unsigned magic, unsigned* sink) {
    readThrough<false>(data, n, magic, sink);
}

__global__ void demoteL2Kernel(const uint4* data, std::size_t n, unsigned magic, unsigned* sink) {
    readThrough<true>(data, n, magic, sink);
}

// Drops the lines of `data` from L2 without writing them back (their contents become undefined).
__global__ void discardL2Kernel(char* data, std::size_t lines) {
#if !defined(__CUDA_ARCH__) || __CUDA_ARCH__ >= 800 // discard.global.L2 is sm_80 and later; elsewhere a no-op
    for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < lines;
         i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
        asm volatile("discard.global.L2 [%0], 128;" ::"l"(data + i * 128) : "memory");
    }
#endif
}

// One thread idles for `ns` of GPU time while the rest of the GPU is quiet.
__global__ void settleKernel(unsigned long long ns) {
    unsigned long long t0 = 0, t = 0;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t0));
    do {
        __nanosleep(500);
        asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    } while (t - t0 < ns);
}

template <typename T, typename Bits>
Comparison compareTyped(const void* got, const void* want, std::size_t n, double atol, double rtol,
                        bool floating, cudaStream_t stream) {
    DeviceBuffer partials(sizeof(Partial) * kReduceBlocks);
    compareKernel<T, Bits><<<kReduceBlocks, kThreads, 0, stream>>>(
        static_cast<const T*>(got), static_cast<const T*>(want), n, atol, rtol, floating ? 1 : 0,
        static_cast<Partial*>(partials.get()));
    KF_CUDA(cudaGetLastError());
    std::vector<Partial> host(kReduceBlocks);
    KF_CUDA(cudaMemcpyAsync(host.data(), partials.get(), partials.bytes(), cudaMemcpyDeviceToHost, stream));
    KF_CUDA(cudaStreamSynchronize(stream));
    Comparison c;
    c.n = n;
    double ssd = 0, ssw = 0, sum_got = 0, ss_got = 0, sum_want = 0, worst_excess = -INFINITY;
    unsigned long long counted_got = 0, counted_want = 0;
    std::size_t worst = ~std::size_t(0);
    for (const Partial& p : host) {
        ssd += p.sum_sq_diff;
        ssw += p.sum_sq_want;
        sum_got += p.sum_got;
        ss_got += p.sum_sq_got;
        sum_want += p.sum_want;
        counted_got += p.counted_got;
        counted_want += p.counted_want;
        c.max_abs_err = std::fmax(c.max_abs_err, p.max_abs);
        c.max_rel_err = std::fmax(c.max_rel_err, p.max_rel);
        c.bad += p.bad;
        c.unwritten += p.unwritten;
        c.nonfinite += p.nonfinite;
        c.want_unwritten += p.want_unwritten;
        if (p.worst_index != ~0ull &&
            (p.worst_excess > worst_excess || (p.worst_excess == worst_excess && p.worst_index < worst))) {
            worst_excess = p.worst_excess;
            worst = p.worst_index;
            c.worst_got = p.worst_got;
            c.worst_want = p.worst_want;
        }
    }
    c.rel_l2 = ssw > 0 ? std::sqrt(ssd) / std::sqrt(ssw) : (ssd == 0 ? 0.0 : INFINITY);
    c.has_worst = worst != ~std::size_t(0) && worst_excess > 0;
    c.worst_index = c.has_worst ? worst : 0;
    if (counted_got > 1) {
        const double m = sum_got / static_cast<double>(counted_got);
        c.got_std = std::sqrt(std::fmax(0.0, ss_got / static_cast<double>(counted_got) - m * m));
    }
    if (counted_want > 1) {
        const double m = sum_want / static_cast<double>(counted_want);
        c.want_std = std::sqrt(std::fmax(0.0, ssw / static_cast<double>(counted_want) - m * m));
    }
    return c;
}

template <typename Bits>
std::size_t diffTyped(const void* a, const void* b, std::size_t n, std::size_t* first, cudaStream_t stream) {
    DeviceBuffer counters(2 * sizeof(unsigned long long));
    const unsigned long long init[2] = {0, ~0ull};
    KF_CUDA(cudaMemcpyAsync(counters.get(), init, sizeof init, cudaMemcpyHostToDevice, stream));
    auto* c = static_cast<unsigned long long*>(counters.get());
    diffKernel<Bits><<<gridFor(n), kThreads, 0, stream>>>(static_cast<const Bits*>(a),
                                                          static_cast<const Bits*>(b), n, c, c + 1);
    KF_CUDA(cudaGetLastError());
    unsigned long long host[2];
    KF_CUDA(cudaMemcpyAsync(host, counters.get(), sizeof host, cudaMemcpyDeviceToHost, stream));
    KF_CUDA(cudaStreamSynchronize(stream));
    if (first != nullptr) {
        *first = host[0] != 0 ? static_cast<std::size_t>(host[1]) : 0;
    }
    return static_cast<std::size_t>(host[0]);
}

template <typename Bits>
std::size_t writtenTyped(const void* a, std::size_t n, cudaStream_t stream) {
    DeviceBuffer counter(sizeof(unsigned long long));
    KF_CUDA(cudaMemsetAsync(counter.get(), 0, counter.bytes(), stream));
    writtenKernel<Bits><<<gridFor(n), kThreads, 0, stream>>>(static_cast<const Bits*>(a), n,
                                                             static_cast<unsigned long long*>(counter.get()));
    KF_CUDA(cudaGetLastError());
    unsigned long long host = 0;
    KF_CUDA(cudaMemcpyAsync(&host, counter.get(), sizeof host, cudaMemcpyDeviceToHost, stream));
    KF_CUDA(cudaStreamSynchronize(stream));
    return static_cast<std::size_t>(host);
}

template <typename T>
void fillTyped(void* data, std::size_t n, const spec::InitDist& dist, std::uint64_t seed, bool integer,
               double lo, double hi, cudaStream_t stream) {
    if (n == 0) {
        return;
    }
    double a = dist.a;
    double b = dist.b;
    if (integer && dist.kind == spec::InitDist::Kind::Uniform) {
        a = std::ceil(a);
        b = std::floor(b);
    }
    fillKernel<T><<<gridFor(n), kThreads, 0, stream>>>(static_cast<T*>(data), n,
                                                       dist.kind == spec::InitDist::Kind::Normal ? 1 : 0, a,
                                                       b, seed, integer ? 1 : 0, lo, hi);
    KF_CUDA(cudaGetLastError());
}

} // namespace

void fillTensor(void* data, spec::DType type, std::size_t n, const spec::InitDist& dist, std::uint64_t seed,
                cudaStream_t stream) {
    using spec::DType;
    switch (type) {
    case DType::F64:
        return fillTyped<double>(data, n, dist, seed, false, 0, 0, stream);
    case DType::F32:
        return fillTyped<float>(data, n, dist, seed, false, 0, 0, stream);
    case DType::F16:
        return fillTyped<__half>(data, n, dist, seed, false, 0, 0, stream);
    case DType::BF16:
        return fillTyped<__nv_bfloat16>(data, n, dist, seed, false, 0, 0, stream);
    case DType::I64:
        return fillTyped<long long>(data, n, dist, seed, true, -9.0e15, 9.0e15, stream);
    case DType::I32:
        return fillTyped<int>(data, n, dist, seed, true, -2147483648.0, 2147483647.0, stream);
    case DType::I8:
        return fillTyped<signed char>(data, n, dist, seed, true, -128.0, 127.0, stream);
    case DType::U8:
        return fillTyped<unsigned char>(data, n, dist, seed, true, 0.0, 255.0, stream);
    }
}

namespace {

void readThroughL2(const void* buffer, std::size_t bytes, cudaStream_t stream, bool evict_first) {
    // The last 16 bytes hold the sink; the rest is read.
    const std::size_t n = bytes / sizeof(uint4) - 1;
    auto* sink =
        reinterpret_cast<unsigned*>(static_cast<char*>(const_cast<void*>(buffer)) + n * sizeof(uint4));
    const auto* data = static_cast<const uint4*>(buffer);
    if (evict_first) {
        demoteL2Kernel<<<1056, 512, 0, stream>>>(data, n, 0x9E3779B9u, sink);
    } else {
        flushKernel<<<1056, 512, 0, stream>>>(data, n, 0x9E3779B9u, sink);
    }
    KF_CUDA(cudaGetLastError());
}

} // namespace

void flushL2(const void* buffer, std::size_t bytes, cudaStream_t stream) {
    readThroughL2(buffer, bytes, stream, false);
}

void demoteL2(const void* buffer, std::size_t bytes, cudaStream_t stream) {
    readThroughL2(buffer, bytes, stream, true);
}

void discardL2(void* buffer, std::size_t bytes, cudaStream_t stream) {
    discardL2Kernel<<<1056, 512, 0, stream>>>(static_cast<char*>(buffer), bytes / 128);
    KF_CUDA(cudaGetLastError());
}

void settle(double us, cudaStream_t stream) {
    settleKernel<<<1, 1, 0, stream>>>(static_cast<unsigned long long>(us * 1000.0));
    KF_CUDA(cudaGetLastError());
}

void poison(void* data, std::size_t bytes, cudaStream_t stream) {
    KF_CUDA(cudaMemsetAsync(data, 0xFF, bytes, stream));
}

Comparison compareTensors(const void* got, const void* want, spec::DType type, std::size_t n, double atol,
                          double rtol, cudaStream_t stream) {
    using spec::DType;
    switch (type) {
    case DType::F64:
        return compareTyped<double, unsigned long long>(got, want, n, atol, rtol, true, stream);
    case DType::F32:
        return compareTyped<float, unsigned int>(got, want, n, atol, rtol, true, stream);
    case DType::F16:
        return compareTyped<__half, unsigned short>(got, want, n, atol, rtol, true, stream);
    case DType::BF16:
        return compareTyped<__nv_bfloat16, unsigned short>(got, want, n, atol, rtol, true, stream);
    case DType::I64:
        return compareTyped<long long, unsigned long long>(got, want, n, atol, rtol, false, stream);
    case DType::I32:
        return compareTyped<int, unsigned int>(got, want, n, atol, rtol, false, stream);
    case DType::I8:
        return compareTyped<signed char, unsigned char>(got, want, n, atol, rtol, false, stream);
    case DType::U8:
        return compareTyped<unsigned char, unsigned char>(got, want, n, atol, rtol, false, stream);
    }
    return {};
}

std::size_t countDifferent(const void* a, const void* b, std::size_t n, int elem_bytes, std::size_t* first,
                           cudaStream_t stream) {
    switch (elem_bytes) {
    case 8:
        return diffTyped<unsigned long long>(a, b, n, first, stream);
    case 4:
        return diffTyped<unsigned int>(a, b, n, first, stream);
    case 2:
        return diffTyped<unsigned short>(a, b, n, first, stream);
    default:
        return diffTyped<unsigned char>(a, b, n, first, stream);
    }
}

std::size_t countWritten(const void* data, std::size_t n, int elem_bytes, cudaStream_t stream) {
    switch (elem_bytes) {
    case 8:
        return writtenTyped<unsigned long long>(data, n, stream);
    case 4:
        return writtenTyped<unsigned int>(data, n, stream);
    case 2:
        return writtenTyped<unsigned short>(data, n, stream);
    default:
        return writtenTyped<unsigned char>(data, n, stream);
    }
}

} // namespace kf::gpu
