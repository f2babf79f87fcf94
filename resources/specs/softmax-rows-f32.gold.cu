// Gold kernel for softmax-rows-f32: y[r, :] = softmax(x[r, :]), fp32 throughout.
//
// Speed: a row that fits in registers (cols up to ~32K) is read from DRAM once and written once. Short rows
// are shared by 1-32 lanes of a warp, longer ones by a whole block; each thread keeps up to 8 float4
// vectors of the row in registers. Every thread exponentiates its values against its *own* max, so a single
// combined (max, sum) reduction and one exp2 per element suffice: the row result is then e * exp2(m_thread -
// m_row) / sum. Rows too long for registers take two passes over x (the second mostly hits L2): blocks
// compute online (max, sum) pairs per chunk and park them in the row's own output slots, so nothing is
// allocated; a second launch merges the pairs and writes every chunk but the first, and a third writes the
// first chunk (which holds the parked pairs) once all other blocks have read them. Deterministic: fixed
// reduction trees, no atomics.
// Odd sizes: rows are cut into 16-byte vectors aligned to the buffer, so a row that starts or ends
// mid-vector (cols % 4 != 0) loads its first and last vector element by element; if x and y are not equally
// aligned every access is scalar. 1-D grids only (no gridDim.y limit), 64-bit offsets.

#include <algorithm>
#include <cmath>

namespace {

constexpr float kLog2e = 1.4426950408889634f;

__host__ __device__ __forceinline__ int64_t min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}

// Running softmax statistics: m = max, s = sum of exp(x - m).
struct MaxSum {
    float m;
    float s;
};

__device__ __forceinline__ MaxSum merge(MaxSum a, MaxSum b) {
    const float m = fmaxf(a.m, b.m);
    if (m == -INFINITY)
        return {m, 0.0f}; // both empty: avoid exp2(-inf - -inf) = NaN
    return {m, a.s * exp2f((a.m - m) * kLog2e) + b.s * exp2f((b.m - m) * kLog2e)};
}

// Butterfly over aligned groups of G lanes; merge is commutative bit for bit, so every lane ends equal.
template <int G>
__device__ __forceinline__ MaxSum group_reduce(MaxSum v) {
#pragma unroll
    for (int off = G / 2; off > 0; off >>= 1) {
        const MaxSum o{__shfl_xor_sync(0xffffffffu, v.m, off), __shfl_xor_sync(0xffffffffu, v.s, off)};
        v = merge(v, o);
    }
    return v;
}

// blockDim.x must be a multiple of 32. sh needs 33 entries.
__device__ __forceinline__ MaxSum block_reduce(MaxSum v, MaxSum* sh) {
    v = group_reduce<32>(v);
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    if (lane == 0)
        sh[warp] = v;
    __syncthreads();
    if (warp == 0) {
        MaxSum w = lane < int(blockDim.x >> 5) ? sh[lane] : MaxSum{-INFINITY, 0.0f};
        w = group_reduce<32>(w);
        if (lane == 0)
            sh[32] = w;
    }
    __syncthreads();
    return sh[32];
}

// Slot v of a row covers row elements [4v - a, 4v - a + 4), where a is how many floats the row starts past a
// 16-byte boundary (always 0 when VEC is false). A slot inside the row is one 16-byte load; a slot that
// straddles an end is loaded element by element, and elements outside the row read as `pad`.
template <bool VEC, bool STREAM>
__device__ __forceinline__ float4 load_slot(const float* row, int64_t v, int a, int64_t n, float pad) {
    const int64_t e = 4 * v - a;
    if (VEC && e >= 0 && e + 4 <= n) {
        const float4* p = reinterpret_cast<const float4*>(row + e);
        return STREAM ? __ldcs(p) : __ldg(p);
    }
    float4 r;
    r.x = (e + 0 >= 0 && e + 0 < n) ? row[e + 0] : pad;
    r.y = (e + 1 >= 0 && e + 1 < n) ? row[e + 1] : pad;
    r.z = (e + 2 >= 0 && e + 2 < n) ? row[e + 2] : pad;
    r.w = (e + 3 >= 0 && e + 3 < n) ? row[e + 3] : pad;
    return r;
}

template <bool VEC>
__device__ __forceinline__ void store_slot(float* row, int64_t v, int a, int64_t n, float4 val) {
    const int64_t e = 4 * v - a;
    if (VEC && e >= 0 && e + 4 <= n) {
        __stcs(reinterpret_cast<float4*>(row + e), val);
        return;
    }
    if (e + 0 >= 0 && e + 0 < n)
        __stcs(row + e + 0, val.x);
    if (e + 1 >= 0 && e + 1 < n)
        __stcs(row + e + 1, val.y);
    if (e + 2 >= 0 && e + 2 < n)
        __stcs(row + e + 2, val.z);
    if (e + 3 >= 0 && e + 3 < n)
        __stcs(row + e + 3, val.w);
}

