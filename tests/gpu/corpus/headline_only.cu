// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict fail.
// What is wrong: tuned for the headline shape only. Each row is held in registers as 256 threads x 8
// float4 = 8192 floats (kCols); shorter rows are handled by the bounds checks, but longer rows keep only
// their first 8192 elements: the rest is never read nor written and the row sums miss it. Right (and fast)
// on 4096 x 8192, wrong on every size with cols > 8192.

#include <cfloat>

namespace {

constexpr int kThreads = 256;
constexpr int kVecs = 8;                    // float4 per thread
constexpr int kCols = kThreads * kVecs * 4; // 8192: the benchmark's row length

__device__ __forceinline__ float4 load4(const float* row, int64_t c, int64_t cols) {
    const float* p = row + c;
    if (c + 4 <= cols && (reinterpret_cast<uintptr_t>(p) & 15) == 0)
        return *reinterpret_cast<const float4*>(p);
    return make_float4(c + 0 < cols ? p[0] : -FLT_MAX, c + 1 < cols ? p[1] : -FLT_MAX,
                       c + 2 < cols ? p[2] : -FLT_MAX, c + 3 < cols ? p[3] : -FLT_MAX);
}

__device__ __forceinline__ void store4(float* row, int64_t c, int64_t cols, float4 v) {
    float* p = row + c;
    if (c + 4 <= cols && (reinterpret_cast<uintptr_t>(p) & 15) == 0) {
        *reinterpret_cast<float4*>(p) = v;
        return;
    }
    if (c + 0 < cols)
        p[0] = v.x;
    if (c + 1 < cols)
        p[1] = v.y;
    if (c + 2 < cols)
        p[2] = v.z;
    if (c + 3 < cols)
        p[3] = v.w;
}

__device__ float block_reduce(float v, float* sh, bool is_max) {
    for (int off = 16; off > 0; off >>= 1) {
        const float o = __shfl_xor_sync(0xffffffffu, v, off);
        v = is_max ? fmaxf(v, o) : v + o;
    }
    const int warp = threadIdx.x >> 5, lane = threadIdx.x & 31;
    if (lane == 0)
        sh[warp] = v;
    __syncthreads();
    v = lane < kThreads / 32 ? sh[lane] : (is_max ? -FLT_MAX : 0.0f);
    for (int off = 16; off > 0; off >>= 1) {
        const float o = __shfl_xor_sync(0xffffffffu, v, off);
        v = is_max ? fmaxf(v, o) : v + o;
    }
    __syncthreads();
    return v;
}

__global__ void __launch_bounds__(kThreads) softmax_8192(const float* x, float* y, int64_t cols) {
    __shared__ float sh[32];
    const float* xr = x + int64_t(blockIdx.x) * cols;
    float* yr = y + int64_t(blockIdx.x) * cols;
    float4 v[kVecs];
    float m = -FLT_MAX;
#pragma unroll
    for (int k = 0; k < kVecs; ++k) {
        v[k] = load4(xr, 4 * (int64_t(k) * kThreads + threadIdx.x), cols);
        m = fmaxf(m, fmaxf(fmaxf(v[k].x, v[k].y), fmaxf(v[k].z, v[k].w)));
    }
    m = block_reduce(m, sh, true);
    float s = 0.0f;
#pragma unroll
    for (int k = 0; k < kVecs; ++k) {
        v[k] = make_float4(expf(v[k].x - m), expf(v[k].y - m), expf(v[k].z - m), expf(v[k].w - m));
        s += (v[k].x + v[k].y) + (v[k].z + v[k].w); // padding is exp(-FLT_MAX - m) = 0
    }
    const float inv = 1.0f / block_reduce(s, sh, false);
#pragma unroll
    for (int k = 0; k < kVecs; ++k)
        store4(yr, 4 * (int64_t(k) * kThreads + threadIdx.x), cols,
               make_float4(v[k].x * inv, v[k].y * inv, v[k].z * inv, v[k].w * inv));
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    static_assert(kCols == 8192, "one row per block, in registers");
    softmax_8192<<<unsigned(rows), kThreads, 0, stream>>>(x, y, cols);
}
