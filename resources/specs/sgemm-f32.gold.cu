// SGEMM, row-major, full fp32 (FFMA only, no TF32): C[m,n] = A[m,k] @ B[k,n].
//
// Speed: classic register-blocked SIMT GEMM. A 256-thread block owns a 128x128 tile of C; each thread holds
// an 8x8 sub-tile (two 4-row x two 4-column quads, 64 accumulators), so every k step costs 4 LDS.128 for 64
// FFMAs. A is stored transposed in shared memory (As[k][m], row stride padded to 132 floats so the
// transposing scalar stores are bank-conflict free) and B as-is, both double-buffered: the next BK=16 slab is
// fetched from global memory into registers while the current one is multiplied, so only one __syncthreads
// per slab is needed. Lanes of a warp form a 4x8 grid, so each fragment LDS.128 is one conflict-free
// wavefront. Tiles are visited in groups of 8 tile-rows so that concurrently running blocks share A and B
// panels in L2.
//
// Odd sizes: 16-byte float4 loads/stores are used only when the row pitch keeps every row 16-byte aligned
// (k % 4 == 0 for A, n % 4 == 0 for B and C, base pointers 16-byte aligned); otherwise the same kernel is
// instantiated with guarded scalar loads. Out-of-range elements are loaded as zeros and stores are guarded,
// so any m, n, k >= 1 works. Warps whose whole sub-tile lies outside C skip the FFMAs. When there are too few
// tiles to fill the GPU, K is split across blocks that add their partial tiles into a zeroed C with atomicAdd
// (results then vary between runs by rounding only); the split count avoids a ragged last wave. m <= 8
// (vector x matrix) is memory-bound and goes to a separate streaming kernel (sgemm_skinny) instead of 128-row
// tiles. Offsets are 64-bit (each dimension is assumed < 2^31).

#include <cstdint>
#include <cuda_runtime.h>

