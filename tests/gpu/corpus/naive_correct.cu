// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict pass.
// Correct but slow: one thread per row, three serial passes over the row (max, sum, write). The sum is kept
// in double so that a row of a million elements still meets the fp32 tolerance. Loads are uncoalesced
// (neighbouring threads read rows cols * 4 bytes apart), so it is far below the bandwidth roof.

#include <cfloat>

namespace {

constexpr int kThreads = 128;

__global__ void __launch_bounds__(kThreads)
    softmax_thread_per_row(const float* x, float* y, int64_t rows, int64_t cols) {
    const int64_t r = int64_t(blockIdx.x) * kThreads + threadIdx.x;
    if (r >= rows)
        return;
    const float* xr = x + r * cols;
    float* yr = y + r * cols;
    float m = -FLT_MAX;
    for (int64_t c = 0; c < cols; ++c)
        m = fmaxf(m, xr[c]);
    double s = 0.0;
    for (int64_t c = 0; c < cols; ++c)
        s += double(expf(xr[c] - m));
    const float inv = float(1.0 / s);
    for (int64_t c = 0; c < cols; ++c)
        yr[c] = expf(xr[c] - m) * inv;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    if (rows <= 0 || cols <= 0)
        return;
    const int64_t blocks = (rows + kThreads - 1) / kThreads;
    softmax_thread_per_row<<<unsigned(blocks), kThreads, 0, stream>>>(x, y, rows, cols);
}
