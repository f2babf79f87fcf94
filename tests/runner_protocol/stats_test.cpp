// SPDX-License-Identifier: MIT
#include "runner/stats.h"

#include <cmath>
#include <gtest/gtest.h>
#include <vector>

using kf::runner::StopReason;
using kf::runner::StopRule;

TEST(Stats, SummaryOfKnownSamples) {
    const std::vector<double> v = {5, 1, 4, 2, 3};
    const auto s = kf::runner::summarize(v);
    EXPECT_EQ(s.n, 5u);
    EXPECT_DOUBLE_EQ(s.median, 3);
    EXPECT_DOUBLE_EQ(s.q1, 2);
    EXPECT_DOUBLE_EQ(s.q3, 4);
    EXPECT_DOUBLE_EQ(s.iqr, 2);
    EXPECT_DOUBLE_EQ(s.min, 1);
    EXPECT_DOUBLE_EQ(s.max, 5);
    EXPECT_DOUBLE_EQ(s.mean, 3);
    EXPECT_NEAR(s.sem, std::sqrt(2.5) / std::sqrt(5.0), 1e-12);
    EXPECT_EQ(s.outliers, 0u);
}

TEST(Stats, EvenCountInterpolatesAndFlagsOutliers) {
    const std::vector<double> v = {10, 10, 10, 10, 10, 10, 10, 100};
    const auto s = kf::runner::summarize(v);
    EXPECT_DOUBLE_EQ(s.median, 10);
    EXPECT_EQ(s.outliers, 1u);
    EXPECT_GT(s.mean, s.median);
}

TEST(Stats, EmptyAndSingle) {
    EXPECT_EQ(kf::runner::summarize({}).n, 0u);
    const std::vector<double> one = {7};
    const auto s = kf::runner::summarize(one);
    EXPECT_DOUBLE_EQ(s.median, 7);
    EXPECT_DOUBLE_EQ(s.sem, 0);
}

TEST(StopRule, NeverBeforeMinimumSamples) {
    const StopRule rule{
        .min_samples = 10, .max_samples = 100, .warmup_s = 0, .max_rel_sem = 0.01, .time_cap_s = 1};
    const std::vector<double> steady(9, 5.0);
    EXPECT_EQ(kf::runner::shouldStop(rule, steady, 0.1), StopReason::None);
    const std::vector<double> enough(10, 5.0);
    EXPECT_EQ(kf::runner::shouldStop(rule, enough, 0.1), StopReason::Converged);
}

TEST(StopRule, NoisySamplesRunToTheCap) {
    const StopRule rule{
        .min_samples = 10, .max_samples = 1000, .warmup_s = 0, .max_rel_sem = 0.001, .time_cap_s = 1};
    std::vector<double> noisy;
    for (int i = 0; i < 20; ++i) {
        noisy.push_back(i % 2 ? 10.0 : 20.0);
    }
    EXPECT_EQ(kf::runner::shouldStop(rule, noisy, 0.5), StopReason::None);
    EXPECT_EQ(kf::runner::shouldStop(rule, noisy, 1.5), StopReason::Timeout);
    std::vector<double> many(1000, 1.0);
    many[0] = 50;
    EXPECT_EQ(kf::runner::shouldStop(rule, many, 0.1), StopReason::MaxSamples);
}

TEST(StopRule, SlowKernelStopsAtTheCapWithThreeSamples) {
    const StopRule rule = kf::runner::stopRuleFor(kf::runner::Budget::Interactive);
    const std::vector<double> two = {1e6, 1e6};
    EXPECT_EQ(kf::runner::shouldStop(rule, two, 5.0), StopReason::None);
    const std::vector<double> three = {1e6, 1e6, 1e6};
    EXPECT_EQ(kf::runner::shouldStop(rule, three, 5.0), StopReason::Timeout);
}

TEST(StopRule, ThoroughIsStricterThanInteractive) {
    const auto quick = kf::runner::stopRuleFor(kf::runner::Budget::Interactive);
    const auto thorough = kf::runner::stopRuleFor(kf::runner::Budget::Thorough);
    EXPECT_GT(thorough.min_samples, quick.min_samples);
    EXPECT_LT(thorough.max_rel_sem, quick.max_rel_sem);
    EXPECT_GT(thorough.time_cap_s, quick.time_cap_s);
}