template <bool VEC>
__device__ __forceinline__ int misalignment(const float* p) {
    return VEC ? int((reinterpret_cast<uintptr_t>(p) >> 2) & 3) : 0;
}

__device__ __forceinline__ float max4(float4 v) {
    return fmaxf(fmaxf(v.x, v.y), fmaxf(v.z, v.w));
}

// exp(x - m) computed as exp2(x * log2e - m * log2e): one FFMA + one MUFU.EX2 per element.
__device__ __forceinline__ float4 exp_shifted(float4 v, float mb) {
    return {exp2f(fmaf(v.x, kLog2e, -mb)), exp2f(fmaf(v.y, kLog2e, -mb)), exp2f(fmaf(v.z, kLog2e, -mb)),
            exp2f(fmaf(v.w, kLog2e, -mb))};
}

__device__ __forceinline__ float sum4(float4 v) {
    return (v.x + v.y) + (v.z + v.w);
}

// Register-resident part shared by the warp and block kernels: load slots first, first + stride, ...; replace
// them by exp(x - m_thread) and return (m_thread, sum). Padding is -inf, whose exp is 0.
template <int VPT, bool VEC>
__device__ __forceinline__ MaxSum load_and_exp(const float* row, int a, int64_t n, int first, int stride,
                                               float4 (&buf)[VPT]) {
#pragma unroll
    for (int k = 0; k < VPT; ++k)
        buf[k] = load_slot<VEC, true>(row, first + k * stride, a, n, -INFINITY);
    float m = -INFINITY;
#pragma unroll
    for (int k = 0; k < VPT; ++k)
        m = fmaxf(m, max4(buf[k]));
    const float mb = m == -INFINITY ? 0.0f : m * kLog2e; // a thread without elements keeps all zeros
    float s = 0.0f;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        buf[k] = exp_shifted(buf[k], mb);
        s += sum4(buf[k]);
    }
    return {m, s};
}

template <int VPT, bool VEC>
__device__ __forceinline__ void scale_and_store(float* row, int a, int64_t n, int first, int stride,
                                                float4 (&buf)[VPT], float m_thread, MaxSum total) {
    // m_thread == -inf means this thread holds no element: exp2(-inf) = 0, nothing is stored anyway.
    const float scale = exp2f((m_thread - total.m) * kLog2e) / total.s;
#pragma unroll
    for (int k = 0; k < VPT; ++k) {
        const float4 e = buf[k];
        store_slot<VEC>(row, first + k * stride, a, n,
                        make_float4(e.x * scale, e.y * scale, e.z * scale, e.w * scale));
    }
}

constexpr int kSmallThreads = 256;

// G lanes per row (G <= 32), VPT slots per lane: rows up to 32 * 8 * 4 floats, 256 / G rows per block.
template <int G, int VPT, bool VEC>
__global__ void __launch_bounds__(kSmallThreads)
    softmax_small_rows(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int n) {
    const int64_t row = (int64_t(blockIdx.x) * kSmallThreads + threadIdx.x) / G;
    const int lane = threadIdx.x & (G - 1);
    // Lanes past the last row work on the last row so that the shuffles see full warps; they store nothing.
    const int64_t off = (row < rows ? row : rows - 1) * n;
    const float* xr = x + off;
    const int a = misalignment<VEC>(xr);
    float4 buf[VPT];
    const MaxSum mine = load_and_exp<VPT, VEC>(xr, a, n, lane, G, buf);
    const MaxSum total = group_reduce<G>(mine);
    if (row < rows)
        scale_and_store<VPT, VEC>(y + off, a, n, lane, G, buf, mine.m, total);
}

// One block per row (blockDim.x a multiple of 32, at most 1024), VPT slots per thread.
template <int VPT, bool VEC>
__global__ void __launch_bounds__(1024)
    softmax_block_rows(const float* __restrict__ x, float* __restrict__ y, int n) {
    __shared__ MaxSum sh[33];
    const int64_t off = int64_t(blockIdx.x) * n;
    const float* xr = x + off;
    const int a = misalignment<VEC>(xr);
    float4 buf[VPT];
    const MaxSum mine = load_and_exp<VPT, VEC>(xr, a, n, threadIdx.x, blockDim.x, buf);
    const MaxSum total = block_reduce(mine, sh);
    scale_and_store<VPT, VEC>(y + off, a, n, threadIdx.x, blockDim.x, buf, mine.m, total);
}

