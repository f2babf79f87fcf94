// Gold kernel for transpose-f32: y[c, r] = x[r, c] for a row-major x [rows, cols], y [cols, rows].
//
// Speed: pure data movement, so every global access must be a full 128-byte warp transaction on both sides.
// A block moves a 64 x 64 tile through shared memory padded to 65 columns (bank-conflict-free in both
// directions): warps read tile rows of x and write tile rows of y. Each of the 256 threads keeps 16 loads
// in flight, enough to cover DRAM latency. Tiles are numbered on a 1-D grid (no gridDim.y limit) and
// interior tiles skip the bounds checks.
// Thin shapes would waste most of a 64 x 64 tile, so they get their own layouts: with cols < 32 a block
// reads a contiguous run of whole x rows (~4096 floats, float4) and writes cols runs of y; with rows < 32 it
// reads the rows slices of x in buffer-aligned float4 windows and writes one contiguous run of y (float4).
// 1 x N and N x 1 are a plain copy (same memory layout). Partial tiles, runs and windows are bounds-checked;
// offsets are 64-bit.

#include <algorithm>

namespace {

__host__ __device__ __forceinline__ int64_t min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}

constexpr int kThreads = 256;

// ---- general shapes: 64 x 64 tiles --------------------------------------------------------------------

constexpr int kTile = 64;
constexpr int kRowsPerPass = kThreads / 32; // 8 tile rows per pass of the block

__global__ void __launch_bounds__(kThreads)
    transpose_tiles(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int64_t cols,
                    int64_t tiles_c, int64_t tiles) {
    __shared__ float tile[kTile][kTile + 1];
    const int tx = threadIdx.x & 31, ty = threadIdx.x >> 5;
    for (int64_t t = blockIdx.x; t < tiles; t += gridDim.x) {
        const int64_t r0 = (t / tiles_c) * kTile, c0 = (t % tiles_c) * kTile;
        const bool full = r0 + kTile <= rows && c0 + kTile <= cols;
        // Load: warp ty reads tile rows ty, ty + 8, ...; lanes cover 2 x 32 consecutive columns.
        const float* src = x + (r0 + ty) * cols + c0 + tx;
        float v[kTile / kRowsPerPass][2];
        if (full) {
#pragma unroll
            for (int i = 0; i < kTile / kRowsPerPass; ++i)
#pragma unroll
                for (int j = 0; j < 2; ++j)
                    v[i][j] = __ldcs(src + int64_t(i * kRowsPerPass) * cols + 32 * j);
        } else {
#pragma unroll
            for (int i = 0; i < kTile / kRowsPerPass; ++i)
#pragma unroll
                for (int j = 0; j < 2; ++j) {
                    const bool in = r0 + ty + i * kRowsPerPass < rows && c0 + tx + 32 * j < cols;
                    v[i][j] = in ? __ldcs(src + int64_t(i * kRowsPerPass) * cols + 32 * j) : 0.0f;
                }
        }
#pragma unroll
        for (int i = 0; i < kTile / kRowsPerPass; ++i)
#pragma unroll
            for (int j = 0; j < 2; ++j)
                tile[ty + i * kRowsPerPass][tx + 32 * j] = v[i][j];
        __syncthreads();
        // Store: warp ty writes y rows c0 + ty, ty + 8, ...; lanes cover 2 x 32 consecutive y columns (x
        // rows). tile[tx + 32j][c] has bank (tx + 32j) * 65 + c = tx + const (mod 32): conflict-free.
        float* dst = y + (c0 + ty) * rows + r0 + tx;
        if (full) {
#pragma unroll
            for (int i = 0; i < kTile / kRowsPerPass; ++i)
#pragma unroll
                for (int j = 0; j < 2; ++j)
                    __stcs(dst + int64_t(i * kRowsPerPass) * rows + 32 * j,
                           tile[tx + 32 * j][ty + i * kRowsPerPass]);
        } else {
#pragma unroll
            for (int i = 0; i < kTile / kRowsPerPass; ++i)
#pragma unroll
                for (int j = 0; j < 2; ++j)
                    if (c0 + ty + i * kRowsPerPass < cols && r0 + tx + 32 * j < rows)
                        __stcs(dst + int64_t(i * kRowsPerPass) * rows + 32 * j,
                               tile[tx + 32 * j][ty + i * kRowsPerPass]);
        }
        __syncthreads(); // the tile is reused by the next iteration
    }
}

// ---- thin shapes: a run of ~4096 floats per block -----------------------------------------------------

constexpr int kRun = 4096;
constexpr int kPerThread = kRun / kThreads; // 16 floats, or 4 float4

// n / d for n < 2^20 as a multiply-high (exact: m = ceil(2^32 / d) overshoots by e < d, and n * e < 2^32).
struct FastDiv {
    uint64_t m;
    explicit FastDiv(int d)
        : m(((uint64_t(1) << 32) + d - 1) / d) {}
    __device__ __forceinline__ int operator()(int n) const { return int((uint64_t(n) * m) >> 32); }
};

