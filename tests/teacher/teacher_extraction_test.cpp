// SPDX-License-Identifier: MIT
#include "teacher/code_extraction.h"

#include <gtest/gtest.h>

using namespace kf::teacher;

namespace {

const char* kLaunch =
    "extern \"C\" void kf_launch(const float* x, float* y, int64_t n, cudaStream_t stream) {\n"
    "    k<<<1, 1, 0, stream>>>(x, y, n);\n}\n";

TEST(CodeExtraction, FindsFencedBlocksWithLanguageAndLine) {
    const auto blocks = fencedBlocks("text\n```cuda\nint a;\n```\nmore\n~~~~ C++ {.x}\nint b;\n~~~~\n");
    ASSERT_EQ(blocks.size(), 2u);
    EXPECT_EQ(blocks[0].lang, "cuda");
    EXPECT_EQ(blocks[0].code, "int a;\n");
    EXPECT_EQ(blocks[0].line, 2);
    EXPECT_EQ(blocks[1].lang, "c++");
    EXPECT_EQ(blocks[1].code, "int b;\n");
}

TEST(CodeExtraction, ShorterFenceDoesNotCloseALongerOne) {
    const auto blocks = fencedBlocks("````cuda\n```\nnot closed\n````\n");
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].code, "```\nnot closed\n");
}

TEST(CodeExtraction, TakesTheBlockThatDefinesTheLauncher) {
    const std::string answer =
        std::string("Plan:\n```python\nprint(1)\n```\nKernel:\n```cuda\n__global__ void k(const "
                    "float* x, float* y, int64_t n) {}\n") +
        kLaunch + "```\n";
    const auto k = extractKernel(answer);
    ASSERT_TRUE(k.ok) << k.message;
    EXPECT_EQ(k.blocks, std::vector<int>{1});
    EXPECT_NE(k.source.find("__global__ void k"), std::string::npos);
    EXPECT_EQ(k.message, "the code block at line 6");
}

TEST(CodeExtraction, PrefersTheLastDraft) {
    const std::string answer = std::string("```cuda\n__global__ void k(){}\n") + kLaunch +
                               "```\nBetter:\n```cuda\n" + "__global__ void k(){ /* v2 */ }\n" + kLaunch +
                               "```\n";
    const auto k = extractKernel(answer);
    ASSERT_TRUE(k.ok);
    EXPECT_EQ(k.blocks, std::vector<int>{1});
    EXPECT_NE(k.source.find("v2"), std::string::npos);
}

TEST(CodeExtraction, JoinsBlocksThatBelongTogether) {
    const std::string answer =
        std::string("Headers:\n```cpp\n#include <cuda_fp16.h>\n```\nThe kernel:\n```cuda\n"
                    "__global__ void k(const float* x, float* y, int64_t n) { }\n```\n"
                    "A helper we do not need:\n```cuda\n__device__ int unused() { return 1; }\n```\n"
                    "And the launcher:\n```cuda\n") +
        kLaunch + "```\n";
    const auto k = extractKernel(answer);
    ASSERT_TRUE(k.ok);
    EXPECT_EQ(k.blocks, (std::vector<int>{0, 1, 3}));
    EXPECT_EQ(k.source.find("#include <cuda_fp16.h>"), 0u);
    EXPECT_EQ(k.source.find("unused"), std::string::npos);
    EXPECT_EQ(k.message, "joined 3 code blocks ending at line 14");
}

TEST(CodeExtraction, ClearMessagesWhenThereIsNoKernel) {
    EXPECT_EQ(extractKernel("I cannot do that.").message,
              "the answer has no fenced code block (expected one ```cuda block that defines kf_launch)");
    const auto k = extractKernel("```cuda\n__global__ void k() {}\n```\n```\nls\n```\n");
    EXPECT_FALSE(k.ok);
    EXPECT_EQ(k.message, "none of the answer's 2 code blocks defines kf_launch (expected `extern \"C\" void "
                         "kf_launch(...) { ... }`)");
    // A declaration is not a definition.
    EXPECT_FALSE(extractKernel("```cuda\nextern \"C\" void kf_launch(float* y, cudaStream_t s);\n```\n").ok);
}

TEST(CodeExtraction, AnUnterminatedFenceStillYieldsItsCode) {
    const auto k = extractKernel(std::string("```cuda\n") + kLaunch);
    EXPECT_TRUE(k.ok);
}

} // namespace
