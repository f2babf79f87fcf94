// SPDX-License-Identifier: MIT
// kf-runner run jobs on a real GPU (label gpu): reported as skipped where there is none.
#include "proc/command.h"
#include "runner/job.h"
#include "spec/spec_json.h"
#include "test_files.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace {

namespace fs = std::filesystem;

using kf::test::readFile;

// Runs `source` against the softmax spec; returns every event.
std::vector<nlohmann::json> run(const std::string& source) {
    kf::runner::Job job;
    job.spec = kf::spec::specFromJson(
        nlohmann::json::parse(readFile(fs::path(KF_TEST_DATA) / "softmax-rows-f32.json")));
    job.candidate_name = "softmax.cu";
    job.candidate_source = source;
    job.options.cache_dir = "";
    kf::proc::Command cmd;
    cmd.argv = {KF_RUNNER_PATH};
    cmd.stdin_data = kf::runner::jobToJson(job).dump();
    cmd.timeout = std::chrono::seconds(300);
    const auto r = kf::proc::runCommand(cmd);
    std::vector<nlohmann::json> events;
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);) {
        events.push_back(nlohmann::json::parse(line));
    }
    return events;
}

bool noGpu(const std::vector<nlohmann::json>& events) {
    return events.empty() || events.front()["device"].is_null();
}

} // namespace

TEST(KfRunnerGpu, GoldSoftmaxPassesAndIsTimed) {
    const auto events = run(readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/softmax-rows-f32.gold.cu"));
    if (noGpu(events)) {
        GTEST_SKIP() << "no GPU";
    }
    EXPECT_EQ(events.back()["verdict"], "pass") << events.back().dump();
    int timed = 0;
    for (const auto& e : events) {
        if (e["event"] == "timed" && e["who"] == "candidate") {
            ++timed;
            EXPECT_GT(e["median_us"].get<double>(), 0.0);
        }
    }
    EXPECT_EQ(timed, 5); // every size
}

TEST(KfRunnerGpu, ZerosFailWithWrongValues) {
    const std::string zeros =
        "__global__ void z(float* y, long n) {\n"
        "  for (long i = blockIdx.x * 256L + threadIdx.x; i < n; i += gridDim.x * 256L) y[i] = 0;\n"
        "}\n"
        "extern \"C\" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols,\n"
        "                            cudaStream_t stream) {\n"
        "  z<<<1024, 256, 0, stream>>>(y, rows * cols);\n"
        "}\n";
    const auto events = run(zeros);
    if (noGpu(events)) {
        GTEST_SKIP() << "no GPU";
    }
    EXPECT_EQ(events.back()["verdict"], "fail");
    EXPECT_NE(events.back()["reasons"][0].get<std::string>().find("wrong values"), std::string::npos);
}
