// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict fail.
// What is wrong: the math is right, but the kernel runs on a non-blocking stream of its own instead of the
// `stream` argument. Events recorded on `stream` then time nothing, and the caller may read y before the
// kernel has finished.

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

// A stream of our own, so that the softmax overlaps whatever the caller has queued.
cudaStream_t worker_stream() {
    static cudaStream_t s = [] {
        cudaStream_t created = nullptr;
        cudaStreamCreateWithFlags(&created, cudaStreamNonBlocking);
        return created;
    }();
    return s;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    (void)stream;
    if (rows <= 0 || cols <= 0)
        return;
    softmax_rows<<<unsigned(rows), kThreads, 0, worker_stream()>>>(x, y, cols);
}
