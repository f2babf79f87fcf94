// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict fail.
// What is wrong: y is right, but the kernel casts away the const of x and stores x - max(row) back into it
// ("so the exp pass need not subtract again"). Running it again on the modified x gives the same y (softmax
// does not change under a shift), so only a check of the inputs catches it.

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

// Each thread reads and writes only its own elements of the row, so the in-place shift is race-free.
__global__ void __launch_bounds__(kThreads) softmax_shift_in_place(float* x, float* y, int64_t cols) {
    __shared__ float sh[32];
    float* xr = x + int64_t(blockIdx.x) * cols;
    float* yr = y + int64_t(blockIdx.x) * cols;

    float m = -FLT_MAX;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads)
        m = fmaxf(m, xr[c]);
    m = block_reduce(m, sh, true);

    float s = 0.0f;
    for (int64_t c = threadIdx.x; c < cols; c += kThreads) {
        const float shifted = xr[c] - m;
        xr[c] = shifted;
        s += expf(shifted);
    }
    const float inv = 1.0f / block_reduce(s, sh, false);
    for (int64_t c = threadIdx.x; c < cols; c += kThreads)
        yr[c] = expf(xr[c]) * inv;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    softmax_shift_in_place<<<unsigned(rows), kThreads, 0, stream>>>(const_cast<float*>(x), y, cols);
}
