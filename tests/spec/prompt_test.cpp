// SPDX-License-Identifier: MIT
#include "spec/prompt.h"
#include "spec/spec_loader.h"
#include "spec/template_renderer.h"
#include "test_specs.h"

#include <gtest/gtest.h>

namespace {

using namespace kf::spec;

TEST(TemplateRenderer, SubstitutesAndDropsComments) {
    EXPECT_EQ(renderTemplate("{{! header }}\nHello {{ who }}, {{who}}!\n", {{"who", "GPU"}}),
              "Hello GPU, GPU!\n");
    EXPECT_EQ(renderTemplate("a {{! inline }}b", {}), "a b");
}

TEST(TemplateRenderer, UnknownPlaceholderNamesItsLine) {
    try {
        (void)renderTemplate("one\ntwo {{nmae}}\n", {{"name", "x"}});
        FAIL() << "expected TemplateError";
    } catch (const TemplateError& e) {
        EXPECT_STREQ(e.what(), "template line 2: unknown placeholder {{nmae}} (known: name)");
    }
    EXPECT_THROW((void)renderTemplate("{{name", {{"name", "x"}}), TemplateError);
}

TEST(Prompt, DefaultTemplateRendersEverySection) {
    const auto loaded =
        loadSpecText(std::string(kValidSpec) + "rules: [Do not use shared memory atomics.]\n", "s");
    ASSERT_TRUE(loaded.ok);
    const auto prompt = renderPrompt(loaded.spec, *findTargetGpu("h100-sxm"));
    const std::vector<std::string> expected = {
        "# Task: Row-wise softmax, fp32",
        "Task id: `softmax-rows-f32`",
        "y[r, c] = exp(x[r, c] - max(x[r, :]))",
        "extern \"C\" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t "
        "stream);",
        "- `x`: input, f32 (`float`), shape [rows, cols], values normal, mean 0, std 3",
        "- `y`: output, f32 (`float`), shape [rows, cols]",
        "- rows = 4096, cols = 8192 (headline size: the one on the roofline)",
        "- rows = 1, cols = 1000003",
        "NVIDIA H100 SXM5 80 GB (compute capability 9.0, compiled for sm_90a): 132 SMs, 50 MiB L2",
        "relative L2 error at most 1e-05, and every element within 1e-06 + 1e-05 * |reference|",
        "against the reference implementation below",
        "at the headline size: 0.168 GFLOP and 268 MB (0.625 FLOP/byte)",
        "extern \"C\" void kf_reference(",
        "- Do not use shared memory atomics.",
    };
    for (const auto& piece : expected) {
        EXPECT_NE(prompt.find(piece), std::string::npos) << "missing: " << piece << "\n--- prompt ---\n"
                                                         << prompt;
    }
    EXPECT_EQ(prompt.find("{{"), std::string::npos);
    EXPECT_EQ(prompt.find("kernel-task v1"), std::string::npos)
        << "template comments must not reach the teacher";
}

TEST(Prompt, TargetGpusAreKnownByKey) {
    EXPECT_TRUE(findTargetGpu("h200").has_value());
    EXPECT_FALSE(findTargetGpu("a100").has_value());
}

} // namespace
