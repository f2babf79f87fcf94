// 3x3 convolution, stride 1, zero padding 1, NCHW, fp32 FFMA only (no TF32), as implicit GEMM:
//   y[b, co, p] = sum over kk = ci*9 + r*3 + s of  W[co, kk] * X[kk, (b, p)]
// where W is the weight tensor read as a [cout, cin*9] row-major matrix (its own layout) and X is the im2col
// matrix, never materialised: its elements x[b, ci, h+r-1, w+s-1] (or 0 in the padding) are gathered straight
// into shared memory. Pixels of all images form one GEMM column dimension, so small images still fill tiles.
//
// Speed: a 256-thread block owns a (64 or 128 output channels) x 128 pixels tile; each thread keeps 4 or 8
// channels x 8 pixels in registers, so a k step is 3-4 LDS.128 for 32-64 FFMAs. Both operand tiles are
// double-buffered in shared memory with register prefetch of the next BK=8 slab (one barrier per slab). The
// gather is cheap: each thread loads one k row for 4 adjacent pixels whose offsets and in-bounds masks (3 row
// bits and 3 column bits per pixel) are computed once per block; per slab only (ci, r*3+s) advances.
// Neighbouring pixels and the 9 taps of one channel hit the same L1 lines, so x comes from DRAM about once.
//
// Odd sizes: every load is guarded (zeros outside the image, past cin*9 or past the last pixel), stores are
// float4 only when H*W % 4 == 0 (a quad never straddles an image and rows stay 16-byte aligned), scalar
// otherwise. When the tiles cannot fill the GPU (few pixels, e.g. deep 7x7 layers) K is split across blocks
// that atomically add into a zeroed y, with the split count chosen to avoid a ragged last wave. Gather
// offsets are 32-bit relative to an image when they provably fit, 64-bit otherwise; other offsets are 64-bit
// (assumes height * width < 2^31).

#include <cstdint>
#include <cuda_runtime.h>

