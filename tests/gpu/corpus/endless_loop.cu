// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict error (timeout).
// What is wrong: a software grid barrier that only works when every block of the grid is resident at once.
// 4096 blocks of 1024 threads are not (about two per SM fit), so the resident blocks spin forever waiting for
// blocks that can never start. The arrival counter is also never reset, so even a grid that fits hangs from
// its second launch on (the count passes gridDim.x and never equals it again). The spin reads the counter
// through an atomic, so the compiler keeps it. Only the runner's watchdog ends this.

#include <cfloat>

namespace {

constexpr int kThreads = 1024;

__device__ unsigned int g_arrived = 0;

// Every block arrives, then waits for all the others: x is then fully read before any block writes y, so
// the kernel may also run in place (x == y).
__device__ void grid_barrier() {
    __syncthreads();
    if (threadIdx.x == 0) {
        atomicAdd(&g_arrived, 1u);
        while (atomicAdd(&g_arrived, 0u) != gridDim.x)
            __nanosleep(256);
    }
    __syncthreads();
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
    v = sh[lane];
    for (int off = 16; off > 0; off >>= 1) {
        const float o = __shfl_xor_sync(0xffffffffu, v, off);
        v = is_max ? fmaxf(v, o) : v + o;
    }
    __syncthreads();
    return v;
}

__global__ void __launch_bounds__(kThreads) softmax_barrier(const float* x, float* y, int64_t cols) {
    __shared__ float sh[32];
    const float* xr = x + int64_t(blockIdx.x) * cols;
    float* yr = y + int64_t(blockIdx.x) * cols;

    float m = -FLT_MAX;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        m = fmaxf(m, xr[c]);
    m = block_reduce(m, sh, true);
    float s = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        s += expf(xr[c] - m);
    const float inv = 1.0f / block_reduce(s, sh, false);

    grid_barrier();

    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x)
        yr[c] = expf(xr[c] - m) * inv;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    softmax_barrier<<<unsigned(rows), kThreads, 0, stream>>>(x, y, cols);
}
