// SPDX-License-Identifier: MIT
#include "gpu/compile/compiler_environment.h"
#include "gpu/compile/nvcc_command.h"
#include "gpu/compile/nvcc_toolkit.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sys/stat.h>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(NvccCommand, ArgvForTheCandidate) {
    NvccCommand c;
    c.nvcc = "/opt/cuda/bin/nvcc";
    c.toolkit_lib_dir = "/opt/cuda/lib64";
    const auto argv = c.argv();
    ASSERT_GE(argv.size(), 4u);
    EXPECT_EQ(argv[0], "/opt/cuda/bin/nvcc");
    for (const char* flag :
         {"-O3", "-std=c++17", "-gencode=arch=compute_90a,code=sm_90a", "-lineinfo", "-shared",
          "-cudart=shared", "-Xcompiler=-fPIC", "-Xptxas=--verbose", "-Xptxas=--warn-on-spills",
          "--display-error-number", "-Xlinker=--no-undefined", "-Xlinker=-rpath,/opt/cuda/lib64"}) {
        EXPECT_TRUE(contains(argv, flag)) << flag;
    }
    EXPECT_FALSE(std::any_of(argv.begin(), argv.end(),
                             [](const auto& a) { return a.starts_with("-l") && a != "-lineinfo"; }));
    // Output and input last, relative: the same argv in every temporary directory.
    EXPECT_EQ(std::vector<std::string>(argv.end() - 3, argv.end()),
              (std::vector<std::string>{"-o", "kernel.so", "kernel.cu"}));
}

TEST(NvccCommand, LinksForReferenceAndBaseline) {
    NvccCommand c;
    c.links = {"cublas", "cublasLt"};
    const auto argv = c.argv();
    EXPECT_TRUE(contains(argv, "-lcublas"));
    EXPECT_TRUE(contains(argv, "-lcublasLt"));
    c.links = {"cudnn"};
    EXPECT_THROW(c.argv(), std::invalid_argument);
}

TEST(NvccCommand, GencodeFromTheArchitecture) {
    EXPECT_EQ(gencodeFlag("sm_90a"), "-gencode=arch=compute_90a,code=sm_90a");
    EXPECT_EQ(gencodeFlag("sm_80"), "-gencode=arch=compute_80,code=sm_80");
    EXPECT_EQ(gencodeFlag("sm_100f"), "-gencode=arch=compute_100f,code=sm_100f");
    for (const char* bad : {"", "90a", "compute_90a", "sm_9", "sm_90b", "sm_90a,code=sm_80", "sm_1000"}) {
        EXPECT_THROW(gencodeFlag(bad), std::invalid_argument) << bad;
    }
}

TEST(NvccCommand, CommandLineQuotesWhatTheShellWouldSplit) {
    EXPECT_EQ(commandLine({"/usr/bin/nvcc", "-O3", "-o", "a b.so", "it's.cu"}),
              "/usr/bin/nvcc -O3 -o 'a b.so' 'it'\\''s.cu'");
}

TEST(NvccToolkit, ParsesTheReleaseVersion) {
    const std::string out = "nvcc: NVIDIA (R) Cuda compiler driver\n"
                            "Copyright (c) 2005-2025 NVIDIA Corporation\n"
                            "Built on Wed_Aug_20_01:58:59_PM_PDT_2025\n"
                            "Cuda compilation tools, release 13.0, V13.0.88\n"
                            "Build cuda_13.0.r13.0/compiler.36424714_0\n";
    EXPECT_EQ(parseNvccVersion(out), "13.0.88");
    EXPECT_EQ(parseNvccVersion("no version here"), std::nullopt);
}

// A fake toolkit: <root>/bin/nvcc (executable) and <root>/lib64/libcudart.so.
class FakeToolkits : public ::testing::Test {
protected:
    void SetUp() override {
        m_root = fs::temp_directory_path() / ("kf-nvcc-find-" + std::to_string(::getpid()));
        fs::remove_all(m_root);
    }
    void TearDown() override { fs::remove_all(m_root); }

    std::string toolkit(const std::string& name, bool executable = true) {
        const auto root = m_root / name;
        fs::create_directories(root / "bin");
        fs::create_directories(root / "lib64");
        std::ofstream(root / "bin" / "nvcc") << "#!/bin/sh\n";
        std::ofstream(root / "lib64" / "libcudart.so") << "";
        ::chmod((root / "bin" / "nvcc").c_str(), executable ? 0755 : 0644);
        return root.string();
    }