namespace {

constexpr int kBM = 128;          // tile rows (m)
constexpr int kBN = 128;          // tile cols (n)
constexpr int kBK = 16;           // k slab per pipeline stage
constexpr int kThreads = 256;     // 16 x 16 threads, 8 x 8 outputs each
constexpr int kAStride = kBM + 4; // padded row of the transposed A tile (see header)
constexpr int kGroupM = 8;        // tile-rows per L2 swizzle group
constexpr int kOverheadSlabs = 2; // per-block fixed cost (prologue, epilogue) in slabs, for choose_splits

constexpr int kAPasses = kBK / 8; // each pass: 128 rows x 8 columns of A, one float4 per thread
constexpr int kBPasses = kBK / 8; // each pass: 8 rows x 128 columns of B, one float4 per thread

template <bool kVecA, bool kVecB>
__global__ void __launch_bounds__(kThreads, 2)
    sgemm_128x128(const float* __restrict__ A, const float* __restrict__ B, float* __restrict__ C, int m,
                  int n, int k, int tiles_m, int tiles_n, int k_per_split, bool accumulate) {
    __shared__ __align__(16) float As[2][kBK][kAStride];
    __shared__ __align__(16) float Bs[2][kBK][kBN];

    const int tid = threadIdx.x;

    // Grouped tile order: consecutive blocks walk down a group of kGroupM tile-rows before moving right.
    const int tile = blockIdx.x;
    const int group_tiles = kGroupM * tiles_n;
    const int first_m = (tile / group_tiles) * kGroupM;
    const int group_m = min(tiles_m - first_m, kGroupM);
    const int in_group = tile % group_tiles;
    const int bm0 = (first_m + in_group % group_m) * kBM;
    const int bn0 = (in_group / group_m) * kBN;

    const int k_begin = blockIdx.y * k_per_split;
    const int k_end = min(k, k_begin + k_per_split);
    const int num_slabs = (k_end - k_begin + kBK - 1) / kBK;

    // Global -> register loaders, pass p: A row tid/2, cols 8p + (tid&1)*4;
    // B row 8p + tid/32, cols (tid&31)*4.
    const int a_row = tid >> 1;
    const int a_col = (tid & 1) * 4;
    const int b_row = tid >> 5;
    const int b_col = (tid & 31) * 4;
    const int a_grow = bm0 + a_row;
    const bool a_row_ok = a_grow < m;
    const float* a_src = A + (int64_t)(a_row_ok ? a_grow : 0) * k; // clamped so the pointer stays inside A
    const int b_gcol = bn0 + b_col;

    float4 a_reg[kAPasses];
    float4 b_reg[kBPasses];

    auto load_slab = [&](int k0) {
#pragma unroll
        for (int p = 0; p < kAPasses; ++p) {
            const int c = k0 + p * 8 + a_col;
            if (kVecA) {
                // k % 4 == 0 and c % 4 == 0, so c < k_end means all four columns are in range.
                a_reg[p] = (a_row_ok && c < k_end) ? __ldg(reinterpret_cast<const float4*>(a_src + c))
                                                   : make_float4(0.f, 0.f, 0.f, 0.f);
            } else {
                a_reg[p].x = (a_row_ok && c + 0 < k_end) ? __ldg(a_src + c + 0) : 0.f;
                a_reg[p].y = (a_row_ok && c + 1 < k_end) ? __ldg(a_src + c + 1) : 0.f;
                a_reg[p].z = (a_row_ok && c + 2 < k_end) ? __ldg(a_src + c + 2) : 0.f;
                a_reg[p].w = (a_row_ok && c + 3 < k_end) ? __ldg(a_src + c + 3) : 0.f;
            }
        }
#pragma unroll
        for (int p = 0; p < kBPasses; ++p) {
            const int r = k0 + p * 8 + b_row;
            const bool r_ok = r < k_end;
            const float* src = B + (int64_t)(r_ok ? r : 0) * n + b_gcol;
            if (kVecB) {
                b_reg[p] = (r_ok && b_gcol < n) ? __ldg(reinterpret_cast<const float4*>(src))
                                                : make_float4(0.f, 0.f, 0.f, 0.f);
            } else {
                b_reg[p].x = (r_ok && b_gcol + 0 < n) ? __ldg(src + 0) : 0.f;
                b_reg[p].y = (r_ok && b_gcol + 1 < n) ? __ldg(src + 1) : 0.f;
                b_reg[p].z = (r_ok && b_gcol + 2 < n) ? __ldg(src + 2) : 0.f;
                b_reg[p].w = (r_ok && b_gcol + 3 < n) ? __ldg(src + 3) : 0.f;
            }
        }
    };

    auto store_slab = [&](int buf) {
#pragma unroll
        for (int p = 0; p < kAPasses; ++p) {
            const int c = p * 8 + a_col;
            As[buf][c + 0][a_row] = a_reg[p].x;
            As[buf][c + 1][a_row] = a_reg[p].y;
            As[buf][c + 2][a_row] = a_reg[p].z;
            As[buf][c + 3][a_row] = a_reg[p].w;
        }
#pragma unroll
        for (int p = 0; p < kBPasses; ++p)
            *reinterpret_cast<float4*>(&Bs[buf][p * 8 + b_row][b_col]) = b_reg[p];
    };

    // Compute mapping: warps form a 4 (m) x 2 (n) grid, lanes a 4 x 8 grid inside the warp.
    const int warp = tid >> 5;
    const int lane = tid & 31;
    const int ty = (warp >> 1) * 4 + (lane >> 3); // 0..15: rows ty*4..+3 and 64+ty*4..+3
    const int tx = (warp & 1) * 8 + (lane & 7);   // 0..15: cols tx*4..+3 and 64+tx*4..+3
    // Smallest row / column this warp touches; warps entirely outside C skip the arithmetic.
    const bool warp_active = (bm0 + (warp >> 1) * 16 < m) && (bn0 + (warp & 1) * 32 < n);

    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; ++i)
#pragma unroll
        for (int j = 0; j < 8; ++j)
            acc[i][j] = 0.f;

    load_slab(k_begin);
    store_slab(0);
    __syncthreads();

    for (int s = 0; s < num_slabs; ++s) {
        const int buf = s & 1;
        const bool has_next = s + 1 < num_slabs;
        if (has_next)
            load_slab(k_begin + (s + 1) * kBK); // in flight while this slab is multiplied

        if (warp_active) {
#pragma unroll
            for (int kk = 0; kk < kBK; ++kk) {
                const float4 a0 = *reinterpret_cast<const float4*>(&As[buf][kk][ty * 4]);
                const float4 a1 = *reinterpret_cast<const float4*>(&As[buf][kk][64 + ty * 4]);
                const float4 b0 = *reinterpret_cast<const float4*>(&Bs[buf][kk][tx * 4]);
                const float4 b1 = *reinterpret_cast<const float4*>(&Bs[buf][kk][64 + tx * 4]);
                const float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
                const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
                for (int i = 0; i < 8; ++i)
#pragma unroll
                    for (int j = 0; j < 8; ++j)
                        acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
            }
        }

        if (has_next)
            store_slab(buf ^ 1); // that buffer was last read before the previous barrier
        __syncthreads();
    }