// cols in [2, 32): block b reads x rows [b * tr, b * tr + tr), one contiguous run, into s[c][r] and writes
// cols runs of y; tr is a multiple of 32, so each warp stores 128 contiguous bytes. The run starts at a
// multiple of 32 floats, so with VEC (x 16-byte aligned) it is read as float4.
template <bool VEC>
__global__ void __launch_bounds__(kThreads)
    transpose_tall(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int cols, int tr,
                   FastDiv div_cols, FastDiv div_tr) {
    __shared__ float s[kRun + 32]; // cols * (tr + 1) <= kRun + cols
    const int64_t r0 = int64_t(blockIdx.x) * tr;
    const int nr = int(min64(tr, rows - r0));
    const int len = nr * cols;
    const float* src = x + r0 * cols;
    float v[kPerThread];
    if (VEC) {
#pragma unroll
        for (int k = 0; k < kPerThread / 4; ++k) {
            const int f = 4 * (threadIdx.x + k * kThreads);
            float4 q = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
            if (f + 4 <= len) {
                q = __ldcs(reinterpret_cast<const float4*>(src + f));
            } else if (f < len) { // the run's last, partial vector
                q.x = src[f];
                if (f + 1 < len)
                    q.y = src[f + 1];
                if (f + 2 < len)
                    q.z = src[f + 2];
            }
            v[4 * k] = q.x, v[4 * k + 1] = q.y, v[4 * k + 2] = q.z, v[4 * k + 3] = q.w;
        }
    } else {
#pragma unroll
        for (int k = 0; k < kPerThread; ++k) {
            const int f = threadIdx.x + k * kThreads;
            v[k] = f < len ? __ldcs(src + f) : 0.0f;
        }
    }
#pragma unroll
    for (int k = 0; k < kPerThread; ++k) {
        const int f = VEC ? 4 * (threadIdx.x + (k / 4) * kThreads) + k % 4 : threadIdx.x + k * kThreads;
        if (f < len) {
            const int r = div_cols(f), c = f - r * cols;
            s[c * (tr + 1) + r] = v[k];
        }
    }
    __syncthreads();
#pragma unroll
    for (int k = 0; k < kPerThread; ++k) {
        const int g = threadIdx.x + k * kThreads; // g = c * tr + r covers cols * tr <= kRun
        const int c = div_tr(g), r = g - c * tr;
        if (c < cols && r < nr)
            __stcs(y + c * rows + r0 + r, s[c * (tr + 1) + r]);
    }
}

// rows in [2, 32), cols >= 32: block b reads x columns [b * tc, b * tc + tc) of every row into s[r][c] and
// writes one contiguous run of y. Each row slice is read in 16-byte windows aligned to the buffer (window w
// covers slice columns [4w - a, 4w - a + 4), a = the slice's offset past a 16-byte boundary), so the reads
// are float4 whatever cols is; the windows straddling the slice ends are read element-wise. The y run starts
// at a multiple of 32 floats: float4 stores when VEC (y 16-byte aligned).
template <bool VEC>
__global__ void __launch_bounds__(kThreads)
    transpose_wide(const float* __restrict__ x, float* __restrict__ y, int rows, int64_t cols, int tc,
                   int windows, FastDiv div_rows, FastDiv div_windows) {
    __shared__ float s[kRun + 32]; // rows * (tc + 1) <= kRun + rows
    constexpr int kWindowsPerThread = (kRun / 4 + 32 + kThreads - 1) / kThreads; // rows * windows <= 1055
    const int64_t c0 = int64_t(blockIdx.x) * tc;
    const int nc = int(min64(tc, cols - c0));
    float4 v[kWindowsPerThread];
#pragma unroll
    for (int k = 0; k < kWindowsPerThread; ++k) {
        const int f = threadIdx.x + k * kThreads; // f = r * windows + w
        const int r = div_windows(f), w = f - r * windows;
        v[k] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
        if (r < rows) {
            const float* slice = x + r * cols + c0;
            const int c = 4 * w - int((reinterpret_cast<uintptr_t>(slice) >> 2) & 3);
            if (c >= 0 && c + 4 <= nc) {
                v[k] = __ldcs(reinterpret_cast<const float4*>(slice + c));
            } else {
                if (c + 0 >= 0 && c + 0 < nc)
                    v[k].x = __ldcs(slice + c + 0);
                if (c + 1 >= 0 && c + 1 < nc)
                    v[k].y = __ldcs(slice + c + 1);
                if (c + 2 >= 0 && c + 2 < nc)
                    v[k].z = __ldcs(slice + c + 2);
                if (c + 3 >= 0 && c + 3 < nc)
                    v[k].w = __ldcs(slice + c + 3);
            }
        }
    }
#pragma unroll
    for (int k = 0; k < kWindowsPerThread; ++k) {
        const int f = threadIdx.x + k * kThreads;
        const int r = div_windows(f), w = f - r * windows;
        if (r < rows) {
            const float* slice = x + r * cols + c0;
            const int c = 4 * w - int((reinterpret_cast<uintptr_t>(slice) >> 2) & 3);
            float* row = s + r * (tc + 1);
            if (c + 0 >= 0 && c + 0 < nc)
                row[c + 0] = v[k].x;
            if (c + 1 >= 0 && c + 1 < nc)
                row[c + 1] = v[k].y;
            if (c + 2 >= 0 && c + 2 < nc)
                row[c + 2] = v[k].z;
            if (c + 3 >= 0 && c + 3 < nc)
                row[c + 3] = v[k].w;
        }
    }
    __syncthreads();
    const int len = nc * rows;
    float* dst = y + c0 * rows;
    if (VEC) {
#pragma unroll
        for (int k = 0; k < kPerThread / 4; ++k) {
            const int g = 4 * (threadIdx.x + k * kThreads);
            if (g < len) {
                float q[4];
                int c = div_rows(g), r = g - c * rows;
#pragma unroll
                for (int j = 0; j < 4; ++j) { // walk (c, r) along y's flat order
                    q[j] = g + j < len ? s[r * (tc + 1) + c] : 0.0f;
                    if (++r == rows)
                        r = 0, ++c;
                }
                if (g + 4 <= len) {
                    __stcs(reinterpret_cast<float4*>(dst + g), make_float4(q[0], q[1], q[2], q[3]));
                } else {
                    for (int j = 0; g + j < len; ++j)
                        __stcs(dst + g + j, q[j]);
                }
            }
        }
    } else {
#pragma unroll
        for (int k = 0; k < kPerThread; ++k) {
            const int g = threadIdx.x + k * kThreads;
            if (g < len) {
                const int c = div_rows(g), r = g - c * rows;
                __stcs(dst + g, s[r * (tc + 1) + c]);
            }
        }
    }
}

