// Gold kernel for rowsum-f32: y[r] = sum_c x[r, c], fp32 accumulation shaped as a tree.
//
// Speed: a pure streaming read, so the mapping is chosen by shape to keep >= 64 KB in flight per SM:
//  - cols <= 32: a block stages 8192 contiguous floats (many whole rows) through padded shared memory with
//    16-byte loads, then each thread sums one row;
//  - cols <= 2048: 8, 16 or 32 lanes per row; up to 16384: a 256-thread block per row; float4 loads;
//  - longer rows: 1024-thread blocks, and when rows are too few to fill the GPU (one 10M-element row) a
//    cluster of up to 16 blocks per row whose partial sums meet in distributed shared memory. Deterministic,
//    one launch, no scratch buffer; the price is that one row streams at the rate of 16 SMs (~1 TB/s), where
//    grid-wide atomics would reach ~2.4 TB/s but round differently from run to run.
// Accuracy: each thread adds batches of 4-8 vectors pairwise into 4 running lanes, then warp, block and
// cluster trees; for 10M elements the sequential chains are ~40 long, far inside the 1e-5 tolerance.
// Odd sizes: a row that does not start on a 16-byte boundary is summed as a scalar head (<= 3 elements),
// a float4 body and a scalar tail (<= 3); 1-D grids, 64-bit offsets.

#include <algorithm>
#include <cooperative_groups.h>

namespace cg = cooperative_groups;