    // Epilogue: each thread owns rows {ty*4+i, 64+ty*4+i} x column quads {tx*4, 64+tx*4}.
#pragma unroll
    for (int i = 0; i < 8; ++i) {
        const int row = bm0 + (i < 4 ? ty * 4 + i : 64 + ty * 4 + (i - 4));
        if (row >= m)
            continue;
        float* c_row = C + (int64_t)row * n;
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int col = bn0 + h * 64 + tx * 4;
            const float* v = &acc[i][h * 4];
            if (accumulate) {
#pragma unroll
                for (int j = 0; j < 4; ++j)
                    if (col + j < n)
                        atomicAdd(c_row + col + j, v[j]);
            } else if (kVecB) {
                if (col < n) // n % 4 == 0: the whole quad is in range
                    *reinterpret_cast<float4*>(c_row + col) = make_float4(v[0], v[1], v[2], v[3]);
            } else {
#pragma unroll
                for (int j = 0; j < 4; ++j)
                    if (col + j < n)
                        c_row[col + j] = v[j];
            }
        }
    }
}

// Number of K splits for a grid of `tiles` output tiles: minimises (waves of resident blocks) x (slabs per
// split + a per-block cost of about kOverheadSlabs), so that small grids fill the GPU without a nearly empty
// last wave. Ties keep fewer splits (fewer atomics).
int choose_splits(int64_t tiles, int slabs, int slots, int max_splits) {
    int best = 1;
    int64_t best_cost = INT64_MAX;
    for (int s = 1; s <= max_splits; ++s) {
        const int per = (slabs + s - 1) / s;
        if ((slabs + per - 1) / per != s)
            continue; // same slab count per split as a smaller s, with an empty split
        const int64_t waves = (tiles * s + slots - 1) / slots;
        const int64_t cost = waves * (per + kOverheadSlabs);
        if (cost < best_cost) {
            best_cost = cost;
            best = s;
        }
    }
    return best;
}

bool aligned16(const void* p) {
    return (reinterpret_cast<uintptr_t>(p) & 15u) == 0;
}

// Skinny A (m <= 8 rows, e.g. vector x matrix): the 128x128 tile would waste almost all of its FFMAs and
// cannot keep enough loads in flight, and the time is set by streaming B once. Lanes own 4 adjacent columns
// (one float4 of a B row, so a warp reads 512 contiguous bytes), the 8 warps of a block take interleaved k
// rows, the A values are warp-uniform L1 hits, and the warps' partial sums are added in shared memory.
template <int MR, bool kVecB>
__global__ void __launch_bounds__(kThreads, 2)
    sgemm_skinny(const float* __restrict__ A, const float* __restrict__ B, float* __restrict__ C, int m,
                 int n, int k, int k_per_split, bool accumulate) {
    __shared__ __align__(16) float red[kThreads / 32][MR][128];
    const int warp = threadIdx.x >> 5;
    const int lane = threadIdx.x & 31;
    const int col0 = blockIdx.x * 128;
    const int col = col0 + lane * 4;
    const int k_begin = blockIdx.y * k_per_split;
    const int k_end = min(k, k_begin + k_per_split);

    float acc[MR][4];
#pragma unroll
    for (int r = 0; r < MR; ++r)
#pragma unroll
        for (int j = 0; j < 4; ++j)
            acc[r][j] = 0.f;

    constexpr int kUnroll = MR >= 8 ? 2 : 4; // B loads in flight per thread, bounded by registers
    if (col < n) {
#pragma unroll kUnroll
        for (int kk = k_begin + warp; kk < k_end; kk += kThreads / 32) {
            const float* src = B + (int64_t)kk * n + col;
            float4 bv;
            if (kVecB) {
                bv = __ldg(reinterpret_cast<const float4*>(src)); // n % 4 == 0: the quad is in range
            } else {
                bv.x = __ldg(src);
                bv.y = col + 1 < n ? __ldg(src + 1) : 0.f;
                bv.z = col + 2 < n ? __ldg(src + 2) : 0.f;
                bv.w = col + 3 < n ? __ldg(src + 3) : 0.f;
            }
#pragma unroll
            for (int r = 0; r < MR; ++r) {
                const float a = r < m ? __ldg(A + (int64_t)r * k + kk) : 0.f;
                acc[r][0] = fmaf(a, bv.x, acc[r][0]);
                acc[r][1] = fmaf(a, bv.y, acc[r][1]);
                acc[r][2] = fmaf(a, bv.z, acc[r][2]);
                acc[r][3] = fmaf(a, bv.w, acc[r][3]);
            }
        }
    }
#pragma unroll
    for (int r = 0; r < MR; ++r)
        *reinterpret_cast<float4*>(&red[warp][r][lane * 4]) =
            make_float4(acc[r][0], acc[r][1], acc[r][2], acc[r][3]);
    __syncthreads();

    // Threads 0..127 each finish one column of the block for every row.
    if (threadIdx.x < 128 && col0 + (int)threadIdx.x < n) {
        const int c = col0 + threadIdx.x;
#pragma unroll
        for (int r = 0; r < MR; ++r) {
            if (r >= m)
                break;
            float sum = 0.f;
#pragma unroll
            for (int w = 0; w < kThreads / 32; ++w)
                sum += red[w][r][threadIdx.x];
            if (accumulate)
                atomicAdd(C + (int64_t)r * n + c, sum);
            else
                C[(int64_t)r * n + c] = sum;
        }
    }
}

