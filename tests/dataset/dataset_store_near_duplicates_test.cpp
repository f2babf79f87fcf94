// SPDX-License-Identifier: MIT
#include "dataset/near_duplicates.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace {

using namespace kf::dataset;

const std::string kKernel = R"(
__global__ void softmax_rows(const float* x, float* y, int64_t rows, int64_t cols) {
    const int64_t r = blockIdx.x;
    float m = -INFINITY;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) m = fmaxf(m, x[r * cols + c]);
    float s = 0.f;
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) s += __expf(x[r * cols + c] - m);
    for (int64_t c = threadIdx.x; c < cols; c += blockDim.x) y[r * cols + c] = __expf(x[r * cols + c] - m) / s;
}
extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    softmax_rows<<<rows, 256, 0, stream>>>(x, y, rows, cols);
}
)";

TEST(NearDuplicates, SimilarityIgnoresCommentsAndLayoutButNotSubstance) {
    EXPECT_DOUBLE_EQ(sourceSimilarity(kKernel, kKernel), 1.0);
    std::string commented = "// v2, same kernel\n" + kKernel;
    for (auto at = commented.find("    "); at != std::string::npos; at = commented.find("    ", at)) {
        commented.replace(at, 4, "\t");
    }
    EXPECT_DOUBLE_EQ(sourceSimilarity(kKernel, commented), 1.0);
    std::string tweaked = kKernel;
    tweaked.replace(tweaked.find("256"), 3, "512");
    EXPECT_GT(sourceSimilarity(kKernel, tweaked), 0.9);
    const std::string other =
        "__global__ void t(const float* x, float* y) { y[threadIdx.x] = x[threadIdx.x]; }";
    EXPECT_LT(sourceSimilarity(kKernel, other), 0.2);
}

TEST(NearDuplicates, FoundAmongTheSpecsKernelsMostSimilarFirst) {
    const auto dir = std::filesystem::temp_directory_path() / ("kf-neardup-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto store = Store::open((dir / "kf.db").string());
    const auto spec = store.putSpec({"", "softmax-rows-f32", R"({"id":"softmax-rows-f32"})", "softmax"});
    const auto other_spec = store.putSpec({"", "rowsum-f32", R"({"id":"rowsum-f32"})", "reduction"});
    const auto add = [&](const std::string& spec_hash, const std::string& source) {
        KernelRecord k;
        k.spec_hash = spec_hash;
        k.source = source;
        return store.addKernel(k);
    };
    std::string tweaked = kKernel;
    tweaked.replace(tweaked.find("256"), 3, "512");
    const auto original = add(spec, kKernel);
    const auto near = add(spec, tweaked);
    add(spec, "__global__ void unrelated() {}");
    add(other_spec, kKernel); // another spec: never a candidate
    const auto found = nearDuplicates(store, spec, kKernel, 0.8, original);
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].kernel.id, near);
    EXPECT_GT(found[0].similarity, 0.9);
    EXPECT_EQ(nearDuplicates(store, spec, kKernel).size(), 2u); // without exclusion: itself and the tweak
    std::filesystem::remove_all(dir);
}

} // namespace
