// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict fail.
// What is wrong: the early return for an empty problem has its condition inverted, so kf_launch returns
// without launching anything for every real size and y keeps whatever it held (all of it unwritten).

#include <cfloat>

namespace {

constexpr int kThreads = 256;

__global__ void __launch_bounds__(kThreads)
    softmax_rows(const float* x, float* y, int64_t rows, int64_t cols) {
    __shared__ float sh[kThreads];
    const float* xr = x + int64_t(blockIdx.x) * cols;
    float* yr = y + int64_t(blockIdx.x) * cols;

    float m = -FLT_MAX;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        m = fmaxf(m, xr[c]);
    sh[threadIdx.x] = m;
    __syncthreads();
    for (int s = kThreads / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s)
            sh[threadIdx.x] = fmaxf(sh[threadIdx.x], sh[threadIdx.x + s]);
        __syncthreads();
    }
    m = sh[0];
    __syncthreads();

    float sum = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        sum += expf(xr[c] - m);
    sh[threadIdx.x] = sum;
    __syncthreads();
    for (int s = kThreads / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s)
            sh[threadIdx.x] += sh[threadIdx.x + s];
        __syncthreads();
    }
    const float inv = 1.0f / sh[0];

    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        yr[c] = expf(xr[c] - m) * inv;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows > 0 || cols > 0) // meant: rows <= 0 || cols <= 0
        return;
    softmax_rows<<<unsigned(rows), kThreads, 0, stream>>>(x, y, rows, cols);
}
