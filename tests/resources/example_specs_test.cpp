// SPDX-License-Identifier: MIT
#include "example_specs.h"
#include "spec/spec_json.h"
#include "spec/spec_loader.h"

#include <gtest/gtest.h>
#include <set>

namespace {

using namespace kf::spec;

class ExampleSpec : public ::testing::TestWithParam<std::string> {};

TEST_P(ExampleSpec, IsValidWithoutWarnings) {
    const auto loaded = loadSpecFile(specPath(GetParam()).string());
    for (const auto& d : loaded.diagnostics) {
        ADD_FAILURE() << formatDiagnostic(d);
    }
    EXPECT_TRUE(loaded.ok);
    EXPECT_EQ(loaded.spec.id, GetParam()) << "the file is named after the spec id";
}

TEST_P(ExampleSpec, HasAGoldKernelThatDefinesTheLauncher) {
    const auto gold = specPath(GetParam()).parent_path() / (GetParam() + ".gold.cu");
    ASSERT_TRUE(std::filesystem::exists(gold)) << gold;
    EXPECT_GT(std::filesystem::file_size(gold), 0u);
}

TEST_P(ExampleSpec, CoversOddSizes) {
    const auto loaded = loadSpecFile(specPath(GetParam()).string());
    ASSERT_TRUE(loaded.ok);
    const auto& sizes = loaded.spec.sizes;
    EXPECT_GE(sizes.size(), 3u);
    // At least one size has a param that is odd and not 1: a tail no power-of-two tile divides.
    bool odd = false;
    for (const auto& s : sizes) {
        for (const auto v : s.values) {
            odd = odd || (v > 1 && v % 2 == 1);
        }
    }
    EXPECT_TRUE(odd) << "no size exercises an odd extent";
}

TEST_P(ExampleSpec, JsonRoundTrip) {
    const auto loaded = loadSpecFile(specPath(GetParam()).string());
    ASSERT_TRUE(loaded.ok);
    const auto j = specToJson(loaded.spec);
    EXPECT_EQ(specFromJson(nlohmann::json::parse(j.dump())), loaded.spec);
}

INSTANTIATE_TEST_SUITE_P(Library, ExampleSpec, ::testing::ValuesIn(exampleSpecIds()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return testName(p.param); });

TEST(ExampleLibrary, HasTheNineSeedSpecs) {
    std::set<std::string> ids;
    for (const auto& p : exampleSpecs()) {
        ids.insert(specStem(p));
    }
    for (const char* id :
         {"softmax-rows-f32", "sgemm-f32", "gemm-bf16", "conv2d-3x3-nchw-f32", "layernorm-bf16",
          "rmsnorm-bf16", "bias-gelu-bf16", "rowsum-f32", "transpose-f32"}) {
        EXPECT_TRUE(ids.contains(id)) << id;
    }
}

} // namespace
