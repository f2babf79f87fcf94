// Bias + exact (erf) GELU, bf16 in/out: y[r,c] = gelu(x[r,c] + bias[c]) in f32, rounded to bf16 once.
//
// Speed: a streaming, memory-bound kernel (4 bytes per element of DRAM traffic against ~20 FP32 instructions
// for erff). The matrix is treated as one flat array of rows*cols elements, so x and y are always accessed
// with 16-byte vectors (8 bf16), whatever cols is: each thread issues 4 independent 16-byte loads before
// computing, and loads/stores carry evict-first hints so the stream does not push bias out of L2. bias is
// read through the read-only cache; its column is tracked incrementally (one 64-bit modulo per thread, then
// add-and-wrap with per-launch constants), never by a per-element division.
//
// Odd sizes: when cols % 8 == 0 a vector of 8 elements lies within one row and its bias slice is an aligned
// 16-byte load; otherwise (cols 1, 77, ...) the 8 bias values are gathered one by one, wrapping at the row
// end (possibly several times for cols < 8). The last rows*cols % 8 elements are done by scalar code.
// Misaligned base pointers fall back to a scalar grid-stride kernel. Indices are 64-bit; the 1-D grid is
// capped and loops.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

namespace {

using bf16 = __nv_bfloat16;

constexpr int kThreads = 256;
constexpr int kUnroll = 4;            // 16-byte vectors per thread per iteration
constexpr int64_t kMaxGrid = 1 << 20; // blocks loop beyond this

__device__ __forceinline__ float gelu(float t) {
    return 0.5f * t * (1.0f + erff(t * 0.70710678118654752f)); // erf GELU, t * (1/sqrt(2))
}

// bf16 -> f32 is exact: the bf16 bits are the high half of the f32.
__device__ __forceinline__ float lo_bf(uint32_t w) {
    return __uint_as_float(w << 16);
}
__device__ __forceinline__ float hi_bf(uint32_t w) {
    return __uint_as_float(w & 0xffff0000u);
}

__device__ __forceinline__ void unpack8(const uint4& v, float (&f)[8]) {
    f[0] = lo_bf(v.x), f[1] = hi_bf(v.x), f[2] = lo_bf(v.y), f[3] = hi_bf(v.y);
    f[4] = lo_bf(v.z), f[5] = hi_bf(v.z), f[6] = lo_bf(v.w), f[7] = hi_bf(v.w);
}

__device__ __forceinline__ uint32_t pack2(float a, float b) {
    const __nv_bfloat162 h = __floats2bfloat162_rn(a, b); // a -> low half (lower address)
    uint32_t u;
    memcpy(&u, &h, sizeof(u));
    return u;
}

// Scalar bf16 reads are plain loads on purpose: cuda_bf16.h's __ldg(const __nv_bfloat16*) is non-volatile
// inline asm, which the compiler treats as pure and may hoist out of the bounds checks (seen: out-of-range
// reads of gamma under compute-sanitizer). Loads through const __restrict__ still use the read-only path.
// x and y 16-byte aligned. BVEC: cols % 8 == 0 and bias 16-byte aligned. Vector v covers elements [8v, 8v+8).
// col_step_block = 8*kThreads % cols and col_step_grid = 8*(vectors per grid iteration) % cols move the
// column of a thread's vector forward without a division.
template <bool BVEC>
__global__ void __launch_bounds__(kThreads)
    bias_gelu_vec(const bf16* __restrict__ x, const bf16* __restrict__ bias, bf16* __restrict__ y, int64_t n,
                  int64_t cols, int64_t col_step_block, int64_t col_step_grid) {
    const int64_t nvec = n >> 3;
    const int64_t vstride = int64_t(gridDim.x) * kThreads * kUnroll;
    int64_t v0 = int64_t(blockIdx.x) * kThreads * kUnroll + threadIdx.x;
    int64_t col0 = (v0 * 8) % cols; // column of element 8*v0

    for (; v0 < nvec; v0 += vstride) {
        uint4 xv[kUnroll];
#pragma unroll
        for (int u = 0; u < kUnroll; ++u) {
            const int64_t v = v0 + int64_t(u) * kThreads;
            xv[u] = v < nvec ? __ldcs(reinterpret_cast<const uint4*>(x) + v) : make_uint4(0, 0, 0, 0);
        }
        int64_t c = col0;
#pragma unroll
        for (int u = 0; u < kUnroll; ++u) {
            const int64_t v = v0 + int64_t(u) * kThreads;
            if (v < nvec) {
                float f[8], b[8];
                unpack8(xv[u], f);
                if constexpr (BVEC) {
                    unpack8(__ldg(reinterpret_cast<const uint4*>(bias + c)), b);
                } else {
                    int64_t cc = c;
#pragma unroll
                    for (int j = 0; j < 8; ++j) {
                        b[j] = __bfloat162float(bias[cc]);
                        cc = (cc + 1 == cols) ? 0 : cc + 1;
                    }
                }
#pragma unroll
                for (int j = 0; j < 8; ++j)
                    f[j] = gelu(f[j] + b[j]);
                const uint4 o =
                    make_uint4(pack2(f[0], f[1]), pack2(f[2], f[3]), pack2(f[4], f[5]), pack2(f[6], f[7]));
                __stcs(reinterpret_cast<uint4*>(y) + v, o);
            }
            c += col_step_block; // both < cols, so one conditional subtraction wraps
            if (c >= cols)
                c -= cols;
        }
        col0 += col_step_grid;
        if (col0 >= cols)
            col0 -= cols;
    }

    // The last n % 8 elements (at most 7).
    const int64_t i = nvec * 8 + threadIdx.x;
    if (blockIdx.x == 0 && i < n)
        y[i] = __float2bfloat16_rn(gelu(__bfloat162float(x[i]) + __bfloat162float(bias[i % cols])));
}

// Fallback for base pointers that are not 16-byte aligned (never the case for cudaMalloc'd buffers).
__global__ void __launch_bounds__(kThreads)
    bias_gelu_scalar(const bf16* __restrict__ x, const bf16* __restrict__ bias, bf16* __restrict__ y,
                     int64_t n, int64_t cols) {
    for (int64_t i = int64_t(blockIdx.x) * kThreads + threadIdx.x; i < n; i += int64_t(gridDim.x) * kThreads)
        y[i] = __float2bfloat16_rn(gelu(__bfloat162float(x[i]) + __bfloat162float(bias[i % cols])));
}

bool aligned16(const void* p) {
    return reinterpret_cast<uintptr_t>(p) % 16 == 0;
}

} // namespace