// ---- 1 x N and N x 1: y has the same memory layout as x ----------------------------------------------

template <bool VEC>
__global__ void __launch_bounds__(kThreads)
    copy_flat(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    const int64_t t = int64_t(blockIdx.x) * kThreads + threadIdx.x;
    const int64_t stride = int64_t(gridDim.x) * kThreads;
    if (VEC) {
        const int64_t nb = n >> 2;
        const float4* src = reinterpret_cast<const float4*>(x);
        float4* dst = reinterpret_cast<float4*>(y);
        int64_t i = t;
        for (; i + 3 * stride < nb; i += 4 * stride) {
            float4 v[4];
#pragma unroll
            for (int k = 0; k < 4; ++k)
                v[k] = __ldcs(src + i + k * stride);
#pragma unroll
            for (int k = 0; k < 4; ++k)
                __stcs(dst + i + k * stride, v[k]);
        }
        for (; i < nb; i += stride)
            __stcs(dst + i, __ldcs(src + i));
        if (t < n - 4 * nb)
            y[4 * nb + t] = x[4 * nb + t];
    } else {
        for (int64_t i = t; i < n; i += stride)
            y[i] = x[i];
    }
}

unsigned grid_for(int64_t blocks) {
    return unsigned(std::max<int64_t>(1, min64(blocks, 1 << 20)));
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    if (rows == 1 || cols == 1) {
        const int64_t n = rows * cols;
        const bool vec = ((reinterpret_cast<uintptr_t>(x) | reinterpret_cast<uintptr_t>(y)) & 15) == 0;
        const unsigned grid =
            grid_for((n + 4 * kThreads * 4 - 1) / (4 * kThreads * 4)); // 4 float4 per thread
        if (vec)
            copy_flat<true><<<grid, kThreads, 0, stream>>>(x, y, n);
        else
            copy_flat<false><<<grid, kThreads, 0, stream>>>(x, y, n);
    } else if (cols < 32) {
        const int tr = kRun / int(cols) / 32 * 32;
        const unsigned grid = unsigned((rows + tr - 1) / tr);
        const FastDiv div_cols{int(cols)}, div_tr{tr};
        if ((reinterpret_cast<uintptr_t>(x) & 15) == 0)
            transpose_tall<true><<<grid, kThreads, 0, stream>>>(x, y, rows, int(cols), tr, div_cols, div_tr);
        else
            transpose_tall<false><<<grid, kThreads, 0, stream>>>(x, y, rows, int(cols), tr, div_cols, div_tr);
    } else if (rows < 32) {
        const int tc = kRun / int(rows) / 32 * 32;
        const int windows = tc / 4 + 1; // a slice of tc floats spans at most tc / 4 + 1 aligned windows
        const unsigned grid = unsigned((cols + tc - 1) / tc);
        const FastDiv div_rows{int(rows)}, div_windows{windows};
        if ((reinterpret_cast<uintptr_t>(y) & 15) == 0)
            transpose_wide<true>
                <<<grid, kThreads, 0, stream>>>(x, y, int(rows), cols, tc, windows, div_rows, div_windows);
        else
            transpose_wide<false>
                <<<grid, kThreads, 0, stream>>>(x, y, int(rows), cols, tc, windows, div_rows, div_windows);
    } else {
        const int64_t tiles_c = (cols + kTile - 1) / kTile;
        const int64_t tiles = (rows + kTile - 1) / kTile * tiles_c;
        transpose_tiles<<<grid_for(tiles), kThreads, 0, stream>>>(x, y, rows, cols, tiles_c, tiles);
    }
}