namespace {

__host__ __device__ __forceinline__ int64_t min64(int64_t a, int64_t b) {
    return a < b ? a : b;
}

__device__ __forceinline__ float4 add4(float4 a, float4 b) {
    return make_float4(a.x + b.x, a.y + b.y, a.z + b.z, a.w + b.w);
}

// This thread's share of row[0, n): body float4 i = t, t + stride, ... (U at a time, summed pairwise), plus
// the scalar head/tail elements, which go to threads t = 0..2. Needs stride >= 3.
template <int U>
__device__ __forceinline__ float row_partial(const float* __restrict__ row, int64_t n, int64_t t,
                                             int64_t stride) {
    const int mis = int((reinterpret_cast<uintptr_t>(row) >> 2) & 3);
    const int64_t head = min64(n, (4 - mis) & 3);
    const int64_t nb = (n - head) >> 2;
    const float4* body = reinterpret_cast<const float4*>(row + head);
    float4 acc = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    int64_t i = t;
    for (; i + (U - 1) * stride < nb; i += U * stride) {
        float4 v[U];
#pragma unroll
        for (int k = 0; k < U; ++k)
            v[k] = __ldcs(body + i + k * stride);
#pragma unroll
        for (int w = 1; w < U; w *= 2) // pairwise tree over the batch
#pragma unroll
            for (int k = 0; k + w < U; k += 2 * w)
                v[k] = add4(v[k], v[k + w]);
        acc = add4(acc, v[0]);
    }
    for (; i < nb; i += stride)
        acc = add4(acc, __ldcs(body + i));
    float s = (acc.x + acc.y) + (acc.z + acc.w);
    const int64_t tail_start = head + 4 * nb;
    if (t < head)
        s += row[t];
    if (t < n - tail_start)
        s += row[tail_start + t];
    return s;
}

template <int G>
__device__ __forceinline__ float group_sum(float v) {
#pragma unroll
    for (int off = G / 2; off > 0; off >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, off);
    return v;
}

// ---- cols <= 32: stage whole rows through shared memory -------------------------------------------------

constexpr int kShortThreads = 256;
constexpr int kShortElems = 8192; // staged floats per block (32 KB)

// Padding one float per 32 makes the row-per-thread reads conflict-free for even cols; odd cols are
// conflict-free unpadded.
__device__ __forceinline__ int staged_index(int e, bool pad) {
    return pad ? e + (e >> 5) : e;
}

__global__ void __launch_bounds__(kShortThreads)
    rowsum_short(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int n,
                 int rows_per_block) {
    __shared__ float stage[kShortElems + kShortElems / 32];
    const bool pad = (n & 1) == 0;
    const int64_t r0 = int64_t(blockIdx.x) * rows_per_block;
    const int nr = int(min64(rows_per_block, rows - r0));
    const int len = nr * n; // <= kShortElems
    const float* src = x + r0 * n;
    const int mis = int((reinterpret_cast<uintptr_t>(src) >> 2) & 3);
    const int head = int(min64(len, (4 - mis) & 3));
    const int nb = (len - head) >> 2;
    const float4* body = reinterpret_cast<const float4*>(src + head);
    constexpr int kVecs = kShortElems / 4 / kShortThreads;
    float4 v[kVecs];
#pragma unroll
    for (int k = 0; k < kVecs; ++k) {
        const int i = threadIdx.x + k * kShortThreads;
        if (i < nb)
            v[k] = __ldcs(body + i);
    }
#pragma unroll
    for (int k = 0; k < kVecs; ++k) {
        const int i = threadIdx.x + k * kShortThreads;
        if (i < nb) {
            const int e = head + 4 * i;
            stage[staged_index(e + 0, pad)] = v[k].x;
            stage[staged_index(e + 1, pad)] = v[k].y;
            stage[staged_index(e + 2, pad)] = v[k].z;
            stage[staged_index(e + 3, pad)] = v[k].w;
        }
    }
    const int tail_start = head + 4 * nb;
    if (int(threadIdx.x) < head)
        stage[staged_index(threadIdx.x, pad)] = __ldcs(src + threadIdx.x);
    if (int(threadIdx.x) < len - tail_start)
        stage[staged_index(tail_start + threadIdx.x, pad)] = __ldcs(src + tail_start + threadIdx.x);
    __syncthreads();
    for (int r = threadIdx.x; r < nr; r += kShortThreads) {
        const int base = r * n;
        float s = 0.0f;
        for (int j = 0; j < n; ++j)
            s += stage[staged_index(base + j, pad)];
        y[r0 + r] = s;
    }
}

// ---- 32 < cols <= 2048: G lanes per row ------------------------------------------------------------------

constexpr int kGroupThreads = 256;

template <int G>
__global__ void __launch_bounds__(kGroupThreads)
    rowsum_group(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int64_t n) {
    const int64_t row = (int64_t(blockIdx.x) * kGroupThreads + threadIdx.x) / G;
    const int lane = threadIdx.x & (G - 1);
    // Lanes past the last row re-read the last row so that every shuffle sees a full warp.
    const int64_t rc = row < rows ? row : rows - 1;
    const float s = group_sum<G>(row_partial<4>(x + rc * n, n, lane, G));
    if (row < rows && lane == 0)
        y[row] = s;
}

// ---- longer rows, enough of them: a block per row --------------------------------------------------------

constexpr int kBlockThreads = 256;

__global__ void __launch_bounds__(kBlockThreads)
    rowsum_block(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    __shared__ float warp_sums[kBlockThreads / 32];
    const int64_t row = blockIdx.x;
    float s = group_sum<32>(row_partial<4>(x + row * n, n, threadIdx.x, kBlockThreads));
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    if (lane == 0)
        warp_sums[warp] = s;
    __syncthreads();
    if (warp == 0) {
        s = group_sum<kBlockThreads / 32>(lane < kBlockThreads / 32 ? warp_sums[lane] : 0.0f);
        if (lane == 0)
            y[row] = s;
    }
}

// ---- long rows: a cluster of C blocks per row (C = 1 when rows fill the GPU) -----------------------------

constexpr int kLongThreads = 1024;
constexpr int kMaxCluster = 16; // non-portable size; H100 allows 16

__global__ void __launch_bounds__(kLongThreads, 1)
    rowsum_cluster(const float* __restrict__ x, float* __restrict__ y, int64_t n) {
    __shared__ float warp_sums[32];
    __shared__ float block_sum;
    const cg::cluster_group cluster = cg::this_cluster();
    const unsigned csize = cluster.num_blocks();
    const unsigned rank = cluster.block_rank();
    const int64_t row = blockIdx.x / csize;
    // Block rank r takes body vectors r * 1024 + tid + k * (C * 1024): the cluster sweeps the row together.
    float s = row_partial<8>(x + row * n, n, int64_t(rank) * kLongThreads + threadIdx.x,
                             int64_t(csize) * kLongThreads);
    s = group_sum<32>(s);
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    if (lane == 0)
        warp_sums[warp] = s;
    __syncthreads();
    if (warp == 0) {
        s = group_sum<32>(warp_sums[lane]);
        if (lane == 0)
            block_sum = s;
    }
    cluster.sync(); // every block_sum of the cluster is written
    if (rank == 0 && warp == 0) {
        // Lane i reads block i's sum through DSMEM; a fixed-shape butterfly keeps the result deterministic.
        float v = lane < int(csize) ? *cluster.map_shared_rank(&block_sum, lane) : 0.0f;
        v = group_sum<32>(v);
        if (lane == 0)
            y[row] = v;
    }
    cluster.sync(); // keep every block's shared memory alive until rank 0 has read it
}

int cluster_size_limit() {
    // Host-side, once per process: allow 16-block clusters and check that one fits; otherwise use the
    // portable 8.
    static const int limit = [] {
        if (cudaFuncSetAttribute(rowsum_cluster, cudaFuncAttributeNonPortableClusterSizeAllowed, 1) !=
            cudaSuccess) {
            (void)cudaGetLastError(); // clear the non-sticky error this probe may leave behind
            return 8;
        }
        cudaLaunchConfig_t cfg = {};
        cfg.gridDim = dim3(kMaxCluster);
        cfg.blockDim = dim3(kLongThreads);
        cudaLaunchAttribute attr;
        attr.id = cudaLaunchAttributeClusterDimension;
        attr.val.clusterDim.x = kMaxCluster;
        attr.val.clusterDim.y = 1;
        attr.val.clusterDim.z = 1;
        cfg.attrs = &attr;
        cfg.numAttrs = 1;
        int clusters = 0;
        if (cudaOccupancyMaxActiveClusters(&clusters, rowsum_cluster, &cfg) != cudaSuccess) {
            (void)cudaGetLastError();
            return 8;
        }
        return clusters >= 1 ? kMaxCluster : 8;
    }();
    return limit;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    if (cols <= 32) {
        const int rows_per_block = kShortElems / int(cols);
        const int64_t blocks = (rows + rows_per_block - 1) / rows_per_block;
        rowsum_short<<<unsigned(blocks), kShortThreads, 0, stream>>>(x, y, rows, int(cols), rows_per_block);
        return;
    }
    if (cols <= 2048) {
        // About 2-16 float4 per lane.
        const int g = cols <= 128 ? 8 : cols <= 256 ? 16 : 32;
        const int64_t blocks = (rows * g + kGroupThreads - 1) / kGroupThreads;
        if (g == 8)
            rowsum_group<8><<<unsigned(blocks), kGroupThreads, 0, stream>>>(x, y, rows, cols);
        else if (g == 16)
            rowsum_group<16><<<unsigned(blocks), kGroupThreads, 0, stream>>>(x, y, rows, cols);
        else
            rowsum_group<32><<<unsigned(blocks), kGroupThreads, 0, stream>>>(x, y, rows, cols);
        return;
    }
    if (cols <= 16384) {
        rowsum_block<<<unsigned(rows), kBlockThreads, 0, stream>>>(x, y, cols);
        return;
    }
    int device = 0, sms = 0;
    cudaGetDevice(&device);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device);
    // Long rows: 1024-thread blocks, one per SM; split each row over a cluster until the grid covers every
    // SM.
    int csize = 1;
    while (csize < kMaxCluster && rows * csize < sms)
        csize *= 2;
    csize = std::min(csize, cluster_size_limit());
    cudaLaunchConfig_t cfg = {};
    cfg.gridDim = dim3(unsigned(rows * csize));
    cfg.blockDim = dim3(kLongThreads);
    cfg.dynamicSmemBytes = 0;
    cfg.stream = stream;
    cudaLaunchAttribute attr;
    attr.id = cudaLaunchAttributeClusterDimension;
    attr.val.clusterDim.x = unsigned(csize);
    attr.val.clusterDim.y = 1;
    attr.val.clusterDim.z = 1;
    cfg.attrs = &attr;
    cfg.numAttrs = 1;
    cudaLaunchKernelEx(&cfg, rowsum_cluster, x, y, cols);
}