// ---- Rows too long for registers: chunked two-pass online softmax --------------------------------------

constexpr int kSplitThreads = 256;
constexpr int kSplitBatch = 4;          // slots in flight per thread
constexpr int64_t kMinChunkVecs = 1024; // 4096 floats: one batch for each of the 256 threads
constexpr int kMaxChunks = 1024;        // 2 * kMaxChunks parked floats must fit in chunk 0 (>= 4093 floats)

// Pass 1: block (row, chunk) computes the online (max, sum) of its chunk and parks it at y[row, 2 * chunk].
template <bool VEC>
__global__ void __launch_bounds__(kSplitThreads)
    softmax_split_stats(const float* __restrict__ x, float* __restrict__ y, int64_t n, int64_t chunk_vecs,
                        int chunks) {
    __shared__ MaxSum sh[33];
    const int64_t row = blockIdx.x / chunks;
    const int chunk = blockIdx.x % chunks;
    const float* xr = x + row * n;
    const int a = misalignment<VEC>(xr);
    const int64_t nv = (a + n + 3) / 4;
    const int64_t v_begin = chunk * chunk_vecs;
    const int64_t v_end = min64(v_begin + chunk_vecs, nv);
    MaxSum acc{-INFINITY, 0.0f};
    for (int64_t v = v_begin + threadIdx.x; v < v_end; v += kSplitBatch * kSplitThreads) {
        float4 b[kSplitBatch];
#pragma unroll
        for (int k = 0; k < kSplitBatch; ++k) {
            const int64_t vk = v + k * kSplitThreads;
            // Plain (L2-keeping) loads: pass 2 reads x again.
            b[k] = vk < v_end ? load_slot<VEC, false>(xr, vk, a, n, -INFINITY)
                              : make_float4(-INFINITY, -INFINITY, -INFINITY, -INFINITY);
        }
        float bm = max4(b[0]);
#pragma unroll
        for (int k = 1; k < kSplitBatch; ++k)
            bm = fmaxf(bm, max4(b[k]));
        // Slot v < nv always holds at least one row element, so bm is finite: rescale once per batch.
        const float m = fmaxf(acc.m, bm);
        const float mb = m * kLog2e;
        float s = acc.s * exp2f((acc.m - m) * kLog2e);
#pragma unroll
        for (int k = 0; k < kSplitBatch; ++k)
            s += sum4(exp_shifted(b[k], mb));
        acc = {m, s};
    }
    const MaxSum total = block_reduce(acc, sh);
    if (threadIdx.x == 0) {
        y[row * n + 2 * chunk] = total.m;
        y[row * n + 2 * chunk + 1] = total.s;
    }
}

// Pass 2: block (row, chunk_first + i) merges the parked pairs of its row and writes its chunk. The parked
// pairs live in chunk 0, so chunk 0 is written by a separate, later launch (stream order) of this kernel;
// within that launch each block reads the pairs before the block_reduce barrier and writes only after it.
// y is read and written here, so it is neither const nor __restrict__ (no non-coherent loads of it).
template <bool VEC>
__global__ void __launch_bounds__(kSplitThreads)
    softmax_split_write(const float* __restrict__ x, float* y, int64_t n, int64_t chunk_vecs, int chunks,
                        int chunk_first, int chunk_count) {
    __shared__ MaxSum sh[33];
    const int64_t row = blockIdx.x / chunk_count;
    const int chunk = chunk_first + int(blockIdx.x % chunk_count);
    const float* parked = y + row * n;
    MaxSum acc{-INFINITY, 0.0f};
    for (int i = threadIdx.x; i < chunks; i += kSplitThreads)
        acc = merge(acc, {parked[2 * i], parked[2 * i + 1]});
    const MaxSum total = block_reduce(acc, sh);
    const float mb = total.m * kLog2e;
    const float inv = 1.0f / total.s;

    const float* xr = x + row * n;
    float* yr = y + row * n;
    const int a = misalignment<VEC>(xr);
    const int64_t nv = (a + n + 3) / 4;
    const int64_t v_begin = chunk * chunk_vecs;
    const int64_t v_end = min64(v_begin + chunk_vecs, nv);
    for (int64_t v = v_begin + threadIdx.x; v < v_end; v += kSplitBatch * kSplitThreads) {
        float4 b[kSplitBatch];
#pragma unroll
        for (int k = 0; k < kSplitBatch; ++k) {
            const int64_t vk = v + k * kSplitThreads;
            b[k] =
                vk < v_end ? load_slot<VEC, true>(xr, vk, a, n, 0.0f) : make_float4(0.0f, 0.0f, 0.0f, 0.0f);
        }
#pragma unroll
        for (int k = 0; k < kSplitBatch; ++k) {
            const int64_t vk = v + k * kSplitThreads;
            if (vk < v_end) {
                const float4 e = exp_shifted(b[k], mb);
                store_slot<VEC>(yr, vk, a, n, make_float4(e.x * inv, e.y * inv, e.z * inv, e.w * inv));
            }
        }
    }
}

