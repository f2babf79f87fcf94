// LayerNorm over the last dimension, bf16 in/out, f32 statistics: y = (x - mean) * rsqrt(var + 1e-5) * g + b.
//
// Speed: memory-bound, so the goal is one DRAM read of x and one write of y. A group of LANES threads (8, 16
// or 32 lanes of a warp, or 2..32 warps of a block; picked from cols) owns a row and keeps all of it in
// registers as packed bf16 (one 16-byte load per 8 elements, VPT loads in flight per thread), so the exact
// two-pass statistics (mean, then the sum of squared deviations from it) cost no second read and do not
// cancel like E[x^2]-E[x]^2. Group sums are xor-shuffle butterflies, plus one shared-memory step
// (double-buffered, one barrier per sum) when a row spans several warps. gamma/beta are reused by every row:
// read through the read-only cache. x is loaded and y stored with evict-first hints so the stream
// does not push gamma/beta out of L2.
//
// Odd sizes: row r starts at element r*cols, which is 16-byte aligned only when r*cols % 8 == 0, so every row
// is split into a scalar head (< 8 elements, up to the first aligned address), an aligned 16-byte body and a
// scalar tail (< 8); gamma/beta use 16-byte loads only when the head is empty. Misaligned base pointers
// select the same kernel with scalar accesses. Rows longer than 65536 elements do not fit in registers: a
// block-per-row kernel then makes three passes over the row; the re-reads mostly hit L2, but can cost up to 2
// extra reads of x from DRAM. Offsets are 64-bit; the 1-D grid is capped and blocks loop over rows.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <cuda_bf16.h>
#include <cuda_runtime.h>

