// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict error.
// What is wrong: the last pass walks the row back to front with an unsigned index, and `c >= 0` is always
// true for it. After c = 0 the index wraps to about 4 * 10^9, so the very next store lands ~16 GB past the
// output, far from any allocation: an illegal address (CUDA error 700), not a silent corruption.

#include <cfloat>

namespace {

constexpr int kThreads = 256;

__device__ float warp_max(float v) {
    for (int off = 16; off > 0; off >>= 1)
        v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, off));
    return v;
}

__device__ float warp_sum(float v) {
    for (int off = 16; off > 0; off >>= 1)
        v += __shfl_xor_sync(0xffffffffu, v, off);
    return v;
}

// One warp per row.
__global__ void __launch_bounds__(kThreads)
    softmax_warp_rows(const float* x, float* y, int64_t rows, int64_t cols) {
    const int64_t row = (int64_t(blockIdx.x) * kThreads + threadIdx.x) / 32;
    const unsigned lane = threadIdx.x & 31;
    if (row >= rows)
        return;
    const float* xr = x + row * cols;
    float* yr = y + row * cols;

    float m = -FLT_MAX;
    for (int64_t c = lane; c < cols; c += 32)
        m = fmaxf(m, xr[c]);
    m = warp_max(m);
    float s = 0.0f;
    for (int64_t c = lane; c < cols; c += 32)
        s += expf(xr[c] - m);
    const float inv = 1.0f / warp_sum(s);

    // Back to front: the end of the row was read last and is still in L1.
    for (unsigned c = unsigned(cols) - 1 - lane; c >= 0; c -= 32)
        yr[c] = expf(xr[c] - m) * inv;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    const int64_t blocks = (rows * 32 + kThreads - 1) / kThreads;
    softmax_warp_rows<<<unsigned(blocks), kThreads, 0, stream>>>(x, y, rows, cols);
}