extern "C" void kf_launch(const __nv_bfloat16* x, const __nv_bfloat16* bias, __nv_bfloat16* y, int64_t rows,
                          int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    const int64_t n = rows * cols;
    if (!aligned16(x) || !aligned16(y)) {
        const unsigned grid =
            static_cast<unsigned>(std::min<int64_t>((n + kThreads - 1) / kThreads, kMaxGrid));
        bias_gelu_scalar<<<grid, kThreads, 0, stream>>>(x, bias, y, n, cols);
        return;
    }
    const int64_t nvec = n / 8;
    const int64_t per_block = int64_t(kThreads) * kUnroll;
    const int64_t grid =
        std::max<int64_t>(1, std::min<int64_t>((nvec + per_block - 1) / per_block, kMaxGrid));
    const int64_t step_block = (8 * int64_t(kThreads)) % cols;
    const int64_t step_grid = (8 * grid * per_block) % cols;
    if (cols % 8 == 0 && aligned16(bias))
        bias_gelu_vec<true>
            <<<unsigned(grid), kThreads, 0, stream>>>(x, bias, y, n, cols, step_block, step_grid);
    else
        bias_gelu_vec<false>
            <<<unsigned(grid), kThreads, 0, stream>>>(x, bias, y, n, cols, step_block, step_grid);
}
