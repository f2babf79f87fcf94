// SPDX-License-Identifier: MIT
#include "runner/job.h"
#include "spec/spec_json.h"

#include <gtest/gtest.h>

namespace {

kf::spec::Spec smallSpec() {
    kf::spec::Spec s;
    s.id = "scale-f32";
    s.title = "Scale";
    s.description = "y = 2 x";
    s.params = {"n"};
    s.inputs = {{.name = "x", .dtype = kf::spec::DType::F32, .shape = {"n"}, .init = {}}};
    s.outputs = {{.name = "y", .dtype = kf::spec::DType::F32, .shape = {"n"}, .init = {}}};
    s.flops = "n";
    s.bytes = "8 * n";
    s.tolerance = {1e-5, 1e-4, 1e-4};
    s.sizes = {{.values = {1000}, .flops = 1000, .bytes = 8000, .dims = {{1000}, {1000}}}};
    s.reference = "extern \"C\" void kf_reference(const float* x, float* y, int64_t n, cudaStream_t s) {}";
    return s;
}

kf::runner::Job runJob() {
    kf::runner::Job j;
    j.kind = kf::runner::JobKind::Run;
    j.spec = smallSpec();
    j.candidate_name = "k.cu";
    j.candidate_source = "// candidate\n";
    j.options.budget = kf::runner::Budget::Thorough;
    j.options.mode = kf::runner::TimingMode::Hot;
    j.options.arch = "sm_90a";
    j.options.seed = 42;
    j.options.cache_dir = "";
    j.options.samples = 50;
    j.options.time_baseline = false;
    j.options.ceilings = {{"dram_gbps", 3000.0}};
    return j;
}

} // namespace

TEST(Job, RoundTripKeepsEverything) {
    const auto job = runJob();
    const auto back = kf::runner::jobFromJson(nlohmann::json::parse(kf::runner::jobToJson(job).dump()));
    EXPECT_EQ(back.kind, job.kind);
    ASSERT_TRUE(back.spec.has_value());
    EXPECT_EQ(*back.spec, *job.spec);
    EXPECT_EQ(back.candidate_name, "k.cu");
    EXPECT_EQ(back.candidate_source, job.candidate_source);
    EXPECT_EQ(back.options.budget, kf::runner::Budget::Thorough);
    EXPECT_EQ(back.options.mode, kf::runner::TimingMode::Hot);
    EXPECT_EQ(back.options.arch, "sm_90a");
    EXPECT_EQ(back.options.seed, 42u);
    EXPECT_EQ(back.options.cache_dir, "");
    EXPECT_EQ(back.options.samples, 50);
    EXPECT_FALSE(back.options.time_baseline);
    EXPECT_EQ(back.options.ceilings["dram_gbps"], 3000.0);
}

TEST(Job, CalibrateNeedsNoSpec) {
    kf::runner::Job j;
    j.kind = kf::runner::JobKind::Calibrate;
    const auto text = kf::runner::jobToJson(j).dump();
    EXPECT_EQ(text.find("candidate"), std::string::npos);
    const auto back = kf::runner::jobFromJson(nlohmann::json::parse(text));
    EXPECT_EQ(back.kind, kf::runner::JobKind::Calibrate);
    EXPECT_FALSE(back.spec.has_value());
}

TEST(Job, ErrorsNameThePath) {
    auto j = nlohmann::json(kf::runner::jobToJson(runJob()));
    const auto expectError = [](nlohmann::json bad, const std::string& needle) {
        try {
            kf::runner::jobFromJson(bad);
            ADD_FAILURE() << "accepted: " << bad.dump().substr(0, 200);
        } catch (const kf::runner::JobError& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    auto bad = j;
    bad["format"] = "kernelforge.job/9";
    expectError(bad, "format");
    bad = j;
    bad["kind"] = "bench";
    expectError(bad, "kind: 'bench' is not one of run, compile, calibrate");
    bad = j;
    bad["options"]["budget"] = "fast";
    expectError(bad, "options.budget: 'fast'");
    bad = j;
    bad["options"]["samples"] = 1;
    expectError(bad, "options.samples");
    bad = j;
    bad["options"]["colour"] = "red";
    expectError(bad, "options.colour: unknown option");
    bad = j;
    bad.erase("candidate");
    expectError(bad, "candidate: missing");
    bad = j;
    bad["candidate"]["source"] = 3;
    expectError(bad, "candidate.source: must be a string");
    bad = j;
    bad["spec"]["sizes"] = "many";
    expectError(bad, "spec: ");
    expectError(nlohmann::json::array(), "job: must be a JSON object");
}
