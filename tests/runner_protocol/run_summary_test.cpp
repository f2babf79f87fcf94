// SPDX-License-Identifier: MIT
#include "runner/run_summary.h"

#include <gtest/gtest.h>

TEST(RunSummary, FoldsARunsEvents) {
    kf::runner::RunSummary s;
    const char* lines[] = {
        R"({"event":"hello","harness_version":"1","device":{"name":"NVIDIA H100","arch":"sm_90a"}})",
        R"({"event":"stage","stage":"compile","deadline_s":300})",
        R"({"event":"compiled","role":"candidate","ok":true,"cached":false,"seconds":4.5,"diagnostics":[],"kernels":[{"name":"k"}]})",
        R"({"event":"compiled","role":"reference","ok":true,"cached":true,"seconds":0.01,"diagnostics":[],"kernels":[]})",
        R"({"event":"stage","stage":"check","size_index":0,"deadline_s":60})",
        R"({"event":"checked","size_index":0,"size":{"n":10},"ok":true,"rel_l2":1e-7,"problems":[]})",
        R"({"event":"checked","size_index":0,"size":{"n":10},"ok":false,"rel_l2":0.5,"problems":["wrong values: 3 of 10"]})",
        R"({"event":"timed","size_index":0,"size":{"n":10},"who":"candidate","median_us":2.0,"speedup":1.5})",
        R"({"event":"timed","size_index":0,"size":{"n":10},"who":"baseline","median_us":3.0})",
        R"({"event":"error","stage":"check","message":"boom"})",
        R"({"event":"done","verdict":"fail","speedup":null,"reasons":["wrong values: 3 of 10"]})",
    };
    for (const char* l : lines) {
        s.add(nlohmann::json::parse(l));
        if (std::string(l).find("\"stage\",\"stage\":\"check\"") != std::string::npos) {
            EXPECT_EQ(s.stage(), "check");
        }
    }
    EXPECT_EQ(s.device()["name"], "NVIDIA H100");
    EXPECT_EQ(s.harnessVersion(), "1");
    ASSERT_EQ(s.compiled().size(), 2u);
    EXPECT_TRUE(s.compiled()[1].cached);
    ASSERT_EQ(s.sizes().size(), 1u);
    EXPECT_EQ(s.sizes()[0].checks, 2);
    EXPECT_EQ(s.sizes()[0].checks_ok, 1);
    EXPECT_DOUBLE_EQ(*s.sizes()[0].worst_rel_l2, 0.5);
    EXPECT_EQ(s.sizes()[0].problems.size(), 1u);
    EXPECT_EQ(s.sizes()[0].candidate["median_us"], 2.0);
    EXPECT_EQ(s.sizes()[0].baseline["median_us"], 3.0);
    EXPECT_EQ(s.errors().front(), "check: boom");
    EXPECT_EQ(s.verdict(), "fail");
    EXPECT_FALSE(s.speedup().has_value());
    EXPECT_EQ(s.events().size(), std::size(lines));
    EXPECT_EQ(s.stage(), "");
}

TEST(RunSummary, NoDoneMeansNoVerdict) {
    kf::runner::RunSummary s;
    s.add(nlohmann::json::parse(R"({"event":"hello","device":null})"));
    s.add(nlohmann::json(42)); // not an event: ignored
    EXPECT_EQ(s.verdict(), "");
    EXPECT_EQ(s.events().size(), 1u);
}
