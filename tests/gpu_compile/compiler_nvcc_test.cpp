// SPDX-License-Identifier: MIT
// compileRole with the real nvcc on the repository's softmax spec and gold kernel. Needs the CUDA toolkit,
// not a GPU; reports skipped without nvcc. Prints nvcc's wall times.
#include "gpu/compile/compiler.h"
#include "gpu/compile/nvcc_toolkit.h"
#include "spec/spec_json.h"

#include <chrono>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// The `reference: |` block of the spec's YAML (the runner's build has no YAML parser; the block is plain text
// indented by two spaces).
std::string referenceBlock(const std::string& yaml) {
    std::istringstream in(yaml);
    std::string line;
    std::string block;
    bool inside = false;
    while (std::getline(in, line)) {
        if (inside && !line.empty() && !line.starts_with("  ")) {
            break;
        }
        if (inside) {
            block += (line.size() >= 2 ? line.substr(2) : "") + "\n";
        }
        inside = inside || line == "reference: |";
    }
    return block;
}

// softmax-rows-f32 as a job carries it (the normalized JSON), read with the runner's own reader.
spec::Spec softmaxSpec() {
    const auto yaml = readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/softmax-rows-f32.kspec.yaml");
    const nlohmann::json j = {{"format", spec::kSpecJsonFormat},
                              {"id", "softmax-rows-f32"},
                              {"title", "Row-wise softmax, fp32"},
                              {"description", ""},
                              {"category", "softmax"},
                              {"tags", nlohmann::json::array()},
                              {"params", {"rows", "cols"}},
                              {"inputs",
                               {{{"name", "x"},
                                 {"dtype", "f32"},
                                 {"shape", {"rows", "cols"}},
                                 {"init", {{"dist", "normal"}, {"mean", 0.0}, {"std", 3.0}}}}}},
                              {"outputs", {{{"name", "y"}, {"dtype", "f32"}, {"shape", {"rows", "cols"}}}}},
                              {"flops", "5 * rows * cols"},
                              {"bytes", "4 * rows * cols + 4 * rows * cols"},
                              {"tolerance", {{"rel_l2", 1e-5}, {"rtol", 1e-5}, {"atol", 1e-6}}},
                              {"sizes",
                               {{{"params", {{"rows", 333}, {"cols", 77}}},
                                 {"flops", 128205.0},
                                 {"bytes", 205128.0},
                                 {"shapes", {{"x", {333, 77}}, {"y", {333, 77}}}}}}},
                              {"reference", referenceBlock(yaml)},
                              {"baseline", {{"kind", "reference"}}},
                              {"links", nlohmann::json::array()},
                              {"rules", nlohmann::json::array()}};
    return spec::specFromJson(j);
}

class RealNvcc : public ::testing::Test {
protected:
    void SetUp() override {
        const auto nvcc = findNvcc("");
        if (nvcc.path.empty()) {
            GTEST_SKIP() << nvcc.error;
        }
        m_root =
            fs::temp_directory_path() / ("kf-nvcc-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_root);
        m_gold = readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/softmax-rows-f32.gold.cu");
        ASSERT_FALSE(m_gold.empty());
    }
    void TearDown() override {
        if (!m_root.empty()) {
            fs::remove_all(m_root);
        }
    }

    CompileRequest request(const std::string& source, const std::string& name = "softmax-rows-f32.gold.cu") {
        CompileRequest r;
        r.spec = softmaxSpec();
        r.source = source;
        r.source_name = name;
        r.options.out_dir = (m_root / "out").string();
        return r;
    }

    fs::path m_root;
    std::string m_gold;
};

TEST_F(RealNvcc, GoldKernelCompilesWithItsKernelsAndExportsTheLauncher) {
    const auto r = compileRole(request(m_gold));
    std::cout << "nvcc softmax gold (candidate, sm_90a): " << r.seconds << " s\n";
    ASSERT_TRUE(r.ok) << r.log;
    for (const auto& d : r.diagnostics) {
        EXPECT_NE(d.severity, "error") << formatDiagnostic(d);
    }
    ASSERT_GT(r.kernels.size(), 10u) << r.log;
    for (const auto& k : r.kernels) {
        EXPECT_TRUE(k.name.starts_with("(anonymous namespace)::softmax_")) << k.name;
        EXPECT_GT(k.registers, 0) << k.name;
        EXPECT_EQ(k.spill_stores, 0) << k.name;
    }
    void* lib = ::dlopen(r.so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib, nullptr) << ::dlerror();
    EXPECT_NE(::dlsym(lib, "kf_launch"), nullptr);
    ::dlclose(lib);
}

TEST_F(RealNvcc, BrokenSourceGivesDiagnosticsAtTheUsersLineAndColumn) {
    const std::string anchor = "constexpr float kLog2e = 1.4426950408889634f;";
    auto source = m_gold;
    const auto at = source.find(anchor);
    ASSERT_NE(at, std::string::npos);
    source.replace(at, anchor.size(), "constexpr float kLog2e = 1.4426950408889634f * undefined_scale;");
    const int line =
        1 + static_cast<int>(std::count(source.begin(), source.begin() + static_cast<long>(at), '\n'));
    const auto line_start = source.rfind('\n', at) + 1;
    const int col = static_cast<int>(source.find("undefined_scale", at) - line_start) + 1;

    const auto r = compileRole(request(source, "softmax.cu"));
    std::cout << "nvcc broken source (front-end error): " << r.seconds << " s\n";
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.so_path, "");
    ASSERT_FALSE(r.diagnostics.empty()) << r.log;
    EXPECT_EQ(r.diagnostics[0],
              (Diagnostic{"softmax.cu", line, col, "error", "identifier \"undefined_scale\" is undefined"}))
        << r.log;
}

