// SPDX-License-Identifier: MIT
// compileRole's handling of what nvcc does, with a fake nvcc (a shell script) so that it runs anywhere:
// timeouts, cancels, crashes, silent failures, the environment it gets, and the cache around it.
#include "gpu/compile/compiler.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

// Prints a version like nvcc; otherwise does what $KF_FAKE_NVCC says, in the directory compileRole gave it.
constexpr const char* kFakeNvcc = R"(#!/bin/sh
if [ "$1" = "--version" ]; then echo "Cuda compilation tools, release 99.0, V99.0.1"; exit 0; fi
case "$KF_FAKE_NVCC" in
sleep) exec sleep 30 ;;
segv) kill -SEGV $$ ;;
silent) exit 3 ;;
nolib) exit 0 ;;
env) env >&2; exit 2 ;;
error) echo 'kernel.cu(2): error: identifier "foo" is undefined' >&2
       echo '      y = foo;' >&2
       echo '          ^' >&2
       echo '' >&2
       exit 2 ;;
ok) cp kf_translation_unit.cu kf_translation_unit.so
    echo "ptxas info    : Compiling entry function '_Z1kPf' for 'sm_90a'" >&2
    echo "ptxas info    : Used 12 registers, used 0 barriers" >&2
    exit 0 ;;
esac
exit 1
)";

spec::Spec tinySpec() {
    spec::Spec s;
    s.id = "tiny";
    s.params = {"n"};
    s.inputs = {{"x", spec::DType::F32, {"n"}, {}}};
    s.outputs = {{"y", spec::DType::F32, {"n"}, {}}};
    s.reference =
        "extern \"C\" void kf_reference(const float* x, float* y, int64_t n, cudaStream_t stream) {}\n";
    return s;
}

class FakeNvcc : public ::testing::Test {
protected:
    void SetUp() override {
        m_root = fs::temp_directory_path() / ("kf-fake-nvcc-" + std::to_string(::getpid()));
        fs::remove_all(m_root);
        fs::create_directories(m_root / "bin");
        std::ofstream(m_root / "bin" / "nvcc") << kFakeNvcc;
        ::chmod((m_root / "bin" / "nvcc").c_str(), 0755);
    }
    void TearDown() override {
        ::unsetenv("KF_FAKE_NVCC");
        fs::remove_all(m_root);
    }

    CompileRequest request(const std::string& mode) {
        ::setenv("KF_FAKE_NVCC", mode.c_str(), 1);
        CompileRequest r;
        r.spec = tinySpec();
        r.source = "__global__ void k(float* y) {\n    y = foo;\n}\n";
        r.options.nvcc = (m_root / "bin" / "nvcc").string();
        r.options.out_dir = (m_root / "out").string();
        return r;
    }

    fs::path m_root;
};

TEST_F(FakeNvcc, SuccessMovesTheLibraryOutAndParsesResources) {
    const auto r = compileRole(request("ok"));
    ASSERT_TRUE(r.ok) << (r.diagnostics.empty() ? "" : r.diagnostics[0].message);
    EXPECT_FALSE(r.cached);
    ASSERT_EQ(r.kernels.size(), 1u);
    EXPECT_EQ(r.kernels[0].name, "k");
    EXPECT_EQ(r.kernels[0].registers, 12);
    EXPECT_TRUE(fs::path(r.so_path).parent_path() == m_root / "out") << r.so_path;
    EXPECT_TRUE(fs::path(r.so_path).filename().string().starts_with("candidate-"));
    // The library is the translation unit, as the fake copied it: prelude, prototype, #line, source.
    std::ifstream in(r.so_path);
    const std::string unit((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(
        unit.find("extern \"C\" void kf_launch(const float* x, float* y, int64_t n, cudaStream_t stream);\n"
                  "#line 1 \"kernel.cu\"\n__global__ void k"),
        std::string::npos)
        << unit;
    EXPECT_NE(r.command.find("-gencode=arch=compute_90a,code=sm_90a"), std::string::npos);
    // Only the library is left in out_dir: the private directory is gone.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_root / "out"), fs::directory_iterator()), 1);
}

TEST_F(FakeNvcc, CompileErrorsAreDiagnosticsAtTheUsersLine) {
    const auto r = compileRole(request("error"));
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.so_path, "");
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0], (Diagnostic{"kernel.cu", 2, 9, "error", "identifier \"foo\" is undefined"}));
    EXPECT_NE(r.log.find("identifier \"foo\""), std::string::npos);
}

TEST_F(FakeNvcc, TimeoutIsAFailureThatSaysSo) {
    auto req = request("sleep");
    req.options.timeout = std::chrono::milliseconds(300);
    const auto r = compileRole(req);
    EXPECT_FALSE(r.ok);
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_NE(r.diagnostics.back().message.find("timed out"), std::string::npos)
        << r.diagnostics.back().message;
    EXPECT_LT(r.seconds, 10.0);
}

TEST_F(FakeNvcc, CancelStopsNvcc) {
    auto req = request("sleep");
    std::atomic<bool> cancel{false};
    req.options.cancel = &cancel;
    std::thread canceller([&cancel] {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        cancel = true;
    });
    const auto r = compileRole(req);
    canceller.join();
    EXPECT_FALSE(r.ok);
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_NE(r.diagnostics.back().message.find("cancelled"), std::string::npos)
        << r.diagnostics.back().message;
    EXPECT_LT(r.seconds, 10.0);
    EXPECT_FALSE(compileRole(req).ok); // already cancelled: nvcc does not start
}