template <int MR>
void launch_skinny(const float* a, const float* b, float* c, int M, int N, int K, int sms,
                   cudaStream_t stream) {
    // Enough blocks for ~4 per SM, so that plenty of B loads are in flight; at least 64 k rows per split.
    const int col_blocks = (N + 127) / 128;
    int splits = max(1, min((4 * sms + col_blocks - 1) / col_blocks, (K + 63) / 64));
    const int k_per_split = (K + splits - 1) / splits;
    splits = (K + k_per_split - 1) / k_per_split; // no empty splits
    const bool accumulate = splits > 1;
    if (accumulate)
        cudaMemsetAsync(c, 0, sizeof(float) * (size_t)M * (size_t)N, stream);
    const dim3 grid(col_blocks, splits);
    if (N % 4 == 0 && aligned16(b))
        sgemm_skinny<MR, true><<<grid, kThreads, 0, stream>>>(a, b, c, M, N, K, k_per_split, accumulate);
    else
        sgemm_skinny<MR, false><<<grid, kThreads, 0, stream>>>(a, b, c, M, N, K, k_per_split, accumulate);
}

} // namespace

extern "C" void kf_launch(const float* a, const float* b, float* c, int64_t m, int64_t n, int64_t k,
                          cudaStream_t stream) {
    const int M = (int)m, N = (int)n, K = (int)k;
    int dev = 0, sms = 132;
    cudaGetDevice(&dev);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);

    if (M <= 8) {
        if (M == 1)
            launch_skinny<1>(a, b, c, M, N, K, sms, stream);
        else if (M == 2)
            launch_skinny<2>(a, b, c, M, N, K, sms, stream);
        else if (M <= 4)
            launch_skinny<4>(a, b, c, M, N, K, sms, stream);
        else
            launch_skinny<8>(a, b, c, M, N, K, sms, stream);
        return;
    }

    const int tiles_m = (M + kBM - 1) / kBM;
    const int tiles_n = (N + kBN - 1) / kBN;
    const int tiles = tiles_m * tiles_n;

    // Split K when the tiles alone leave SMs idle (two blocks fit per SM); at least 128 of K per split, since
    // every split adds a full tile of atomics.
    const int slabs = (K + kBK - 1) / kBK;
    const int splits = choose_splits(tiles, slabs, 2 * sms, max(1, min(64, slabs / 8)));
    const int slabs_per_split = (slabs + splits - 1) / splits;
    const int k_per_split = slabs_per_split * kBK;
    const bool accumulate = splits > 1;
    if (accumulate)
        cudaMemsetAsync(c, 0, sizeof(float) * (size_t)m * (size_t)n, stream);

    const bool vec_a = (K % 4 == 0) && aligned16(a);
    const bool vec_b = (N % 4 == 0) && aligned16(b) && aligned16(c);
    const dim3 grid(tiles, splits);
    const dim3 block(kThreads);
    if (vec_a && vec_b)
        sgemm_128x128<true, true>
            <<<grid, block, 0, stream>>>(a, b, c, M, N, K, tiles_m, tiles_n, k_per_split, accumulate);
    else if (vec_a)
        sgemm_128x128<true, false>
            <<<grid, block, 0, stream>>>(a, b, c, M, N, K, tiles_m, tiles_n, k_per_split, accumulate);
    else if (vec_b)
        sgemm_128x128<false, true>
            <<<grid, block, 0, stream>>>(a, b, c, M, N, K, tiles_m, tiles_n, k_per_split, accumulate);
    else
        sgemm_128x128<false, false>
            <<<grid, block, 0, stream>>>(a, b, c, M, N, K, tiles_m, tiles_n, k_per_split, accumulate);
}
