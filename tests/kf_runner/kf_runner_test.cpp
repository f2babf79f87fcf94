// SPDX-License-Identifier: MIT
// kf-runner end to end on this machine: compile jobs need nvcc but no GPU; run jobs without a GPU must say
// so.
#include "proc/command.h"
#include "runner/job.h"
#include "spec/spec_json.h"
#include "test_files.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace {

namespace fs = std::filesystem;

using kf::test::readFile;

std::vector<nlohmann::json> parseEvents(const std::string& out) {
    std::vector<nlohmann::json> events;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        events.push_back(nlohmann::json::parse(line)); // every line must be JSON
    }
    return events;
}

struct Ran {
    kf::proc::CommandResult result;
    std::vector<nlohmann::json> events;
    const nlohmann::json* find(const std::string& name) const {
        for (const auto& e : events) {
            if (e["event"] == name) {
                return &e;
            }
        }
        return nullptr;
    }
};

Ran runRunner(const std::string& job_text, const std::vector<std::string>& extra_env = {}) {
    kf::proc::Command cmd;
    cmd.argv = {KF_RUNNER_PATH};
    cmd.stdin_data = job_text;
    cmd.timeout = std::chrono::seconds(300);
    std::vector<std::string> env = {"PATH=/usr/local/cuda/bin:/usr/bin:/bin", "HOME=/tmp"};
    env.insert(env.end(), extra_env.begin(), extra_env.end());
    cmd.env = env;
    Ran r;
    r.result = kf::proc::runCommand(cmd);
    r.events = parseEvents(r.result.out);
    return r;
}

kf::runner::Job softmaxJob(const std::string& source, kf::runner::JobKind kind) {
    const auto spec_json = nlohmann::json::parse(readFile(fs::path(KF_TEST_DATA) / "softmax-rows-f32.json"));
    kf::runner::Job job;
    job.kind = kind;
    job.spec = kf::spec::specFromJson(spec_json);
    job.candidate_name = "softmax.cu";
    job.candidate_source = source;
    job.options.arch = "sm_90a";
    job.options.cache_dir = ""; // no cache: every test compiles for real
    return job;
}

bool haveNvcc() {
    return fs::exists("/usr/local/cuda/bin/nvcc") || std::system("command -v nvcc >/dev/null 2>&1") == 0;
}

} // namespace

TEST(KfRunner, BadJobGetsAnErrorAndDone) {
    const auto r = runRunner("{\"format\": \"kernelforge.job/1\", \"kind\": \"bench\"}");
    EXPECT_EQ(r.result.exit_code, 0); // kf-runner finished the job: the verdict is in `done`
    ASSERT_GE(r.events.size(), 3u);
    EXPECT_EQ(r.events.front()["event"], "hello");
    ASSERT_NE(r.find("error"), nullptr);
    EXPECT_EQ((*r.find("error"))["stage"], "job");
    EXPECT_NE((*r.find("error"))["message"].get<std::string>().find("kind: 'bench'"), std::string::npos);
    EXPECT_EQ(r.events.back()["event"], "done");
    EXPECT_EQ(r.events.back()["verdict"], "error");

    const auto empty = runRunner("");
    EXPECT_EQ(empty.events.back()["verdict"], "error");
    EXPECT_NE(empty.find("error")->dump().find("no job on stdin"), std::string::npos);
}

TEST(KfRunner, CompileJobWorksWithoutAGpu) {
    if (!haveNvcc()) {
        GTEST_SKIP() << "nvcc not found";
    }
    const std::string gold = readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/softmax-rows-f32.gold.cu");
    const auto job = softmaxJob(gold, kf::runner::JobKind::Compile);
    const auto r = runRunner(kf::runner::jobToJson(job).dump());
    ASSERT_FALSE(r.events.empty()) << r.result.err;
    const auto* compiled = r.find("compiled");
    ASSERT_NE(compiled, nullptr) << r.result.out << r.result.err;
    EXPECT_EQ((*compiled)["role"], "candidate");
    EXPECT_TRUE((*compiled)["ok"].get<bool>()) << compiled->dump(1);
    ASSERT_FALSE((*compiled)["kernels"].empty());
    for (const auto& k : (*compiled)["kernels"]) {
        EXPECT_GT(k["registers"].get<int>(), 0) << k.dump();
    }
    EXPECT_EQ(r.events.back()["verdict"], "pass");
}