TEST_F(RealNvcc, CacheHitsTheSecondTimeAndIsMuchFaster) {
    auto req = request(m_gold);
    req.options.cache_dir = (m_root / "cache").string();
    const auto first = compileRole(req);
    ASSERT_TRUE(first.ok) << first.log;
    EXPECT_FALSE(first.cached);
    const auto second = compileRole(req);
    std::cout << "nvcc softmax gold: compiled in " << first.seconds << " s, cache hit in " << second.seconds
              << " s\n";
    ASSERT_TRUE(second.ok);
    EXPECT_TRUE(second.cached);
    EXPECT_EQ(second.kernels, first.kernels);
    EXPECT_EQ(second.log, first.log);
    EXPECT_LT(second.seconds * 20, first.seconds);
    EXPECT_TRUE(fs::exists(second.so_path));
    EXPECT_EQ(fs::path(second.so_path).parent_path(), m_root / "cache");
}

TEST_F(RealNvcc, SharedMemoryOverflowIsReportedByPtxas) {
    const std::string source =
        "__global__ void big(const float* x, float* y, int64_t n) {\n"
        "    __shared__ float tile[70000];\n"
        "    tile[threadIdx.x] = x[threadIdx.x];\n"
        "    __syncthreads();\n"
        "    y[threadIdx.x] = tile[(threadIdx.x + 1) % 70000];\n"
        "}\n"
        "extern \"C\" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols,\n"
        "                          cudaStream_t stream) {\n"
        "    big<<<1, 256, 0, stream>>>(x, y, rows * cols);\n"
        "}\n";
    const auto r = compileRole(request(source, "big.cu"));
    std::cout << "nvcc shared memory overflow: " << r.seconds << " s\n";
    EXPECT_FALSE(r.ok);
    ASSERT_FALSE(r.diagnostics.empty()) << r.log;
    EXPECT_EQ(r.diagnostics[0].file, "ptxas");
    EXPECT_EQ(r.diagnostics[0].severity, "error");
    EXPECT_NE(r.diagnostics[0].message.find("'big(float const*, float*, long)' uses too much shared data"),
              std::string::npos)
        << r.diagnostics[0].message;
    ASSERT_EQ(r.kernels.size(), 1u);
    EXPECT_EQ(r.kernels[0].smem_static, 280000);
}

TEST_F(RealNvcc, CandidateAndReferenceCompileInParallel) {
    CompileOptions options;
    options.out_dir = (m_root / "out").string();
    const auto t0 = std::chrono::steady_clock::now();
    const auto roles = compileRoles(softmaxSpec(), m_gold, "softmax-rows-f32.gold.cu", options);
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ASSERT_EQ(roles.size(), 2u);
    double sum = 0;
    for (const auto& r : roles) {
        std::cout << "nvcc " << roleName(r.role) << ": " << r.result.seconds << " s\n";
        EXPECT_TRUE(r.result.ok) << roleName(r.role) << "\n" << r.result.log;
        sum += r.result.seconds;
    }
    std::cout << "compileRoles wall time: " << wall << " s (sum of roles " << sum << " s)\n";
    EXPECT_EQ(roles[1].role, spec::Role::Reference);
    ASSERT_EQ(roles[1].result.kernels.size(), 1u);
    EXPECT_EQ(roles[1].result.kernels[0].name, "softmax_rows_reference");
    void* lib = ::dlopen(roles[1].result.so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(lib, nullptr) << ::dlerror();
    EXPECT_NE(::dlsym(lib, "kf_reference"), nullptr);
    ::dlclose(lib);
}

} // namespace
} // namespace kf::gpu::compile