    EnvLookup env(std::map<std::string, std::string> vars) {
        return [vars](const std::string& name) -> std::optional<std::string> {
            const auto it = vars.find(name);
            return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
    }

    fs::path m_root;
};

TEST_F(FakeToolkits, SearchOrderCudaHomeCudaPathThenPath) {
    const auto home = toolkit("home");
    const auto path = toolkit("path");
    const auto on_path = toolkit("onpath");
    EXPECT_EQ(findNvcc("", env({{"CUDA_HOME", home}, {"CUDA_PATH", path}, {"PATH", on_path + "/bin"}})).path,
              home + "/bin/nvcc");
    EXPECT_EQ(findNvcc("", env({{"CUDA_PATH", path}, {"PATH", on_path + "/bin"}})).path, path + "/bin/nvcc");
    EXPECT_EQ(findNvcc("", env({{"PATH", "/nonexistent:" + on_path + "/bin"}})).path, on_path + "/bin/nvcc");
}

TEST_F(FakeToolkits, ExplicitPathIsUsedAloneAndMustBeExecutable) {
    const auto home = toolkit("home");
    const auto broken = toolkit("broken", false);
    EXPECT_EQ(findNvcc(broken + "/bin/nvcc", env({{"CUDA_HOME", home}})).path, "");
    EXPECT_NE(findNvcc(broken + "/bin/nvcc", env({{"CUDA_HOME", home}})).error.find("not an executable"),
              std::string::npos);
    EXPECT_EQ(findNvcc(home + "/bin/nvcc", env({})).path, home + "/bin/nvcc");
}

TEST_F(FakeToolkits, NonExecutableCandidatesAreSkipped) {
    const auto broken = toolkit("broken", false);
    const auto good = toolkit("good");
    EXPECT_EQ(findNvcc("", env({{"CUDA_HOME", broken}, {"PATH", good + "/bin"}})).path, good + "/bin/nvcc");
}

TEST_F(FakeToolkits, NothingFoundSaysWhatWasTried) {
    const auto r = findNvcc("", env({{"CUDA_HOME", (m_root / "none").string()}, {"PATH", ""}}));
    if (!r.path.empty()) {
        EXPECT_EQ(r.path, "/usr/local/cuda/bin/nvcc"); // this machine has the real toolkit: the last resort
        return;
    }
    EXPECT_NE(r.error.find((m_root / "none" / "bin" / "nvcc").string()), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("/usr/local/cuda/bin/nvcc"), std::string::npos) << r.error;
}

TEST_F(FakeToolkits, LibraryDirectoryBesideBin) {
    const auto home = toolkit("home");
    EXPECT_EQ(toolkitLibDir(home + "/bin/nvcc"), home + "/lib64");
    fs::create_directories(m_root / "targets" / "bin");
    fs::create_directories(m_root / "targets" / "targets" / "x86_64-linux" / "lib");
    std::ofstream(m_root / "targets" / "targets" / "x86_64-linux" / "lib" / "libcudart.so.13") << "";
    EXPECT_EQ(toolkitLibDir((m_root / "targets" / "bin" / "nvcc").string()),
              (m_root / "targets" / "targets" / "x86_64-linux" / "lib").string());
    EXPECT_EQ(toolkitLibDir((m_root / "nothing" / "bin" / "nvcc").string()), "");
}

TEST(CompilerEnvironment, SecretsAreDroppedLocaleAndTmpdirSet) {
    const std::vector<std::string> parent = {
        "PATH=/usr/bin",      "ANTHROPIC_API_KEY=sk-1", "GITHUB_TOKEN=t", "AWS_SECRET=s", "db_password=p",
        "LC_ALL=de_DE.UTF-8", "TMPDIR=/elsewhere",      "HOME=/home/u",   "TOKENIZER=ok"};
    const auto env = compilerEnvironment(parent, "/tmp/kf-nvcc-1");
    EXPECT_EQ(env, (std::vector<std::string>{"PATH=/usr/bin", "HOME=/home/u", "TOKENIZER=ok", "LC_ALL=C",
                                             "TMPDIR=/tmp/kf-nvcc-1"}));
    EXPECT_TRUE(isSecretVariable("OPENAI_API_KEY"));
    EXPECT_TRUE(isSecretVariable("hf_token"));
    EXPECT_FALSE(isSecretVariable("TOKEN_COUNT"));
}

TEST(CompilerEnvironment, ProcessEnvironmentLosesItsSecrets) {
    ::setenv("KF_TEST_API_KEY", "do-not-pass", 1);
    const auto env = compilerEnvironment();
    ::unsetenv("KF_TEST_API_KEY");
    EXPECT_FALSE(
        std::any_of(env.begin(), env.end(), [](const auto& e) { return e.starts_with("KF_TEST_API_KEY="); }));
    EXPECT_TRUE(contains(env, "LC_ALL=C"));
}

} // namespace
} // namespace kf::gpu::compile
