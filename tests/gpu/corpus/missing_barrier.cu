// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict fail.
// What is wrong: the shared-memory tree reduction has no __syncthreads() between its steps. With 1024-thread
// blocks, step s reads red[t + s], which another warp wrote in the step before, and the warps that have no
// work in the loop (t >= 512) read red[0] long before warp 0 has finished summing into it. Row sums come out
// too small and differ between threads of one row: wrong values on every size, and they change from run to
// run.

#include <cfloat>

namespace {

constexpr int kThreads = 1024;

__device__ float block_max(float v, float* red) {
    red[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s)
            red[threadIdx.x] = fmaxf(red[threadIdx.x], red[threadIdx.x + s]);
    }
    const float r = red[0];
    __syncthreads(); // red is reused by the next reduction
    return r;
}

__device__ float block_sum(float v, float* red) {
    red[threadIdx.x] = v;
    __syncthreads();
    for (int s = blockDim.x / 2; s > 0; s >>= 1) {
        if (threadIdx.x < s)
            red[threadIdx.x] += red[threadIdx.x + s];
    }
    const float r = red[0];
    __syncthreads();
    return r;
}

// One block per row; every thread strides over the row.
__global__ void __launch_bounds__(kThreads) softmax_block(const float* x, float* y, int64_t cols) {
    __shared__ float red[kThreads];
    const float* xr = x + int64_t(blockIdx.x) * cols;
    float* yr = y + int64_t(blockIdx.x) * cols;

    float m = -FLT_MAX;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        m = fmaxf(m, xr[c]);
    m = block_max(m, red);

    float s = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        s += expf(xr[c] - m);
    const float inv = 1.0f / block_sum(s, red);

    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        yr[c] = expf(xr[c] - m) * inv;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    softmax_block<<<unsigned(rows), kThreads, 0, stream>>>(x, y, cols);
}