namespace {

constexpr int kBN = 128; // pixels per tile
constexpr int kBK = 8;   // k (= ci*9 + tap) per pipeline stage
constexpr int kThreads = 256;
constexpr int kOverheadSlabs = 4; // per-block fixed cost (prologue, epilogue) in slabs, for choose_splits

template <int BM, bool kVecStore, typename OffT>
__global__ void __launch_bounds__(kThreads, (BM == 128 ? 2 : 3) - (sizeof(OffT) == 8 ? 1 : 0))
    conv3x3_igemm(const float* __restrict__ x, const float* __restrict__ wt, float* __restrict__ y, int cin,
                  int H, int W, int cout, int64_t num_pix, int k_per_split, bool accumulate) {
    constexpr int kMH = BM / 64;               // 4-row quads per thread (1 or 2)
    constexpr int kAStride = BM + 4;           // padded transposed weight tile row
    constexpr int kAPer = BM * kBK / kThreads; // weight elements each thread loads per slab (2 or 4)
    constexpr int kATpr = kBK / kAPer;         // threads per weight row (4 or 2)

    __shared__ __align__(16) float As[2][kBK][kAStride];
    __shared__ __align__(16) float Bs[2][kBK][kBN];

    const int tid = threadIdx.x;
    const int HW = H * W;
    const int K = cin * 9;
    const int64_t pix0 = (int64_t)blockIdx.x * kBN;
    const int co0 = blockIdx.y * BM;
    const int k_begin = blockIdx.z * k_per_split;
    const int k_end = min(K, k_begin + k_per_split);
    const int num_slabs = (k_end - k_begin + kBK - 1) / kBK;

    // ---- weight loader: row a_row (output channel), kAPer consecutive kk from a_col.
    const int a_row = tid / kATpr;
    const int a_col = (tid % kATpr) * kAPer;
    const bool a_row_ok = co0 + a_row < cout;
    const float* a_src = wt + (int64_t)(a_row_ok ? co0 + a_row : 0) * K;

    // ---- im2col loader: k row b_row of the slab, pixels b_col..b_col+3 of the tile. Offsets are relative to
    // the image of the thread's first pixel, in OffT (int when the host has checked that they fit).
    const int b_row = tid >> 5;
    const int b_col = (tid & 31) * 4;
    const int64_t g_first = min(pix0 + b_col, num_pix - 1);
    const int64_t img_first = g_first / HW;
    const float* x_img = x + img_first * cin * HW;
    OffT pix_off[4]; // offset of x[b, 0, h, w] from x_img
    // Bits 6j+r: row h+r-1 of pixel j is inside the image; bits 6j+3+s: column w+s-1 is (0 for absent
    // pixels).
    unsigned rc_mask = 0;
#pragma unroll
    for (int j = 0; j < 4; ++j) {
        const int64_t g = pix0 + b_col + j;
        pix_off[j] = 0;
        if (g < num_pix) {
            const int64_t b = g / HW;
            const int p = (int)(g - b * HW);
            const int h = p / W, w = p - (p / W) * W;
            pix_off[j] = (OffT)((b - img_first) * cin * HW + p);
#pragma unroll
            for (int r = 0; r < 3; ++r) {
                if (h + r - 1 >= 0 && h + r - 1 < H)
                    rc_mask |= 1u << (6 * j + r);
                if (w + r - 1 >= 0 && w + r - 1 < W)
                    rc_mask |= 1u << (6 * j + 3 + r);
            }
        }
    }
    // (ci, tap) of this thread's k row, advanced by kBK (< 9) per slab.
    int b_ci = (k_begin + b_row) / 9;
    int b_tap = (k_begin + b_row) - b_ci * 9;

    float a_reg[kAPer];
    float b_reg[4];

    auto load_slab = [&](int k0) {
#pragma unroll
        for (int e = 0; e < kAPer; ++e) {
            const int c = k0 + a_col + e;
            a_reg[e] = (a_row_ok && c < k_end) ? __ldg(a_src + c) : 0.f;
        }
        const bool k_ok = k0 + b_row < k_end;
        const int r = b_tap / 3;
        const int t = b_tap - r * 3;
        const OffT delta = (OffT)b_ci * HW + (r - 1) * W + (t - 1);
        // Bit 6j of ok: tap (r, t) of pixel j lies inside the image.
        const unsigned ok = k_ok ? (rc_mask >> r) & (rc_mask >> (3 + t)) : 0u;
#pragma unroll
        for (int j = 0; j < 4; ++j)
            b_reg[j] = ((ok >> (6 * j)) & 1u) ? __ldg(x_img + (pix_off[j] + delta)) : 0.f;
        b_tap += kBK;
        if (b_tap >= 9) {
            b_tap -= 9;
            ++b_ci;
        }
    };

    auto store_slab = [&](int buf) {
#pragma unroll
        for (int e = 0; e < kAPer; ++e)
            As[buf][a_col + e][a_row] = a_reg[e];
        *reinterpret_cast<float4*>(&Bs[buf][b_row][b_col]) =
            make_float4(b_reg[0], b_reg[1], b_reg[2], b_reg[3]);
    };

    // Compute mapping: warps form a 4 (channels) x 2 (pixels) grid, lanes a 4 x 8 grid inside the warp, so
    // each fragment LDS.128 is a single conflict-free wavefront.
    const int warp = tid >> 5;
    const int lane = tid & 31;
    const int ty = (warp >> 1) * 4 + (lane >> 3); // channels h*64 + ty*4 .. +3
    const int tx = (warp & 1) * 8 + (lane & 7);   // pixels q*64 + tx*4 .. +3
    const bool warp_active = (co0 + (warp >> 1) * 16 < cout) && (pix0 + (warp & 1) * 32 < num_pix);

    float acc[4 * kMH][8];
#pragma unroll
    for (int i = 0; i < 4 * kMH; ++i)
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
            load_slab(k_begin + (s + 1) * kBK); // gathers in flight while this slab is multiplied

        if (warp_active) {
#pragma unroll
            for (int kk = 0; kk < kBK; ++kk) {
                float a[4 * kMH];
#pragma unroll
                for (int h = 0; h < kMH; ++h) {
                    const float4 v = *reinterpret_cast<const float4*>(&As[buf][kk][h * 64 + ty * 4]);
                    a[h * 4 + 0] = v.x;
                    a[h * 4 + 1] = v.y;
                    a[h * 4 + 2] = v.z;
                    a[h * 4 + 3] = v.w;
                }
                const float4 b0 = *reinterpret_cast<const float4*>(&Bs[buf][kk][tx * 4]);
                const float4 b1 = *reinterpret_cast<const float4*>(&Bs[buf][kk][64 + tx * 4]);
                const float b[8] = {b0.x, b0.y, b0.z, b0.w, b1.x, b1.y, b1.z, b1.w};
#pragma unroll
                for (int i = 0; i < 4 * kMH; ++i)
#pragma unroll
                    for (int j = 0; j < 8; ++j)
                        acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
            }
        }

        if (has_next)
            store_slab(buf ^ 1); // that buffer was last read before the previous barrier
        __syncthreads();
    }