TEST_F(FakeNvcc, CrashAndSilentFailureAreExplained) {
    const auto crashed = compileRole(request("segv"));
    EXPECT_FALSE(crashed.ok);
    ASSERT_EQ(crashed.diagnostics.size(), 1u);
    EXPECT_NE(crashed.diagnostics[0].message.find("SIGSEGV"), std::string::npos)
        << crashed.diagnostics[0].message;
    const auto silent = compileRole(request("silent"));
    ASSERT_EQ(silent.diagnostics.size(), 1u);
    EXPECT_NE(silent.diagnostics[0].message.find("exited with status 3"), std::string::npos);
    const auto nolib = compileRole(request("nolib"));
    EXPECT_FALSE(nolib.ok);
    ASSERT_EQ(nolib.diagnostics.size(), 1u);
    EXPECT_NE(nolib.diagnostics[0].message.find("could not be moved"), std::string::npos);
}

TEST_F(FakeNvcc, NvccGetsNoSecretsAndAPrivateTmpdir) {
    ::setenv("KF_TEST_API_KEY", "sk-do-not-leak", 1);
    const auto r = compileRole(request("env"));
    ::unsetenv("KF_TEST_API_KEY");
    EXPECT_EQ(r.log.find("sk-do-not-leak"), std::string::npos);
    EXPECT_NE(r.log.find("LC_ALL=C\n"), std::string::npos);
    EXPECT_NE(r.log.find("TMPDIR=" + (m_root / "out" / "kf-nvcc-").string()), std::string::npos) << r.log;
}

TEST_F(FakeNvcc, CacheHitSkipsNvccAndFailuresAreCachedButNotTimeouts) {
    auto req = request("ok");
    req.options.cache_dir = (m_root / "cache").string();
    const auto first = compileRole(req);
    ASSERT_TRUE(first.ok);
    ::setenv("KF_FAKE_NVCC", "silent", 1); // would fail if it ran
    const auto second = compileRole(req);
    EXPECT_TRUE(second.ok);
    EXPECT_TRUE(second.cached);
    EXPECT_EQ(second.kernels, first.kernels);
    EXPECT_EQ(fs::path(second.so_path).parent_path(), m_root / "cache");

    req.source += "// another source\n";
    ::setenv("KF_FAKE_NVCC", "error", 1);
    EXPECT_FALSE(compileRole(req).cached);
    ::setenv("KF_FAKE_NVCC", "ok", 1);
    const auto failed_again = compileRole(req);
    EXPECT_TRUE(failed_again.cached);
    EXPECT_FALSE(failed_again.ok);

    req.source += "// a third\n";
    req.options.timeout = std::chrono::milliseconds(200);
    ::setenv("KF_FAKE_NVCC", "sleep", 1);
    EXPECT_FALSE(compileRole(req).ok);
    ::setenv("KF_FAKE_NVCC", "ok", 1);
    EXPECT_TRUE(compileRole(req).ok); // the timeout was not remembered
}

TEST_F(FakeNvcc, UnusableCacheIsANoteNotAFailure) {
    auto req = request("ok");
    std::ofstream(m_root / "a-file") << "x";
    req.options.cache_dir = (m_root / "a-file" / "cache").string();
    const auto r = compileRole(req);
    EXPECT_TRUE(r.ok);
    ASSERT_EQ(r.notes.size(), 1u);
    EXPECT_NE(r.notes[0].find("compile cache off"), std::string::npos);
}

TEST_F(FakeNvcc, BadArchitectureOrLibraryIsADiagnostic) {
    auto req = request("ok");
    req.options.arch = "compute_90";
    auto r = compileRole(req);
    EXPECT_FALSE(r.ok);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_NE(r.diagnostics[0].message.find("unknown GPU architecture 'compute_90'"), std::string::npos);
    req = request("ok");
    req.role = spec::Role::Reference;
    req.spec.links = {"cudnn"};
    r = compileRole(req);
    EXPECT_FALSE(r.ok);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_NE(r.diagnostics[0].message.find("unknown library 'cudnn'"), std::string::npos);
}

TEST_F(FakeNvcc, CompileRolesCompilesEveryRoleOfTheSpec) {
    ::setenv("KF_FAKE_NVCC", "ok", 1);
    auto spec = tinySpec();
    CompileOptions options;
    options.nvcc = (m_root / "bin" / "nvcc").string();
    options.out_dir = (m_root / "out").string();
    auto roles = compileRoles(spec, "extern \"C\" void kf_launch() {}\n", "cand.cu", options);
    ASSERT_EQ(roles.size(), 2u);
    EXPECT_EQ(roles[0].role, spec::Role::Candidate);
    EXPECT_EQ(roles[1].role, spec::Role::Reference);
    EXPECT_TRUE(roles[0].result.ok && roles[1].result.ok);
    EXPECT_TRUE(fs::path(roles[1].result.so_path).filename().string().starts_with("reference-"));

    spec.baseline = {false, "extern \"C\" void kf_baseline() {}\n"};
    roles = compileRoles(spec, "extern \"C\" void kf_launch() {}\n", "cand.cu", options);
    ASSERT_EQ(roles.size(), 3u);
    EXPECT_EQ(roles[2].role, spec::Role::Baseline);
    EXPECT_TRUE(roles[2].result.ok);
}

TEST(Compiler, MissingNvccIsAFailureThatSaysSo) {
    CompileRequest req;
    req.options.nvcc = "/nonexistent/bin/nvcc";
    const auto r = compileRole(req);
    EXPECT_FALSE(r.ok);
    ASSERT_EQ(r.diagnostics.size(), 1u);
    EXPECT_EQ(r.diagnostics[0].file, "nvcc");
    EXPECT_NE(r.diagnostics[0].message.find("/nonexistent/bin/nvcc"), std::string::npos);
}

} // namespace
} // namespace kf::gpu::compile
