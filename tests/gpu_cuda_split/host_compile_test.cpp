// SPDX-License-Identifier: MIT
// Compiles hostSource() of every gold kernel with g++, as the fast build will (label `cuda`: needs g++ and
// the CUDA headers).
#include "gpu/cuda_split/split_sources.h"
#include "test_files.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace kf::gpu::cuda_split {
namespace {

// A stand-in for the lead's runtime header, placed right after #include <cuda_runtime.h>.
const std::string kRuntimeStandIn =
    "namespace kf_rt { struct Config { Config(dim3, dim3, unsigned long = 0, cudaStream_t = 0) {} }; "
    "template <class... P> struct L { void operator()(P...) const {} }; "
    "template <class... P> L<P...> launcher(void (*)(P...), Config) { return {}; } }\n";

// What cuda_runtime.h and math_functions.h declare for host code only under nvcc (__CUDACC__), and gold
// kernels' host code uses: the kernel-pointer overload of cudaFuncSetAttribute and integer min/max. The real
// runtime header has to provide these (and map the kernel pointer to the NVRTC-compiled function).
const std::string kNvccHostExtras =
    "template <class T> cudaError_t cudaFuncSetAttribute(T* f, cudaFuncAttribute a, int v) "
    "{ return ::cudaFuncSetAttribute(reinterpret_cast<const void*>(f), a, v); }\n"
    "inline int min(int a, int b) { return a < b ? a : b; }\n"
    "inline int max(int a, int b) { return a > b ? a : b; }\n";

bool onPath(const std::string& tool) {
    const char* path = std::getenv("PATH");
    if (path == nullptr)
        return false;
    std::string_view rest(path);
    while (!rest.empty()) {
        const std::size_t colon = std::min(rest.find(':'), rest.size());
        if (std::filesystem::exists(std::filesystem::path(rest.substr(0, colon)) / tool))
            return true;
        rest.remove_prefix(std::min(colon + 1, rest.size()));
    }
    return false;
}

TEST(HostCompile, GoldHostSourcesCompileWithGxx) {
    if (!onPath("g++"))
        GTEST_SKIP() << "g++ is not on PATH";
    if (!std::filesystem::exists("/usr/local/cuda/include/cuda_runtime.h"))
        GTEST_SKIP() << "no /usr/local/cuda/include/cuda_runtime.h";
    const std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("kf_cuda_split_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    int compiled = 0;
    for (const auto& path : test::cudaFiles(true)) {
        const std::string tu = test::translationUnit(test::readFile(path));
        const SourceOutline outline = outlineCudaSource(tu);
        if (!outline.unsupported.empty())
            continue; // the fast path falls back to nvcc for it
        std::string host = hostSource(tu, outline);
        const std::string anchor = "#include <cuda_runtime.h>\n";
        const std::size_t at = host.find(anchor);
        ASSERT_NE(at, std::string::npos);
        host.insert(at + anchor.size(), kRuntimeStandIn + kNvccHostExtras);
        const std::filesystem::path cpp = dir / (path.stem().string() + ".host.cpp");
        const std::filesystem::path log = dir / (path.stem().string() + ".log");
        std::ofstream(cpp, std::ios::binary) << host;
        const std::string cmd = "g++ -std=c++17 -fsyntax-only -I/usr/local/cuda/include -x c++ '" +
                                cpp.string() + "' > '" + log.string() + "' 2>&1";
        EXPECT_EQ(std::system(cmd.c_str()), 0) << path.filename() << ":\n" << test::readFile(log);
        ++compiled;
    }
    EXPECT_GE(compiled, 8);
    std::filesystem::remove_all(dir);
}

} // namespace
} // namespace kf::gpu::cuda_split
