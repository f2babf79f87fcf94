// SPDX-License-Identifier: MIT
#include "h200_ceilings.h"
#include "roofline/ceilings.h"

#include <gtest/gtest.h>

using kf::roofline::Roof;

TEST(Ceilings, ReadsACalibrationEventInDrawingUnits) {
    std::string error;
    const auto c = kf::roofline::parseCeilings(h200CeilingsEvent(), &error);
    ASSERT_TRUE(c.has_value()) << error;
    EXPECT_EQ(c->device_name, "NVIDIA H200");
    EXPECT_EQ(c->device_uuid, "GPU-5f1c0c7e-h200");
    EXPECT_DOUBLE_EQ(*c->value(Roof::Dram), 4272.0);
    EXPECT_DOUBLE_EQ(*c->value(Roof::L2), 9812.0);
    EXPECT_DOUBLE_EQ(*c->value(Roof::Fp32), 64700.0); // TFLOP/s become GFLOP/s
    EXPECT_DOUBLE_EQ(*c->value(Roof::Bf16), 690000.0);
    const std::vector<Roof> lowestFirst = {Roof::Fp64, Roof::Fp32, Roof::Tf32, Roof::Fp16, Roof::Bf16};
    EXPECT_EQ(c->computeRoofs(), lowestFirst);
}

TEST(Ceilings, AnUnmeasuredRoofIsAbsent) {
    auto ev = h200CeilingsEvent();
    ev["tf32_tflops"] = nullptr;
    ev.erase("l2_gbps");
    const auto c = kf::roofline::parseCeilings(ev, nullptr);
    ASSERT_TRUE(c.has_value());
    EXPECT_FALSE(c->has(Roof::Tf32));
    EXPECT_FALSE(c->value(Roof::L2).has_value());
    EXPECT_TRUE(c->has(Roof::Fp16));
}

TEST(Ceilings, BadValuesSayWhichKey) {
    std::string error;
    auto ev = h200CeilingsEvent();
    ev["fp32_tflops"] = "fast";
    EXPECT_FALSE(kf::roofline::parseCeilings(ev, &error).has_value());
    EXPECT_EQ(error, "fp32_tflops: expected a number, got \"fast\"");
    ev = h200CeilingsEvent();
    ev["l2_gbps"] = -1.0;
    EXPECT_FALSE(kf::roofline::parseCeilings(ev, &error).has_value());
    EXPECT_EQ(error, "l2_gbps: expected a positive number, got -1.0");
    ev = h200CeilingsEvent();
    ev.erase("dram_gbps");
    EXPECT_FALSE(kf::roofline::parseCeilings(ev, &error).has_value());
    EXPECT_NE(error.find("no DRAM bandwidth"), std::string::npos);
    EXPECT_NE(error.find("kforge calibrate"), std::string::npos);
    EXPECT_FALSE(kf::roofline::parseCeilings(nlohmann::json::array(), &error).has_value());
    EXPECT_EQ(error, "the ceilings are not a JSON object (got array)");
}

TEST(Ceilings, ComputeRoofFollowsTheOutputType) {
    using kf::spec::DType;
    EXPECT_EQ(kf::roofline::computeRoofFor(DType::F32), Roof::Fp32);
    EXPECT_EQ(kf::roofline::computeRoofFor(DType::F64), Roof::Fp64);
    EXPECT_EQ(kf::roofline::computeRoofFor(DType::F16), Roof::Fp16);
    EXPECT_EQ(kf::roofline::computeRoofFor(DType::BF16), Roof::Bf16);
    EXPECT_FALSE(kf::roofline::computeRoofFor(DType::I32).has_value());
    kf::spec::Spec spec;
    EXPECT_FALSE(kf::roofline::computeRoofFor(spec).has_value()); // no outputs
    spec.outputs.push_back({.name = "y", .dtype = DType::BF16, .shape = {"n"}, .init = {}});
    EXPECT_EQ(kf::roofline::computeRoofFor(spec), Roof::Bf16);
}

TEST(Ceilings, KeysAndLabels) {
    EXPECT_EQ(kf::roofline::roofKey(Roof::Tf32), "tf32_tflops");
    EXPECT_EQ(kf::roofline::roofKey(Roof::Dram), "dram_gbps");
    EXPECT_EQ(kf::roofline::roofLabel(Roof::L2), "L2");
    EXPECT_TRUE(kf::roofline::isBandwidthRoof(Roof::L2));
    EXPECT_FALSE(kf::roofline::isBandwidthRoof(Roof::Fp64));
}