    // Epilogue: pixel quads q*64 + tx*4 of the tile; y[b, co, p] = y + (b*cout + co)*HW + p.
#pragma unroll
    for (int q = 0; q < 2; ++q) {
        const int64_t g = pix0 + q * 64 + tx * 4;
        if (g >= num_pix)
            continue;
        const int64_t b = g / HW;
        const int p = (int)(g - b * HW);
#pragma unroll
        for (int i = 0; i < 4 * kMH; ++i) {
            const int co = co0 + (i >> 2) * 64 + ty * 4 + (i & 3);
            if (co >= cout)
                continue;
            const float* v = &acc[i][q * 4];
            if (kVecStore && !accumulate) {
                // HW % 4 == 0 and g % 4 == 0: the quad is inside one image, in range and 16-byte aligned.
                *reinterpret_cast<float4*>(y + (b * cout + co) * HW + p) =
                    make_float4(v[0], v[1], v[2], v[3]);
            } else {
                int64_t bb = b;
                int pp = p;
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    if (g + j < num_pix) {
                        float* dst = y + (bb * cout + co) * HW + pp;
                        if (accumulate)
                            atomicAdd(dst, v[j]);
                        else
                            *dst = v[j];
                    }
                    if (++pp == HW) { // the quad crosses into the next image
                        pp = 0;
                        ++bb;
                    }
                }
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

template <int BM>
void launch(const float* x, const float* w, float* y, int cin, int H, int W, int cout, int64_t num_pix,
            int sms, cudaStream_t stream) {
    const int64_t tiles_n = (num_pix + kBN - 1) / kBN;
    const int tiles_m = (cout + BM - 1) / BM;
    const int64_t tiles = tiles_n * tiles_m;
    const int K = cin * 9;
    const int slabs = (K + kBK - 1) / kBK;

    // Split K when the tiles alone leave SMs idle; at least 64 of K per split.
    const int slots = (BM == 128 ? 2 : 3) * sms; // resident blocks, as in __launch_bounds__
    const int splits = choose_splits(tiles, slabs, slots, max(1, min(64, slabs / 8)));
    const int slabs_per_split = (slabs + splits - 1) / splits;
    const bool accumulate = splits > 1;
    if (accumulate)
        cudaMemsetAsync(y, 0, sizeof(float) * (size_t)num_pix * (size_t)cout, stream);

    // 32-bit gather offsets reach at most about 4 images' worth of one tile's pixels past its first image.
    const int64_t img = (int64_t)cin * H * W;
    const bool off32 = 4 * img + (int64_t)H * W < INT32_MAX;
    const bool vec = ((int64_t)H * W) % 4 == 0 && (reinterpret_cast<uintptr_t>(y) & 15u) == 0;
    const dim3 grid((unsigned)tiles_n, tiles_m, splits);
    const int kps = slabs_per_split * kBK;
    if (off32 && vec)
        conv3x3_igemm<BM, true, int>
            <<<grid, kThreads, 0, stream>>>(x, w, y, cin, H, W, cout, num_pix, kps, accumulate);
    else if (off32)
        conv3x3_igemm<BM, false, int>
            <<<grid, kThreads, 0, stream>>>(x, w, y, cin, H, W, cout, num_pix, kps, accumulate);
    else if (vec)
        conv3x3_igemm<BM, true, int64_t>
            <<<grid, kThreads, 0, stream>>>(x, w, y, cin, H, W, cout, num_pix, kps, accumulate);
    else
        conv3x3_igemm<BM, false, int64_t>
            <<<grid, kThreads, 0, stream>>>(x, w, y, cin, H, W, cout, num_pix, kps, accumulate);
}

} // namespace

extern "C" void kf_launch(const float* x, const float* weight, float* y, int64_t batch, int64_t cin,
                          int64_t height, int64_t width, int64_t cout, cudaStream_t stream) {
    int dev = 0, sms = 132;
    cudaGetDevice(&dev);
    cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, dev);
    const int64_t num_pix = batch * height * width;
    // 64-channel tiles waste nothing for the common cout <= 64 layers; wider layers use 128-channel tiles,
    // which halve the shared-memory traffic per FFMA.
    if (cout <= 64)
        launch<64>(x, weight, y, (int)cin, (int)height, (int)width, (int)cout, num_pix, sms, stream);
    else
        launch<128>(x, weight, y, (int)cin, (int)height, (int)width, (int)cout, num_pix, sms, stream);
}
