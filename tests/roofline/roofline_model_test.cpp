// SPDX-License-Identifier: MIT
#include "h200_ceilings.h"
#include "roofline/roofline_model.h"

#include <cmath>
#include <gtest/gtest.h>

using kf::roofline::Roof;

namespace {

kf::roofline::Ceilings h200() {
    return *kf::roofline::parseCeilings(h200CeilingsEvent(), nullptr);
}

} // namespace

TEST(RooflineModel, IntensityIsFlopsPerByte) {
    EXPECT_DOUBLE_EQ(kf::roofline::arithmeticIntensity(5.0 * 4096 * 8192, 8.0 * 4096 * 8192), 0.625);
    EXPECT_DOUBLE_EQ(kf::roofline::arithmeticIntensity(0, 100), 0.0);
    EXPECT_TRUE(std::isnan(kf::roofline::arithmeticIntensity(1, 0)));
    EXPECT_TRUE(std::isnan(kf::roofline::arithmeticIntensity(1, -4)));
    EXPECT_TRUE(std::isnan(kf::roofline::arithmeticIntensity(NAN, 4)));
}

TEST(RooflineModel, RidgePointAndAttainable) {
    // FP32 64.7 TFLOP/s over DRAM 4272 GB/s: memory-bound below 15.1 FLOP/byte.
    const double ridge = kf::roofline::ridgePoint(64700, 4272);
    EXPECT_NEAR(ridge, 15.145, 1e-3);
    EXPECT_DOUBLE_EQ(kf::roofline::attainableGflops(64700, 4272, ridge), 64700);
    EXPECT_DOUBLE_EQ(kf::roofline::attainableGflops(64700, 4272, 1.0), 4272);
    EXPECT_DOUBLE_EQ(kf::roofline::attainableGflops(64700, 4272, 100.0), 64700);
}

TEST(RooflineModel, MemoryBoundPointIsMeasuredAgainstDram) {
    // The softmax headline: 5 FLOPs and 8 bytes per element of 4096 x 8192, 67.6 us.
    const double flops = 5.0 * 4096 * 8192, bytes = 8.0 * 4096 * 8192, us = 67.6;
    const auto p = kf::roofline::placePoint(h200(), Roof::Fp32, flops / bytes, flops / us / 1e3);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->roof, Roof::Dram);
    EXPECT_DOUBLE_EQ(p->attainable, 4272 * 0.625);
    EXPECT_NEAR(p->percent, (bytes / us / 1e3) / 4272 * 100, 1e-9); // the share of DRAM bandwidth: 92.9 %
    EXPECT_NEAR(p->percent, 92.95, 0.01);
    EXPECT_FALSE(p->above_dram);
}

TEST(RooflineModel, ComputeBoundPointIsMeasuredAgainstItsComputeRoof) {
    // SGEMM 4096^3 at 3006.9 us: 45.7 TFLOP/s at 170 FLOP/byte, right of every ridge.
    const double flops = 2.0 * 4096 * 4096 * 4096, bytes = 4.0 * 3 * 4096 * 4096;
    const auto p = kf::roofline::placePoint(h200(), Roof::Fp32, flops / bytes, flops / 3006.9 / 1e3);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->roof, Roof::Fp32);
    EXPECT_DOUBLE_EQ(p->attainable, 64700);
    EXPECT_NEAR(p->percent, 70.6, 0.1);
    // The same work in bf16 is measured against the BF16 tensor roof.
    const auto b = kf::roofline::placePoint(h200(), Roof::Bf16, flops / bytes, 474560);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->roof, Roof::Bf16);
    EXPECT_NEAR(b->percent, 474560.0 / 690000 * 100, 1e-9);
}

TEST(RooflineModel, BindingRoofChangesAtTheRidge) {
    const auto c = h200();
    const double ridge = kf::roofline::ridgePoint(*c.value(Roof::Fp32), *c.value(Roof::Dram));
    EXPECT_EQ(kf::roofline::placePoint(c, Roof::Fp32, ridge * 0.99, 1000)->roof, Roof::Dram);
    EXPECT_EQ(kf::roofline::placePoint(c, Roof::Fp32, ridge * 1.01, 1000)->roof, Roof::Fp32);
}

TEST(RooflineModel, AboveDramIsMeasuredAgainstL2) {
    // A small size whose data stays in L2: 1.5x the DRAM roof at 0.625 FLOP/byte.
    const auto p = kf::roofline::placePoint(h200(), Roof::Fp32, 0.625, 4272 * 0.625 * 1.5);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->roof, Roof::L2);
    EXPECT_TRUE(p->above_dram);
    EXPECT_NEAR(p->percent, 4272 * 1.5 / 9812 * 100, 1e-9);
    // Without an L2 roof it stays against DRAM, above 100 %.
    auto noL2 = h200();
    noL2.values.erase(Roof::L2);
    const auto q = kf::roofline::placePoint(noL2, Roof::Fp32, 0.625, 4272 * 0.625 * 1.5);
    EXPECT_EQ(q->roof, Roof::Dram);
    EXPECT_NEAR(q->percent, 150, 1e-9);
}

TEST(RooflineModel, WithoutAComputeRoofOnlyBandwidthBinds) {
    auto c = h200();
    c.values.erase(Roof::Fp64);
    const auto p = kf::roofline::placePoint(c, Roof::Fp64, 1000, 50000); // far right of any ridge
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->roof, Roof::Dram);
    const auto q = kf::roofline::placePoint(c, std::nullopt, 1000, 50000);
    EXPECT_EQ(q->roof, Roof::Dram);
}

TEST(RooflineModel, PointsWithoutAPlace) {
    const auto c = h200();
    EXPECT_FALSE(kf::roofline::placePoint(c, Roof::Fp32, 0, 100).has_value());
    EXPECT_FALSE(kf::roofline::placePoint(c, Roof::Fp32, 1, 0).has_value());
    EXPECT_FALSE(kf::roofline::placePoint(c, Roof::Fp32, NAN, 100).has_value());
    EXPECT_FALSE(kf::roofline::placePoint(c, Roof::Fp32, 1, INFINITY).has_value());
}

TEST(RooflineModel, BandwidthOnlyPoints) {
    // transpose 8192^2 fp32: 512 MiB moved in 197.0 us.
    const double gbps = 2.0 * 4 * 8192 * 8192 / 197.0 / 1e3;
    const auto p = kf::roofline::placeBandwidth(h200(), gbps);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(p->roof, Roof::Dram);
    EXPECT_DOUBLE_EQ(p->attainable, 4272);
    EXPECT_NEAR(p->percent, gbps / 4272 * 100, 1e-9);
    const auto fast = kf::roofline::placeBandwidth(h200(), 6000);
    EXPECT_EQ(fast->roof, Roof::L2);
    EXPECT_TRUE(fast->above_dram);
    EXPECT_FALSE(kf::roofline::placeBandwidth(h200(), 0).has_value());
    EXPECT_FALSE(kf::roofline::placeBandwidth(h200(), NAN).has_value());
}