namespace {

using bf16 = __nv_bfloat16;

constexpr float kEps = 1e-5f;
constexpr int64_t kMaxGrid = 1 << 20; // blocks loop over rows beyond this
constexpr int kLongThreads = 1024;    // block size of the three-pass kernel for very long rows

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

__device__ __forceinline__ uint4 pack8(const float (&f)[8]) {
    return make_uint4(pack2(f[0], f[1]), pack2(f[2], f[3]), pack2(f[4], f[5]), pack2(f[6], f[7]));
}

__device__ __forceinline__ float sum8(const uint4& v) {
    float f[8];
    unpack8(v, f);
    return ((f[0] + f[1]) + (f[2] + f[3])) + ((f[4] + f[5]) + (f[6] + f[7]));
}

// 8 consecutive bf16 of x. VEC: p is 16-byte aligned; STREAM: last use of the data (evict-first).
template <bool VEC, bool STREAM>
__device__ __forceinline__ uint4 load8(const bf16* p) {
    if constexpr (VEC) {
        const uint4* q = reinterpret_cast<const uint4*>(p);
        return STREAM ? __ldcs(q) : __ldg(q);
    } else {
        uint32_t w[8];
#pragma unroll
        for (int j = 0; j < 8; ++j)
            w[j] = __bfloat16_as_ushort(p[j]);
        return make_uint4(w[0] | w[1] << 16, w[2] | w[3] << 16, w[4] | w[5] << 16, w[6] | w[7] << 16);
    }
}

template <bool VEC>
__device__ __forceinline__ void store8(bf16* p, const uint4& v) {
    if constexpr (VEC) {
        __stcs(reinterpret_cast<uint4*>(p), v);
    } else {
        const uint32_t w[4] = {v.x, v.y, v.z, v.w};
#pragma unroll
        for (int j = 0; j < 8; ++j)
            p[j] = __ushort_as_bfloat16(static_cast<unsigned short>(w[j / 2] >> (16 * (j % 2))));
    }
}

// Scalar bf16 reads are plain loads on purpose: cuda_bf16.h's __ldg(const __nv_bfloat16*) is non-volatile
// inline asm, which the compiler treats as pure and may hoist out of the bounds checks (seen: out-of-range
// reads of gamma under compute-sanitizer). Loads through const __restrict__ still use the read-only path.
// gamma[c..c+8) and beta[c..c+8) as f32; VEC when both addresses are 16-byte aligned.
__device__ __forceinline__ void load_affine8(const bf16* __restrict__ gamma, const bf16* __restrict__ beta,
                                             int64_t c, bool vec, float (&g)[8], float (&b)[8]) {
    if (vec) {
        unpack8(__ldg(reinterpret_cast<const uint4*>(gamma + c)), g);
        unpack8(__ldg(reinterpret_cast<const uint4*>(beta + c)), b);
    } else {
#pragma unroll
        for (int j = 0; j < 8; ++j) {
            g[j] = __bfloat162float(gamma[c + j]);
            b[j] = __bfloat162float(beta[c + j]);
        }
    }
}

__device__ __forceinline__ bf16 norm1(float v, float mean, float rstd, const bf16* gamma, const bf16* beta,
                                      int64_t c) {
    return __float2bfloat16_rn(
        fmaf((v - mean) * rstd, __bfloat162float(gamma[c]), __bfloat162float(beta[c])));
}

// Where the 16-byte aligned part of a row starting at element offset `off` begins (assuming a 16-byte aligned
// base): head scalars, then nbody 8-element vectors, then tail (< 8) scalars.
struct RowSplit {
    int head;
    int64_t nbody;
    int tail;
};

template <bool VEC>
__device__ __forceinline__ RowSplit split_row(int64_t off, int64_t cols) {
    RowSplit s;
    const int64_t h = (8 - (off & 7)) & 7; // elements up to the next 16-byte boundary
    s.head = VEC ? static_cast<int>(h < cols ? h : cols) : 0;
    s.nbody = (cols - s.head) >> 3;
    s.tail = static_cast<int>(cols - s.head - (s.nbody << 3));
    return s;
}

template <int LANES>
struct Group {
    static constexpr int kBlock = LANES > 256 ? LANES : 256; // threads per block
    static constexpr int kRows = kBlock / LANES;             // rows (groups) per block
};

// Sum of v over the LANES consecutive threads of a group; every thread gets the same value (a xor butterfly
// adds the same pairs on every lane). Multi-warp groups go through red[] (one float per warp of the block)
// and a barrier, so all threads of the block must call it; callers alternate between two red[] buffers, which
// makes the barrier before the next write unnecessary.
template <int LANES>
__device__ __forceinline__ float group_sum(float v, float* red) {
    constexpr int kWidth = LANES < 32 ? LANES : 32;
#pragma unroll
    for (int o = kWidth / 2; o > 0; o >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, o);
    if constexpr (LANES > 32) {
        constexpr int kWarps = LANES / 32; // warps per row
        const int warp = threadIdx.x / 32;
        if ((threadIdx.x & 31) == 0)
            red[warp] = v;
        __syncthreads();
        const float* r = red + (warp / kWarps) * kWarps;
        v = 0.f;
#pragma unroll
        for (int i = 0; i < kWarps; ++i)
            v += r[i];
    }
    return v;
}

// Register-resident rows: thread t of a group holds body vectors t, t+LANES, ..., t+(VPT-1)*LANES and, for
// t < 8, head element t and tail element t. Needs cols / 8 <= LANES * VPT (and LANES >= 8).
template <int LANES, int VPT, bool VEC>
__global__ void __launch_bounds__(Group<LANES>::kBlock)
    layernorm_rows(const bf16* __restrict__ x, const bf16* __restrict__ gamma, const bf16* __restrict__ beta,
                   bf16* __restrict__ y, int64_t rows, int cols, bool affine_vec) {
    using G = Group<LANES>;
    __shared__ float red[2][G::kBlock / 32];
    const int t = threadIdx.x % LANES;
    const int64_t group = threadIdx.x / LANES;

    // The loop bound is block-uniform, so every thread reaches every barrier in group_sum.
    for (int64_t base = int64_t(blockIdx.x) * G::kRows; base < rows; base += int64_t(gridDim.x) * G::kRows) {
        const int64_t row = base + group;
        const bool active = row < rows;
        const int64_t off = (active ? row : 0) * cols;
        const RowSplit s = split_row<VEC>(off, cols);
        const int nbody = static_cast<int>(s.nbody);
        const bf16* xr = x + off;
        const bf16* xb = xr + s.head; // 16-byte aligned when VEC
        const bool has_h = active && t < s.head;
        const bool has_t = active && t < s.tail;
        const int tcol = s.head + nbody * 8 + t; // column of this thread's tail element

        uint4 v[VPT];
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            const int i = t + k * LANES;
            v[k] = (active && i < nbody) ? load8<VEC, true>(xb + 8 * i) : make_uint4(0, 0, 0, 0);
        }
        const float xh = has_h ? __bfloat162float(xr[t]) : 0.f;
        const float xt = has_t ? __bfloat162float(xr[tcol]) : 0.f;

        // Pass 1: mean (missing elements are zeros).
        float acc = xh + xt;
#pragma unroll
        for (int k = 0; k < VPT; ++k)
            acc += sum8(v[k]);
        const float mean = group_sum<LANES>(acc, red[0]) / static_cast<float>(cols);

        // Pass 2: biased variance from the centred values, still in registers.
        acc = 0.f;
        if (has_h)
            acc = (xh - mean) * (xh - mean);
        if (has_t)
            acc = fmaf(xt - mean, xt - mean, acc);
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            if (t + k * LANES < nbody) {
                float f[8];
                unpack8(v[k], f);
#pragma unroll
                for (int j = 0; j < 8; ++j)
                    acc = fmaf(f[j] - mean, f[j] - mean, acc);
            }
        }
        const float var = group_sum<LANES>(acc, red[1]) / static_cast<float>(cols);
        const float rstd = rsqrtf(var + kEps);
        if (!active)
            continue; // no barrier below

