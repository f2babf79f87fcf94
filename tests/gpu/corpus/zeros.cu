// Corpus kernel for softmax-rows-f32 (tests/gpu/corpus/corpus.json): expected verdict fail.
// What is wrong: it writes 0 to every output element. Every element is written (nothing is left unwritten)
// and it is as fast as a memset, but the values are wrong: softmax rows sum to 1.

namespace {

constexpr int kThreads = 256;

__global__ void __launch_bounds__(kThreads) fill_zero(float4* y4, float* y, int64_t n) {
    const int64_t stride = int64_t(gridDim.x) * kThreads;
    const int64_t first = int64_t(blockIdx.x) * kThreads + threadIdx.x;
    for (int64_t i = first; i < n / 4; i += stride)
        y4[i] = make_float4(0.0f, 0.0f, 0.0f, 0.0f);
    for (int64_t i = n / 4 * 4 + first; i < n; i += stride)
        y[i] = 0.0f;
}

} // namespace

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    (void)x;
    const int64_t n = rows * cols;
    if (n <= 0)
        return;
    int64_t blocks = (n / 4 + kThreads - 1) / kThreads;
    blocks = blocks < 1 ? 1 : blocks > 4096 ? 4096 : blocks;
    // cudaMalloc'd buffers are 256-byte aligned, so y may be viewed as float4.
    fill_zero<<<unsigned(blocks), kThreads, 0, stream>>>(reinterpret_cast<float4*>(y), y, n);
}
