// SPDX-License-Identifier: MIT
// The fast build (g++ for the host code, NVRTC workers for the kernels) on the repository's gold kernels, and
// its fall back to nvcc. Needs the CUDA toolkit and the kf-nvrtc worker, not a GPU; reports skipped without
// them. The libraries are loaded (dlopen) but their kernels are not: that needs a GPU (tests/gpu).
#include "gpu/compile/compiler.h"
#include "gpu/compile/fast_build.h"
#include "gpu/compile/fast_host_pch.h"
#include "gpu/compile/nvcc_toolkit.h"
#include "proc/command.h"
#include "spec/launcher.h"

#include <chrono>
#include <dlfcn.h>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
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

class FastBuild : public ::testing::Test {
protected:
    void SetUp() override {
        m_nvcc = findNvcc("").path;
        if (m_nvcc.empty()) {
            GTEST_SKIP() << "no CUDA toolkit";
        }
        if (::access(KF_NVRTC_WORKER, X_OK) != 0) {
            GTEST_SKIP() << "no kf-nvrtc at " << KF_NVRTC_WORKER;
        }
        m_root =
            fs::temp_directory_path() / ("kf-fast-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_root);
        fs::create_directories(m_root);
    }
    void TearDown() override {
        if (!m_root.empty()) {
            fs::remove_all(m_root);
        }
    }

    // What kf-runner compiles for a kernel file (the spec prelude, then the file under its own name).
    static std::string unitFor(const std::string& source, const std::string& name) {
        return "#include <cstdint>\n#include <cuda_runtime.h>\n#include <cuda_fp16.h>\n#include "
               "<cuda_bf16.h>\n"
               "#line 1 \"" +
               name + "\"\n" + source;
    }

    FastBuildRequest request(const std::string& unit, const std::string& tag) {
        FastBuildRequest r;
        r.unit = unit;
        r.unit_name = "kf_translation_unit.cu";
        r.arch = "sm_90a";
        r.cuda_root = fs::path(m_nvcc).parent_path().parent_path().string();
        r.toolkit_lib_dir = toolkitLibDir(m_nvcc);
        r.worker = KF_NVRTC_WORKER;
        r.work_dir = (m_root / tag).string();
        fs::create_directories(r.work_dir);
        r.library = (m_root / tag / "lib.so").string();
        return r;
    }

    // A compile of `source` for a spec of one f32 tensor in (x) and one out (y) of shape `params`, fast build
    // on.
    CompileRequest vectorRequest(const std::string& source, const std::string& name,
                                 const std::vector<std::string>& params = {"n"}) const {
        CompileRequest r;
        r.spec.id = "t";
        r.spec.params = params;
        r.spec.inputs = {{"x", spec::DType::F32, params, {}}};
        r.spec.outputs = {{"y", spec::DType::F32, params, {}}};
        r.source = source;
        r.source_name = name;
        r.options.out_dir = (m_root / "out").string();
        r.options.nvrtc_worker = KF_NVRTC_WORKER;
        return r;
    }

    std::string m_nvcc;
    fs::path m_root;
};

// Every example's gold kernel and every corpus kernel takes the fast path (the corpus's endless_loop.cu keeps
// a device variable at namespace scope, which the fast build leaves to nvcc): the splitter, the host stubs,
// the name expressions and the NVRTC prelude all hold on real kernels, and each library loads with its
// launcher and kernel loader.
TEST_F(FastBuild, EveryGoldAndCorpusKernelBuildsWithoutNvcc) {
    int built = 0;
    for (const char* dir : {"resources/specs", "tests/gpu/corpus"}) {
        for (const auto& entry : fs::directory_iterator(fs::path(KF_SOURCE_DIR) / dir)) {
            const auto name = entry.path().filename().string();
            if (!name.ends_with(".cu")) {
                continue;
            }
            const auto req = request(unitFor(readFile(entry.path()), name), name);
            const auto out = fastBuild(req);
            std::cout << name << ": " << (out.built ? "built" : "NOT built: " + out.why_not) << ", "
                      << out.kernels << " kernels, " << out.workers << " workers\n";
            if (name == "endless_loop.cu") {
                EXPECT_FALSE(out.built);
                EXPECT_NE(out.why_not.find("__device__ variable"), std::string::npos) << out.why_not;
                continue;
            }
            ASSERT_TRUE(out.built) << name << ": " << out.why_not << "\n" << out.log;
            ++built;
            EXPECT_GT(out.kernels, 0u) << name;
            void* lib = ::dlopen(req.library.c_str(), RTLD_NOW | RTLD_LOCAL);
            ASSERT_NE(lib, nullptr) << name << ": " << ::dlerror();
            EXPECT_NE(::dlsym(lib, "kf_launch"), nullptr) << name;
            EXPECT_NE(::dlsym(lib, "kf_rt_load"), nullptr) << name;
            ::dlclose(lib);
            // A GNU unique symbol is one object for every library in the process: the reference's library
            // would share the candidate's kernel table.
            const auto syms = (m_root / (name + ".dynsyms")).string();
            ASSERT_EQ(std::system(("readelf --dyn-syms -W '" + req.library + "' > '" + syms + "'").c_str()),
                      0);
            EXPECT_EQ(readFile(syms).find(" UNIQUE "), std::string::npos) << name << "\n" << readFile(syms);
        }
    }
    EXPECT_GE(built, 19);
}

// The precompiled host header is made for one toolkit and used only with it; a build through it gives a
// library like the one without.
TEST_F(FastBuild, PrecompiledHostHeaderServesItsToolkitOnly) {
    const auto dir = (m_root / "pch").string();
    ASSERT_EQ(prepareHostPch(dir, m_nvcc), "");
    const auto version = nvccVersion(m_nvcc).version;
    const auto root = fs::path(m_nvcc).parent_path().parent_path().string();
    const auto header = usableHostPch(dir, root, version);
    EXPECT_EQ(header, (fs::path(dir) / "kf_host_prelude.h").string());
    EXPECT_EQ(usableHostPch(dir, root, version + ".1"), "");
    EXPECT_EQ(usableHostPch(dir, "/opt/other-cuda", version), "");
    EXPECT_EQ(usableHostPch((m_root / "none").string(), root, version), "");

    auto req = request(
        unitFor(readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/transpose-f32.gold.cu"), "transpose.cu"),
        "with-pch");
    req.host_prelude = header;
    const auto out = fastBuild(req);
    ASSERT_TRUE(out.built) << out.why_not;
    EXPECT_EQ(out.kernels, 7u);
    std::cout << "host code with the precompiled header: " << out.host_seconds << " s\n";
}

TEST_F(FastBuild, SoftmaxGoldThroughCompileRoleReportsItsKernelsAndIsCached) {
    CompileRequest r =
        vectorRequest(readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/softmax-rows-f32.gold.cu"),
                      "softmax.gold.cu", {"rows", "cols"});
    r.options.cache_dir = (m_root / "cache").string();
    const auto first = compileRole(r);
    std::cout << "fast build, softmax gold: " << first.seconds << " s\n";
    ASSERT_TRUE(first.ok) << first.log;
    ASSERT_FALSE(first.notes.empty());
    EXPECT_NE(first.notes.back().find("built with g++ and NVRTC (26 kernels"), std::string::npos)
        << first.notes.back();
    ASSERT_EQ(first.kernels.size(), 26u) << first.log;
    for (const auto& k : first.kernels) {
        EXPECT_TRUE(k.name.starts_with("(anonymous namespace)::softmax_")) << k.name;
        EXPECT_GT(k.registers, 0) << k.name;
        EXPECT_EQ(k.spill_stores, 0) << k.name;
    }
    for (const auto& d : first.diagnostics) {
        EXPECT_NE(d.severity, "error") << formatDiagnostic(d);
    }
    const auto second = compileRole(r);
    EXPECT_TRUE(second.cached);
    EXPECT_EQ(second.kernels, first.kernels);
}

// The fast build compiles the same kernels as nvcc: the same registers, shared memory, stack and spills for
// every kernel of these gold files (their int64_t is long long under NVRTC, long under nvcc: the same size).
// This caught an INFINITY that NVRTC did not fold as nvcc does, which made the softmax kernel 2.9 % slower.
TEST_F(FastBuild, SameKernelResourcesAsNvcc) {
    const auto sameName = [](std::string n) {
        for (auto at = n.find("long long"); at != std::string::npos; at = n.find("long long", at)) {
            n.replace(at, 9, "long");
        }
        return n;
    };
    for (const char* file : {"softmax-rows-f32.gold.cu", "transpose-f32.gold.cu"}) {
        CompileRequest r = vectorRequest(readFile(fs::path(KF_SOURCE_DIR) / "resources/specs" / file), file,
                                         {"rows", "cols"});
        const auto fast = compileRole(r);
        r.options.nvrtc_worker.clear();
        const auto nvcc = compileRole(r);
        ASSERT_TRUE(fast.ok && nvcc.ok) << fast.log << nvcc.log;
        ASSERT_NE(fast.notes.back().find("built with g++ and NVRTC"), std::string::npos) << fast.notes.back();
        std::map<std::string, KernelResources> by_name;
        for (auto k : nvcc.kernels) {
            by_name[sameName(k.name)] = k;
        }
        ASSERT_EQ(fast.kernels.size(), nvcc.kernels.size()) << file;
        for (const auto& k : fast.kernels) {
            const auto it = by_name.find(sameName(k.name));
            ASSERT_NE(it, by_name.end()) << file << ": " << k.name;
            EXPECT_EQ(k.registers, it->second.registers) << k.name;
            EXPECT_EQ(k.smem_static, it->second.smem_static) << k.name;
            EXPECT_EQ(k.stack, it->second.stack) << k.name;
            EXPECT_EQ(k.spill_stores, it->second.spill_stores) << k.name;
        }
    }
}

// A source error is reported as nvcc reports it (the fast build gives way), at the user's line and column.
TEST_F(FastBuild, BrokenSourceFallsBackToNvccsDiagnostics) {
    const auto out = compileRole(
        vectorRequest("__global__ void k(const float* x, float* y, int64_t n) {\n"
                      "    y[0] = x[0] * undefined_scale;\n"
                      "}\n"
                      "extern \"C\" void kf_launch(const float* x, float* y, int64_t n, cudaStream_t s) {\n"
                      "    k<<<1, 1, 0, s>>>(x, y, n);\n"
                      "}\n",
                      "broken.cu"));
    EXPECT_FALSE(out.ok);
    ASSERT_FALSE(out.diagnostics.empty()) << out.log;
    EXPECT_EQ(out.diagnostics[0],
              (Diagnostic{"broken.cu", 2, 19, "error", "identifier \"undefined_scale\" is undefined"}));
    ASSERT_FALSE(out.notes.empty());
    EXPECT_NE(out.notes.front().find("fast build not used"), std::string::npos) << out.notes.front();
}

// What the fast build does not handle (a device symbol the host copies into) is built by nvcc.
TEST_F(FastBuild, UnsupportedConstructsAreBuiltByNvcc) {
    const auto out = compileRole(
        vectorRequest("__constant__ float scale[1];\n"
                      "__global__ void k(const float* x, float* y, int64_t n) { y[0] = x[0] * scale[0]; }\n"
                      "extern \"C\" void kf_launch(const float* x, float* y, int64_t n, cudaStream_t s) {\n"
                      "    const float one = 1.0f;\n"
                      "    cudaMemcpyToSymbolAsync(scale, &one, sizeof one, 0, cudaMemcpyHostToDevice, s);\n"
                      "    k<<<1, 1, 0, s>>>(x, y, n);\n"
                      "}\n",
                      "symbol.cu"));
    ASSERT_TRUE(out.ok) << out.log;
    ASSERT_FALSE(out.notes.empty());
    EXPECT_NE(out.notes.front().find("fast build not used"), std::string::npos) << out.notes.front();
    EXPECT_NE(out.notes.front().find("line 1"), std::string::npos) << out.notes.front();
}

// Workers are started before their requests exist; one that turns out not to be needed gets no input.
TEST_F(FastBuild, WorkerWarmsUpThenExitsQuietlyWithoutARequest) {
    proc::Command c;
    c.argv = {KF_NVRTC_WORKER, "--warm-up", "-std=c++17", "-default-device"};
    c.timeout = std::chrono::seconds(120);
    const auto r = proc::runCommand(c);
    EXPECT_TRUE(r.ok()) << r.describe() << r.err;
    EXPECT_EQ(r.out, "");
}

} // namespace
} // namespace kf::gpu::compile