        // Pass 3: normalise, apply gamma/beta, round to bf16 once.
        bf16* yr = y + off;
        bf16* yb = yr + s.head;
        const bool avec = affine_vec && s.head == 0;
        if (has_h)
            yr[t] = norm1(xh, mean, rstd, gamma, beta, t);
#pragma unroll
        for (int k = 0; k < VPT; ++k) {
            const int i = t + k * LANES;
            if (i < nbody) {
                float f[8], g[8], b[8];
                unpack8(v[k], f);
                load_affine8(gamma, beta, s.head + 8 * i, avec, g, b);
#pragma unroll
                for (int j = 0; j < 8; ++j)
                    f[j] = fmaf((f[j] - mean) * rstd, g[j], b[j]);
                store8<VEC>(yb + 8 * i, pack8(f));
            }
        }
        if (has_t)
            yr[tcol] = norm1(xt, mean, rstd, gamma, beta, tcol);
    }
}

// Rows too long for registers: one block per row, three passes over the row (sum, centred sum of squares,
// normalise). The first two reads keep x cached for the next pass; the last one streams it.
constexpr int kLongUnroll = 4; // 16-byte loads in flight per thread per pass

template <bool VEC>
__global__ void __launch_bounds__(kLongThreads)
    layernorm_long(const bf16* __restrict__ x, const bf16* __restrict__ gamma, const bf16* __restrict__ beta,
                   bf16* __restrict__ y, int64_t rows, int64_t cols, bool affine_vec) {
    __shared__ float red[2][kLongThreads / 32];
    const int t = threadIdx.x;
    constexpr int64_t kStep = int64_t(kLongThreads) * kLongUnroll;

    for (int64_t row = blockIdx.x; row < rows; row += gridDim.x) {
        const int64_t off = row * cols;
        const RowSplit s = split_row<VEC>(off, cols);
        const bf16* xr = x + off;
        const bf16* xb = xr + s.head;
        const bool has_h = t < s.head;
        const bool has_t = t < s.tail;
        const int64_t tcol = s.head + s.nbody * 8 + t;
        const float xh = has_h ? __bfloat162float(xr[t]) : 0.f;
        const float xt = has_t ? __bfloat162float(xr[tcol]) : 0.f;

        float acc = xh + xt;
        for (int64_t i0 = t; i0 < s.nbody; i0 += kStep) {
            uint4 v[kLongUnroll];
#pragma unroll
            for (int u = 0; u < kLongUnroll; ++u) {
                const int64_t i = i0 + int64_t(u) * kLongThreads;
                v[u] = i < s.nbody ? load8<VEC, false>(xb + 8 * i) : make_uint4(0, 0, 0, 0);
            }
#pragma unroll
            for (int u = 0; u < kLongUnroll; ++u)
                acc += sum8(v[u]);
        }
        const float mean = group_sum<kLongThreads>(acc, red[0]) / static_cast<float>(cols);

        acc = 0.f;
        if (has_h)
            acc = (xh - mean) * (xh - mean);
        if (has_t)
            acc = fmaf(xt - mean, xt - mean, acc);
        for (int64_t i0 = t; i0 < s.nbody; i0 += kStep) {
            uint4 v[kLongUnroll];
#pragma unroll
            for (int u = 0; u < kLongUnroll; ++u) {
                const int64_t i = i0 + int64_t(u) * kLongThreads;
                v[u] = i < s.nbody ? load8<VEC, false>(xb + 8 * i) : make_uint4(0, 0, 0, 0);
            }
#pragma unroll
            for (int u = 0; u < kLongUnroll; ++u) {
                if (i0 + int64_t(u) * kLongThreads < s.nbody) {
                    float f[8];
                    unpack8(v[u], f);
#pragma unroll
                    for (int j = 0; j < 8; ++j)
                        acc = fmaf(f[j] - mean, f[j] - mean, acc);
                }
            }
        }
        const float var = group_sum<kLongThreads>(acc, red[1]) / static_cast<float>(cols);
        const float rstd = rsqrtf(var + kEps);

        bf16* yr = y + off;
        bf16* yb = yr + s.head;
        const bool avec = affine_vec && s.head == 0;
        if (has_h)
            yr[t] = norm1(xh, mean, rstd, gamma, beta, t);
        for (int64_t i0 = t; i0 < s.nbody; i0 += kStep) {
            uint4 v[kLongUnroll];
#pragma unroll
            for (int u = 0; u < kLongUnroll; ++u) {
                const int64_t i = i0 + int64_t(u) * kLongThreads;
                v[u] = i < s.nbody ? load8<VEC, true>(xb + 8 * i) : make_uint4(0, 0, 0, 0);
            }
#pragma unroll
            for (int u = 0; u < kLongUnroll; ++u) {
                const int64_t i = i0 + int64_t(u) * kLongThreads;
                if (i < s.nbody) {
                    float f[8], g[8], b[8];
                    unpack8(v[u], f);
                    load_affine8(gamma, beta, s.head + 8 * i, avec, g, b);
#pragma unroll
                    for (int j = 0; j < 8; ++j)
                        f[j] = fmaf((f[j] - mean) * rstd, g[j], b[j]);
                    store8<VEC>(yb + 8 * i, pack8(f));
                }
            }
        }
        if (has_t)
            yr[tcol] = norm1(xt, mean, rstd, gamma, beta, tcol);
    }
}

