// SPDX-License-Identifier: MIT
#include "gpu/cuda_split/split_sources.h"
#include "test_files.h"

#include <algorithm>
#include <gtest/gtest.h>

namespace kf::gpu::cuda_split {
namespace {

const std::string kSmall = "#define DEV __device__\n"
                           "DEV int sq(int v) { return v * v; }\n"
                           "template <int N>\n"
                           "static __global__ void __launch_bounds__(256, 2) k(int* p) {\n"
                           "    p[N] = sq(N);\n"
                           "}\n"
                           "__host__ __device__ int hd() { return 1; }\n"
                           "constexpr int ce() { return 2; }\n"
                           "void launch(int* p, cudaStream_t s) {\n"
                           "    k<3><<<1, 32, 0, s>>>(p); int after = 0;\n"
                           "}\n";

TEST(SplitSources, HostSourceExact) {
    const std::string host = hostSource(kSmall, outlineCudaSource(kSmall));
    EXPECT_EQ(host, "#define DEV __device__\n"
                    "DEV int sq(int v) {}               \n"
                    "template <int N>\n"
                    "       __global__ void                           k(int* p) {}\n"
                    "                 \n"
                    " \n"
                    "__host__ __device__ int hd() { return 1; }\n"
                    "constexpr int ce() { return 2; }\n"
                    "void launch(int* p, cudaStream_t s) {\n"
                    "    ::kf_rt::launcher(k<3>, ::kf_rt::Config(1, 32, 0, s))(p); int after = 0;\n"
                    "}\n");
}

TEST(SplitSources, DeviceSourceExact) {
    const std::string device = deviceSource(kSmall, outlineCudaSource(kSmall), {});
    EXPECT_EQ(device, "#define DEV __device__\n"
                      "DEV int sq(int v) { return v * v; }\n"
                      "template <int N>\n"
                      "static __global__ void __launch_bounds__(256, 2) k(int* p) {\n"
                      "    p[N] = sq(N);\n"
                      "}\n"
                      "__host__ __device__ int hd() { return 1; }\n"
                      "constexpr int ce() { return 2; }\n"
                      "void launch(int* p, cudaStream_t s) { kf_removed_host_body(); }\n"
                      "                                            \n"
                      " \n");
}

TEST(SplitSources, DeviceSourceDropsRejectedKernels) {
    const std::string src = "__global__ void a(int* p) { p[0] = 1; }\n"
                            "__global__ void b(int* p) {\n  p[0] = 2;\n}\n"
                            "void h() {}\n";
    const std::string device =
        deviceSource(src, outlineCudaSource(src), [](const FunctionDef& f) { return f.name == "a"; });
    EXPECT_EQ(device, "__global__ void a(int* p) { p[0] = 1; }\n"
                      "__global__ void b(int* p) ;\n"
                      "           \n"
                      " \n"
                      "void h() { kf_removed_host_body(); }\n");
}

TEST(SplitSources, DeviceSourceBlanksHostOnlyAnnotations) {
    const std::string src = "__host__ void h(int* p) { p[0] = 1; }\n"
                            "__host__ __device__ int hd() { return 2; }\n";
    EXPECT_EQ(deviceSource(src, outlineCudaSource(src), {}),
              "         void h(int* p) { kf_removed_host_body(); }\n"
              "__host__ __device__ int hd() { return 2; }\n");
}

TEST(SplitSources, ShortBodiesGrowTheirLineOnly) {
    const std::string src = "void h() {} int x;\nint y;\n";
    EXPECT_EQ(deviceSource(src, outlineCudaSource(src), {}),
              "void h() { kf_removed_host_body(); } int x;\nint y;\n");
}

TEST(SplitSources, NestedAndMultiLineLaunches) {
    const std::string src = "void h() {\n"
                            "    ns::k<T>\n"
                            "        <<<g, b>>>(a,\n"
                            "                   b);\n"
                            "}\n";
    EXPECT_EQ(hostSource(src, outlineCudaSource(src)), "void h() {\n"
                                                       "    ::kf_rt::launcher(ns::k<T>\n"
                                                       "        , ::kf_rt::Config(g, b))(a,\n"
                                                       "                   b);\n"
                                                       "}\n");
}

std::size_t lines(std::string_view s) {
    return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// A same-length edited line: every non-blank output character is the input's, or a body replacement
// written where the input has the body's `{`.
void expectSameColumns(std::string_view li, std::string_view lo, const std::string& where) {
    for (std::size_t c = 0; c < li.size(); ++c) {
        bool replaced = false;
        for (const std::string_view r : {"{ kf_removed_host_body(); }", "{}", ";"}) {
            if (li[c] == '{' && lo.substr(c, r.size()) == r) {
                c += r.size() - 1;
                replaced = true;
                break;
            }
        }
        if (!replaced && lo[c] != ' ' && lo[c] != li[c]) {
            ADD_FAILURE() << where << " column " << c + 1 << " moved";
            return;
        }
    }
}

// Every line of the output keeps its text up to the first edit on it: a blanked line is all blanks, an
// untouched line is identical.
void expectSameLayout(std::string_view in, std::string_view out, const std::string& what) {
    ASSERT_EQ(lines(in), lines(out)) << what;
    std::size_t a = 0, b = 0, line = 1, identical = 0;
    while (a <= in.size() && b <= out.size()) {
        const std::size_t ea = std::min(in.find('\n', a), in.size());
        const std::size_t eb = std::min(out.find('\n', b), out.size());
        const std::string_view li = in.substr(a, ea - a), lo = out.substr(b, eb - b);
        if (li == lo)
            ++identical;
        else if (li.size() == lo.size())
            expectSameColumns(li, lo, what + ": line " + std::to_string(line));
        a = ea + 1;
        b = eb + 1;
        ++line;
    }
    EXPECT_GT(identical, 0u) << what;
}

TEST(SplitSources, LineStructureOfGoldAndCorpusFiles) {
    for (const auto& path : test::cudaFiles(false)) {
        const std::string tu = test::translationUnit(test::readFile(path));
        const SourceOutline o = outlineCudaSource(tu);
        expectSameLayout(tu, hostSource(tu, o), "host " + path.filename().string());
        expectSameLayout(tu, deviceSource(tu, o, {}), "device " + path.filename().string());
        expectSameLayout(tu, deviceSource(tu, o, [](const FunctionDef&) { return false; }),
                         "device without kernels " + path.filename().string());
    }
}

} // namespace
} // namespace kf::gpu::cuda_split