TEST(KfRunner, CompileErrorsPointIntoTheUsersFile) {
    if (!haveNvcc()) {
        GTEST_SKIP() << "nvcc not found";
    }
    const std::string broken =
        "__global__ void k(float* y) { y[0] = undefined_thing; }\n"
        "extern \"C\" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols,\n"
        "                            cudaStream_t stream) {\n"
        "    k<<<1, 1, 0, stream>>>(y);\n"
        "}\n";
    const auto r = runRunner(kf::runner::jobToJson(softmaxJob(broken, kf::runner::JobKind::Compile)).dump());
    const auto* compiled = r.find("compiled");
    ASSERT_NE(compiled, nullptr) << r.result.out << r.result.err;
    EXPECT_FALSE((*compiled)["ok"].get<bool>());
    bool found = false;
    for (const auto& d : (*compiled)["diagnostics"]) {
        if (d["file"] == "softmax.cu" && d["line"] == 1 && d["severity"] == "error" &&
            d["message"].get<std::string>().find("undefined_thing") != std::string::npos) {
            found = true;
            EXPECT_EQ(d["col"], 38) << d.dump();
        }
    }
    EXPECT_TRUE(found) << compiled->dump(1);
    EXPECT_EQ(r.events.back()["verdict"], "fail");
    EXPECT_NE(r.events.back()["reasons"][0].get<std::string>().find("does not compile: softmax.cu:1:"),
              std::string::npos)
        << r.events.back().dump();
    EXPECT_EQ(r.result.exit_code, 0);
}

TEST(KfRunner, RunJobWithoutAGpuSaysSo) {
    const auto r = runRunner(kf::runner::jobToJson(softmaxJob("", kf::runner::JobKind::Run)).dump(),
                             {"CUDA_VISIBLE_DEVICES=-1"});
    ASSERT_FALSE(r.events.empty()) << r.result.err;
    EXPECT_TRUE(r.events.front()["device"].is_null());
    EXPECT_FALSE(r.events.front()["device_error"].get<std::string>().empty());
    EXPECT_EQ(r.events.back()["verdict"], "error");
    EXPECT_NE(r.events.back()["reasons"][0].get<std::string>().find("cannot run kernels"), std::string::npos);
}

TEST(KfRunner, CompileJobWithoutArchOrGpuAsksForOne) {
    auto job = softmaxJob("", kf::runner::JobKind::Compile);
    job.options.arch.clear();
    const auto r = runRunner(kf::runner::jobToJson(job).dump(), {"CUDA_VISIBLE_DEVICES=-1"});
    EXPECT_EQ(r.events.back()["verdict"], "error");
    EXPECT_NE(r.events.back()["reasons"][0].get<std::string>().find("options.arch"), std::string::npos);
}

// cuBLASLt's static initialisers cost a process that links it 0.15 s and 210 MB before main(); kf-runner
// loads it only for a calibration (gpu/calibrate/cublaslt_api.h).
TEST(KfRunner, DoesNotLinkCublasLt) {
    kf::proc::Command cmd;
    cmd.argv = {"readelf", "-d", KF_RUNNER_PATH};
    cmd.timeout = std::chrono::seconds(30);
    const auto r = kf::proc::runCommand(cmd);
    if (!r.spawn_error.empty()) {
        GTEST_SKIP() << "readelf: " << r.spawn_error;
    }
    ASSERT_TRUE(r.ok()) << r.describe() << r.err;
    EXPECT_NE(r.out.find("(NEEDED)"), std::string::npos) << r.out;
    EXPECT_EQ(r.out.find("libcublasLt"), std::string::npos) << r.out;
}