bool aligned16(const void* p) {
    return reinterpret_cast<uintptr_t>(p) % 16 == 0;
}

template <int LANES, int VPT>
void launch_rows(const bf16* x, const bf16* gamma, const bf16* beta, bf16* y, int64_t rows, int64_t cols,
                 bool vec, bool affine_vec, cudaStream_t stream) {
    using G = Group<LANES>;
    const unsigned grid =
        static_cast<unsigned>(std::min<int64_t>((rows + G::kRows - 1) / G::kRows, kMaxGrid));
    const int c = static_cast<int>(cols);
    if (vec)
        layernorm_rows<LANES, VPT, true>
            <<<grid, G::kBlock, 0, stream>>>(x, gamma, beta, y, rows, c, affine_vec);
    else
        layernorm_rows<LANES, VPT, false>
            <<<grid, G::kBlock, 0, stream>>>(x, gamma, beta, y, rows, c, affine_vec);
}

} // namespace

extern "C" void kf_launch(const __nv_bfloat16* x, const __nv_bfloat16* gamma, const __nv_bfloat16* beta,
                          __nv_bfloat16* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    const bool vec = aligned16(x) && aligned16(y);
    const bool avec = aligned16(gamma) && aligned16(beta);
    // Smallest group whose registers hold the row (cols / 8 vectors <= LANES * VPT); sub-warp groups for
    // short rows so lanes are not left idle, 4 vectors per thread for memory-level parallelism (16 for the
    // longest rows, in 512-thread blocks so that 128 registers per thread are allowed).
    const int64_t c8 = cols / 8;
    if (c8 <= 8)
        launch_rows<8, 1>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 16)
        launch_rows<16, 1>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 32)
        launch_rows<32, 1>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 64)
        launch_rows<32, 2>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 128)
        launch_rows<32, 4>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 256)
        launch_rows<64, 4>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 512)
        launch_rows<128, 4>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 1024)
        launch_rows<256, 4>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 2048)
        launch_rows<512, 4>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 4096)
        launch_rows<1024, 4>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else if (c8 <= 8192)
        launch_rows<512, 16>(x, gamma, beta, y, rows, cols, vec, avec, stream);
    else {
        const unsigned grid = static_cast<unsigned>(std::min<int64_t>(rows, kMaxGrid));
        if (vec)
            layernorm_long<true><<<grid, kLongThreads, 0, stream>>>(x, gamma, beta, y, rows, cols, avec);
        else
            layernorm_long<false><<<grid, kLongThreads, 0, stream>>>(x, gamma, beta, y, rows, cols, avec);
    }
}
