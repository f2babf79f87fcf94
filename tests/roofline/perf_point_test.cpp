// SPDX-License-Identifier: MIT
#include "roofline/perf_point.h"

#include <cmath>
#include <gtest/gtest.h>

using kf::roofline::PerfPoint;
using kf::roofline::PointRole;

namespace {

// The softmax spec's first two sizes, as the spec parser evaluates them.
kf::spec::Spec softmaxSpec() {
    kf::spec::Spec s;
    s.id = "softmax-rows-f32";
    s.params = {"rows", "cols"};
    s.outputs.push_back({.name = "y", .dtype = kf::spec::DType::F32, .shape = {"rows", "cols"}, .init = {}});
    for (const auto& [rows, cols] : {std::pair<int64_t, int64_t>{4096, 8192}, {1, 1000003}}) {
        kf::spec::SizeCase size;
        size.values = {rows, cols};
        size.flops = 5.0 * static_cast<double>(rows * cols);
        size.bytes = 8.0 * static_cast<double>(rows * cols);
        s.sizes.push_back(size);
    }
    return s;
}

nlohmann::json timed(const char* who, int index, double median_us) {
    return {{"event", "timed"},
            {"size_index", index},
            {"size", index == 0 ? nlohmann::json{{"rows", 4096}, {"cols", 8192}}
                                : nlohmann::json{{"rows", 1}, {"cols", 1000003}}},
            {"who", who},
            {"median_us", median_us},
            {"iqr_us", 0.7}};
}

} // namespace

TEST(PerfPoint, RatesFromTheSpecWhenTheRunnerReportsNone) {
    const auto spec = softmaxSpec();
    const PerfPoint p = kf::roofline::pointFromTimed(timed("candidate", 0, 67.6), &spec, "softmax.cu");
    EXPECT_EQ(p.role, PointRole::Candidate);
    EXPECT_EQ(p.kernel, "softmax.cu");
    EXPECT_EQ(p.size_label, "rows=4096 cols=8192"); // the spec's parameter order, not the JSON's
    EXPECT_DOUBLE_EQ(p.flops, 5.0 * 4096 * 8192);
    EXPECT_NEAR(p.gflops, 2481.84, 0.01);
    EXPECT_NEAR(p.gbps, 3970.94, 0.01);
    EXPECT_DOUBLE_EQ(p.intensity(), 0.625);
    EXPECT_FALSE(kf::roofline::whyNotOnLogAxes(p).has_value());
}

TEST(PerfPoint, TheRunnersRatesWin) {
    auto ev = timed("candidate", 0, 67.6);
    ev["gflops"] = 2500.0;
    ev["gbps"] = 4000.0;
    const PerfPoint p = kf::roofline::pointFromTimed(ev, nullptr, "");
    EXPECT_EQ(p.kernel, "candidate");
    EXPECT_DOUBLE_EQ(p.gflops, 2500.0);
    EXPECT_DOUBLE_EQ(p.gbps, 4000.0);
    EXPECT_DOUBLE_EQ(p.intensity(), 0.625); // the work follows from the rates without a spec
    EXPECT_EQ(p.size_label, "cols=8192 rows=4096");
}

TEST(PerfPoint, BaselineIsTheReferenceUnlessTheSpecBringsOne) {
    auto spec = softmaxSpec();
    EXPECT_EQ(kf::roofline::pointFromTimed(timed("baseline", 1, 3769.8), &spec, "k.cu").role,
              PointRole::Reference);
    spec.baseline.is_reference = false;
    const PerfPoint b = kf::roofline::pointFromTimed(timed("baseline", 1, 3769.8), &spec, "k.cu");
    EXPECT_EQ(b.role, PointRole::Baseline);
    EXPECT_EQ(b.kernel, "baseline");
    EXPECT_EQ(b.size_index, 1);
}

TEST(PerfPoint, AllTimedEventsOfARun) {
    const auto spec = softmaxSpec();
    const nlohmann::json events = {{{"event", "hello"}},        timed("candidate", 0, 96.7),
                                   timed("baseline", 0, 280.8), {{"event", "checked"}, {"size_index", 1}},
                                   timed("candidate", 1, 18.0), {{"event", "done"}}};
    const auto points = kf::roofline::pointsFromEvents(events, &spec, "softmax.cu");
    ASSERT_EQ(points.size(), 3u);
    EXPECT_EQ(points[1].role, PointRole::Reference);
    EXPECT_EQ(points[2].size_index, 1);
    EXPECT_TRUE(kf::roofline::pointsFromEvents(nlohmann::json::object(), &spec, "").empty());
}

TEST(PerfPoint, FromAMedianAlone) {
    const auto spec = softmaxSpec();
    const PerfPoint v = kf::roofline::pointFromMedian(PointRole::Version, "v2", spec, 0, 134.2);
    EXPECT_EQ(v.size_label, "rows=4096 cols=8192");
    EXPECT_NEAR(v.gbps, 8.0 * 4096 * 8192 / 134.2 / 1e3, 1e-9);
    const PerfPoint out = kf::roofline::pointFromMedian(PointRole::Version, "v1", spec, 7, 10.0);
    EXPECT_EQ(kf::roofline::whyNotOnLogAxes(out), "its bytes moved are unknown");
}

TEST(PerfPoint, WhyAPointCannotGoOnLogAxes) {
    const auto spec = softmaxSpec();
    auto why = [&](nlohmann::json ev) {
        return kf::roofline::whyNotOnLogAxes(kf::roofline::pointFromTimed(ev, &spec, "k.cu"))
            .value_or("drawable");
    };
    EXPECT_EQ(why(timed("candidate", 0, 0.0)), "its time is 0 us, not positive");
    EXPECT_EQ(why(timed("candidate", 0, -3.0)), "its time is -3 us, not positive");
    auto noTime = timed("candidate", 0, 1.0);
    noTime["median_us"] = nullptr; // NaN never reaches JSON: the runner writes null
    EXPECT_EQ(why(noTime), "no time was measured");

    auto noFlops = spec;
    noFlops.sizes[0].flops = 0; // a transpose: bandwidth only
    const PerfPoint t = kf::roofline::pointFromTimed(timed("candidate", 0, 197.0), &noFlops, "t.cu");
    EXPECT_EQ(kf::roofline::whyNotOnLogAxes(t), "the spec counts no FLOPs (bandwidth only)");
    EXPECT_FALSE(kf::roofline::whyNoBandwidth(t).has_value()); // it belongs in the bandwidth view

    auto negative = spec;
    negative.sizes[0].flops = -5;
    EXPECT_EQ(
        kf::roofline::whyNotOnLogAxes(kf::roofline::pointFromTimed(timed("candidate", 0, 1), &negative, "")),
        "its FLOP count is negative");
    auto nanFlops = spec;
    nanFlops.sizes[0].flops = NAN;
    EXPECT_EQ(
        kf::roofline::whyNotOnLogAxes(kf::roofline::pointFromTimed(timed("candidate", 0, 1), &nanFlops, "")),
        "its FLOP count is unknown");
    auto noBytes = spec;
    noBytes.sizes[0].bytes = 0;
    EXPECT_EQ(
        kf::roofline::whyNotOnLogAxes(kf::roofline::pointFromTimed(timed("candidate", 0, 1), &noBytes, "")),
        "it moved no bytes");
    // Without a spec or rates, nothing is known but the time.
    EXPECT_EQ(
        kf::roofline::whyNotOnLogAxes(kf::roofline::pointFromTimed(timed("candidate", 0, 5), nullptr, "")),
        "its bytes moved are unknown");
}
