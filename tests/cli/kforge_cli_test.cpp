// SPDX-License-Identifier: MIT
#include "spec/spec_json.h"
#include "spec/spec_loader.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct Result {
    int status = -1;
    std::string out;
    std::string err;
};

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class KforgeCli : public ::testing::Test {
protected:
    void SetUp() override {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        m_dir = fs::temp_directory_path() / ("kf-cli-" + std::to_string(::getpid()) + "-" + info->name());
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }

    // Runs kforge with `args` (already shell-quoted where needed) from the source tree.
    Result run(const std::string& args, const std::string& stdout_to = "") const {
        const auto out = stdout_to.empty() ? (m_dir / "out.txt").string() : stdout_to;
        const auto err = m_dir / "err.txt";
        const std::string cmd = "cd " + std::string(KF_SOURCE_DIR) + " && " + KF_KFORGE + " " + args + " > " + out +
                                " 2> " + err.string();
        const int raw = std::system(cmd.c_str());
        return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, stdout_to.empty() ? readFile(out) : "", readFile(err)};
    }

    fs::path write(const std::string& name, const std::string& text) const {
        const auto p = m_dir / name;
        std::ofstream(p) << text;
        return p;
    }

    fs::path m_dir;
};

TEST_F(KforgeCli, HelpEverywhere) {
    for (const auto* args : {"--help", "spec --help", "spec check --help", "spec json --help", "spec prompt --help",
                             "spec launcher --help"}) {
        const auto r = run(args);
        EXPECT_EQ(r.status, 0) << args << r.err;
        EXPECT_NE(r.out.find("Usage:"), std::string::npos) << args;
    }
}

TEST_F(KforgeCli, NoSubcommandIsAUsageError) {
    const auto r = run("");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("subcommand"), std::string::npos) << r.err;
}

TEST_F(KforgeCli, CheckAcceptsTheExampleLibrary) {
    const auto r = run("spec check resources/specs/*.kspec.yaml");
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("resources/specs/softmax-rows-f32.kspec.yaml: ok (softmax-rows-f32, "), std::string::npos)
        << r.out;
}

TEST_F(KforgeCli, CheckRejectsABrokenSpecWithPositions) {
    const auto good = write("good.kspec.yaml", readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/rowsum-f32.kspec.yaml"));
    const auto bad = write("bad.kspec.yaml", "id: x\ntitle: t\ndescription: d\nparams: [n]\n"
                                             "inputs: [{name: a, dtype: f31, shape: [m]}]\n"
                                             "outputs: [{name: b, dtype: f32, shape: [n]}]\n"
                                             "flops: n\nbytes: 8 * n\nsizes: [{n: 0}]\nreference: kf_reference(\n");
    const auto r = run("spec check " + good.string() + " " + bad.string());
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.out.find("good.kspec.yaml: ok"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find(bad.string() + ":5:27: error: unknown dtype 'f31'; did you mean 'f32'?"), std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(bad.string() + ":5:40: error: 'inputs[0].shape[0]' names 'm', which is not a param"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find(bad.string() + ":9:13: error: 'sizes[0].n' must be a positive integer, not '0'"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("kforge: 1 of 2 specs have errors"), std::string::npos) << r.err;
}

TEST_F(KforgeCli, MissingFileIsAClearError) {
    const auto r = run("spec check no-such.kspec.yaml");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.err.find("no-such.kspec.yaml"), std::string::npos) << r.err;
}

TEST_F(KforgeCli, JsonIsTheNormalizedForm) {
    const auto r = run("spec json resources/specs/softmax-rows-f32.kspec.yaml");
    ASSERT_EQ(r.status, 0) << r.err;
    const auto spec = kf::spec::specFromJson(nlohmann::json::parse(r.out));
    const auto loaded = kf::spec::loadSpecFile(std::string(KF_SOURCE_DIR) + "/resources/specs/softmax-rows-f32.kspec.yaml");
    EXPECT_EQ(spec, loaded.spec);
    const auto compact = run("spec json --compact resources/specs/softmax-rows-f32.kspec.yaml");
    EXPECT_EQ(std::count(compact.out.begin(), compact.out.end(), '\n'), 1);
}

TEST_F(KforgeCli, JsonOfABrokenSpecPrintsNothingOnStdout) {
    const auto bad = write("bad.kspec.yaml", "id: x\n");
    const auto r = run("spec json " + bad.string());
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("missing required key 'title'"), std::string::npos) << r.err;
}

TEST_F(KforgeCli, PromptShowsTheLauncherAndTarget) {
    const auto r = run("spec prompt --gpu h200 resources/specs/gemm-bf16.kspec.yaml");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("extern \"C\" void kf_launch(const __nv_bfloat16* a"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("NVIDIA H200"), std::string::npos);
    const auto unknown = run("spec prompt --gpu a100 resources/specs/gemm-bf16.kspec.yaml");
    EXPECT_EQ(unknown.status, 2);
    EXPECT_EQ(unknown.err, "kforge: unknown --gpu 'a100' (one of h100-sxm, h100-pcie, h200)\n");
}

TEST_F(KforgeCli, PromptTemplateErrorsNameTheFileAndLine) {
    const auto templ = write("t.md", "Task {{title}}\n{{oops}}\n");
    const auto r = run("spec prompt --template " + templ.string() + " resources/specs/rowsum-f32.kspec.yaml");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find(templ.string() + ": template line 2: unknown placeholder {{oops}}"), std::string::npos)
        << r.err;
}

TEST_F(KforgeCli, LauncherForEachRole) {
    const auto r = run("spec launcher --role reference resources/specs/transpose-f32.kspec.yaml");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, "extern \"C\" void kf_reference(const float* x, float* y, int64_t rows, int64_t cols, "
                     "cudaStream_t stream);\n");
}

TEST_F(KforgeCli, AFullDiskIsAnErrorNotASilentTruncation) {
    if (!fs::exists("/dev/full")) {
        GTEST_SKIP() << "/dev/full is not available";
    }
    const auto r = run("spec json resources/specs/softmax-rows-f32.kspec.yaml", "/dev/full");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("kforge: cannot write output: No space left on device"), std::string::npos) << r.err;
}

} // namespace
