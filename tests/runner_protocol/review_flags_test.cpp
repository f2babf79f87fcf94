// SPDX-License-Identifier: MIT
#include "runner/review_flags.h"

#include <gtest/gtest.h>

namespace {

kf::spec::Spec specOf(kf::spec::DType out) {
    kf::spec::Spec s;
    s.params = {"n"};
    s.outputs = {{.name = "y", .dtype = out, .shape = {"n"}, .init = {}}};
    return s;
}

const nlohmann::json kCeilings = {{"dram_gbps", 3000.0}, {"fp32_tflops", 60.0}, {"bf16_tflops", 700.0}};

} // namespace

TEST(ReviewFlags, ImplausibleSpeedup) {
    const auto spec = specOf(kf::spec::DType::F32);
    const kf::spec::SizeCase size{.values = {1}, .flops = 0, .bytes = 1e6, .dims = {}};
    EXPECT_TRUE(kf::runner::reviewFlags(spec, size, 100, 9.9, nullptr).empty());
    EXPECT_EQ(kf::runner::reviewFlags(spec, size, 100, 10.5, nullptr),
              std::vector<std::string>{"speedup>10x"});
}

TEST(ReviewFlags, AboveNinetyFivePercentOfARoof) {
    const auto spec = specOf(kf::spec::DType::F32);
    // 2.9e9 bytes in 1000 us = 2,900 GB/s: 96.7 % of 3,000.
    const kf::spec::SizeCase mem{.values = {1}, .flops = 0, .bytes = 2.9e9, .dims = {}};
    EXPECT_EQ(kf::runner::reviewFlags(spec, mem, 1000, 1.0, kCeilings),
              std::vector<std::string>{">95%-of-roof:dram"});
    EXPECT_TRUE(kf::runner::reviewFlags(spec, mem, 1100, 1.0, kCeilings).empty()); // 2,636 GB/s: 88 %
    // 58 TFLOP/s of fp32 work against a 60 TFLOP/s roof.
    const kf::spec::SizeCase flops{.values = {1}, .flops = 58e9, .bytes = 1e6, .dims = {}};
    EXPECT_EQ(kf::runner::reviewFlags(spec, flops, 1000, 1.0, kCeilings),
              std::vector<std::string>{">95%-of-roof:fp32_tflops"});
    // The same rate for bf16 outputs is far below the bf16 tensor roof.
    EXPECT_TRUE(kf::runner::reviewFlags(specOf(kf::spec::DType::BF16), flops, 1000, 1.0, kCeilings).empty());
    // Without ceilings there is no roof to compare with.
    EXPECT_TRUE(kf::runner::reviewFlags(spec, flops, 1000, 1.0, nullptr).empty());
}
