// SPDX-License-Identifier: MIT
// kforge job / run / calibrate against the real kf-runner, on a machine with or without a GPU.
#include "proc/command.h"
#include "runner/job.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>

namespace {

namespace fs = std::filesystem;

kf::proc::CommandResult kforge(std::vector<std::string> args, const fs::path& home) {
    kf::proc::Command cmd;
    cmd.argv = {KF_KFORGE_PATH};
    cmd.argv.insert(cmd.argv.end(), args.begin(), args.end());
    cmd.env =
        std::vector<std::string>{"PATH=/usr/local/cuda/bin:/usr/bin:/bin", "HOME=" + home.string(),
                                 "CUDA_VISIBLE_DEVICES=-1", "ANTHROPIC_API_KEY=sk-ant-secret-do-not-leak"};
    cmd.timeout = std::chrono::seconds(300);
    return kf::proc::runCommand(cmd);
}

const std::string kSpec = std::string(KF_SOURCE_DIR) + "/resources/specs/softmax-rows-f32.kspec.yaml";
const std::string kGold = std::string(KF_SOURCE_DIR) + "/resources/specs/softmax-rows-f32.gold.cu";

class KforgeRunnerCli : public ::testing::Test {
protected:
    void SetUp() override {
        home_ = fs::temp_directory_path() / ("kforge-runner-cli-" + std::to_string(::getpid()));
        fs::create_directories(home_);
    }
    void TearDown() override { fs::remove_all(home_); }
    fs::path home_;
};

} // namespace

TEST_F(KforgeRunnerCli, JobIsSelfContainedAndLoads) {
    const auto r =
        kforge({"job", kSpec, kGold, "--budget", "thorough", "--seed", "7", "--samples", "40"}, home_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto job = kf::runner::jobFromJson(nlohmann::json::parse(r.out));
    EXPECT_EQ(job.kind, kf::runner::JobKind::Run);
    EXPECT_EQ(job.spec->id, "softmax-rows-f32");
    EXPECT_EQ(job.candidate_name, "softmax-rows-f32.gold.cu");
    EXPECT_NE(job.candidate_source.find("kf_launch"), std::string::npos);
    EXPECT_EQ(job.options.budget, kf::runner::Budget::Thorough);
    EXPECT_EQ(job.options.seed, 7u);
    EXPECT_EQ(job.options.samples, 40);

    const auto cal = kforge({"job", "--kind", "calibrate"}, home_);
    ASSERT_EQ(cal.exit_code, 0) << cal.err;
    EXPECT_EQ(kf::runner::jobFromJson(nlohmann::json::parse(cal.out)).kind, kf::runner::JobKind::Calibrate);

    const auto missing = kforge({"job", kSpec, "/nonexistent/k.cu"}, home_);
    EXPECT_EQ(missing.exit_code, 1);
    EXPECT_NE(missing.err.find("/nonexistent/k.cu"), std::string::npos);
    const auto no_kernel = kforge({"job", kSpec}, home_);
    EXPECT_EQ(no_kernel.exit_code, 1);
    EXPECT_NE(no_kernel.err.find("needs SPEC and KERNEL.cu"), std::string::npos);
}

TEST_F(KforgeRunnerCli, RunWithoutAGpuIsAnErrorAndIsRecorded) {
    const fs::path db = home_ / "ds.sqlite";
    const auto r = kforge({"run", kSpec, kGold, "--runner", KF_RUNNER_PATH, "--db", db.string()}, home_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("verdict: error"), std::string::npos) << r.out << r.err;
    EXPECT_NE(r.out.find("cannot run kernels"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("recorded in"), std::string::npos) << r.err;
    EXPECT_TRUE(fs::exists(db));
    EXPECT_EQ(r.out.find("sk-ant-secret"), std::string::npos);
    EXPECT_EQ(r.err.find("sk-ant-secret"), std::string::npos);

    const auto json = kforge({"run", kSpec, kGold, "--runner", KF_RUNNER_PATH, "--json", "--no-save"}, home_);
    EXPECT_EQ(json.exit_code, 1);
    std::istringstream in(json.out);
    std::string line, last;
    int n = 0;
    while (std::getline(in, line)) {
        const auto ev = nlohmann::json::parse(line);
        EXPECT_TRUE(ev.contains("event"));
        last = line;
        ++n;
    }
    EXPECT_GE(n, 3);
    EXPECT_EQ(nlohmann::json::parse(last)["event"], "done");
}

TEST_F(KforgeRunnerCli, RunnerThatCannotStartIsReported) {
    const auto r = kforge({"run", kSpec, kGold, "--runner", "/nonexistent/kf-runner", "--no-save"}, home_);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.out.find("verdict: error"), std::string::npos) << r.out << r.err;
    EXPECT_NE((r.out + r.err).find("/nonexistent/kf-runner"), std::string::npos) << r.out << r.err;
}
