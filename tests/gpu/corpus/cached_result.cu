// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict fail.
// What is wrong: a replay cheat. The first call computes y and keeps a device copy of it keyed on
// (x pointer, rows, cols); any later call with the same key copies that copy into y without looking at x.
// Right as long as every call brings a new buffer; stale as soon as fresh inputs arrive in the same buffer.

#include <cfloat>

namespace {

constexpr int kThreads = 256;

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

__global__ void __launch_bounds__(kThreads) softmax_rows(const float* x, float* y, int64_t cols) {
    __shared__ float sh[32];
    const float* xr = x + int64_t(blockIdx.x) * cols;
    float* yr = y + int64_t(blockIdx.x) * cols;

    float m = -FLT_MAX;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads)
        m = fmaxf(m, xr[c]);
    m = block_reduce(m, sh, true);
    float s = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads)
        s += expf(xr[c] - m);
    const float inv = 1.0f / block_reduce(s, sh, false);
    for (int64_t c = threadIdx.x; c < cols; c += kThreads)
        yr[c] = expf(xr[c] - m) * inv;
}

// The last result, on the device.
struct ResultCache {
    const float* x = nullptr;
    int64_t rows = 0;
    int64_t cols = 0;
    float* y = nullptr;
    size_t capacity = 0; // floats
};

ResultCache g_cache;

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    const size_t n = size_t(rows) * size_t(cols);
    if (g_cache.y != nullptr && g_cache.x == x && g_cache.rows == rows && g_cache.cols == cols) {
        cudaMemcpyAsync(y, g_cache.y, n * sizeof(float), cudaMemcpyDeviceToDevice, stream);
        return;
    }
    softmax_rows<<<unsigned(rows), kThreads, 0, stream>>>(x, y, cols);
    if (n > g_cache.capacity) {
        cudaFree(g_cache.y);
        g_cache.y = nullptr;
        g_cache.capacity = 0;
        if (cudaMalloc(&g_cache.y, n * sizeof(float)) != cudaSuccess) {
            g_cache.y = nullptr;
            return;
        }
        g_cache.capacity = n;
    }
    cudaMemcpyAsync(g_cache.y, y, n * sizeof(float), cudaMemcpyDeviceToDevice, stream);
    g_cache.x = x;
    g_cache.rows = rows;
    g_cache.cols = cols;
}