// ---- Host side ------------------------------------------------------------------------------------------

template <int G, int VPT, bool VEC>
void launch_small(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    const int64_t blocks = (rows * G + kSmallThreads - 1) / kSmallThreads;
    softmax_small_rows<G, VPT, VEC><<<unsigned(blocks), kSmallThreads, 0, stream>>>(x, y, rows, int(cols));
}

template <bool VEC>
void launch_all(const float* x, float* y, int64_t rows, int64_t cols, int64_t nv_max, cudaStream_t stream) {
    if (nv_max <= 16) { // fewer than 64 floats: 1-16 lanes per row, one slot each
        if (nv_max <= 1)
            launch_small<1, 1, VEC>(x, y, rows, cols, stream);
        else if (nv_max <= 2)
            launch_small<2, 1, VEC>(x, y, rows, cols, stream);
        else if (nv_max <= 4)
            launch_small<4, 1, VEC>(x, y, rows, cols, stream);
        else if (nv_max <= 8)
            launch_small<8, 1, VEC>(x, y, rows, cols, stream);
        else
            launch_small<16, 1, VEC>(x, y, rows, cols, stream);
    } else if (nv_max <= 256) { // warp per row, up to 8 slots per lane
        if (nv_max <= 32)
            launch_small<32, 1, VEC>(x, y, rows, cols, stream);
        else if (nv_max <= 64)
            launch_small<32, 2, VEC>(x, y, rows, cols, stream);
        else if (nv_max <= 128)
            launch_small<32, 4, VEC>(x, y, rows, cols, stream);
        else
            launch_small<32, 8, VEC>(x, y, rows, cols, stream);
    } else if (nv_max <= 8192) { // block per row, up to 1024 threads x 8 slots
        const int vpt = nv_max <= 2048 ? 4 : 8;
        const int threads = int(((nv_max + vpt - 1) / vpt + 31) / 32 * 32);
        if (vpt == 4)
            softmax_block_rows<4, VEC><<<unsigned(rows), threads, 0, stream>>>(x, y, int(cols));
        else
            softmax_block_rows<8, VEC><<<unsigned(rows), threads, 0, stream>>>(x, y, int(cols));
    } else { // chunked two-pass
        const int64_t chunk_vecs = std::max(kMinChunkVecs, (nv_max + kMaxChunks - 1) / kMaxChunks);
        const int chunks = int((nv_max + chunk_vecs - 1) / chunk_vecs); // >= 2 here, <= kMaxChunks
        softmax_split_stats<VEC>
            <<<unsigned(rows * chunks), kSplitThreads, 0, stream>>>(x, y, cols, chunk_vecs, chunks);
        softmax_split_write<VEC><<<unsigned(rows * (chunks - 1)), kSplitThreads, 0, stream>>>(
            x, y, cols, chunk_vecs, chunks, 1, chunks - 1);
        softmax_split_write<VEC>
            <<<unsigned(rows), kSplitThreads, 0, stream>>>(x, y, cols, chunk_vecs, chunks, 0, 1);
    }
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    // 16-byte access needs x and y at the same offset from a 16-byte boundary (cudaMalloc gives 256 bytes).
    const bool vec = ((reinterpret_cast<uintptr_t>(x) ^ reinterpret_cast<uintptr_t>(y)) & 15) == 0;
    // Largest row misalignment a: constant when every row starts at a multiple of 4 floats from the first.
    const int a0 = int((reinterpret_cast<uintptr_t>(x) >> 2) & 3);
    const int a_max = !vec ? 0 : (cols % 4 == 0 || rows == 1) ? a0 : 3;
    const int64_t nv_max = (a_max + cols + 3) / 4; // 16-byte slots a row may span
    if (vec)
        launch_all<true>(x, y, rows, cols, nv_max, stream);
    else
        launch_all<false>(x, y, rows, cols, nv_max, stream);
}
