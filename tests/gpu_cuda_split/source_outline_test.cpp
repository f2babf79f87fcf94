// SPDX-License-Identifier: MIT
#include "gpu/cuda_split/source_outline.h"
#include "test_files.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>

namespace kf::gpu::cuda_split {
namespace {

const FunctionDef* find(const SourceOutline& o, std::string_view name) {
    for (const FunctionDef& f : o.functions)
        if (f.name == name)
            return &f;
    return nullptr;
}

std::vector<std::string> names(const SourceOutline& o) {
    std::vector<std::string> out;
    for (const FunctionDef& f : o.functions)
        out.push_back(f.name);
    return out;
}

std::string callee(std::string_view src, const LaunchSite& l) {
    return std::string(src.substr(l.callee_begin, l.open - l.callee_begin));
}

TEST(SourceOutline, ExecutionSpaces) {
    const std::string src = "__global__ void k(int* p) { p[0] = 1; }\n"
                            "__device__ int d() { return 1; }\n"
                            "__host__ __device__ int hd() { return 2; }\n"
                            "__device__ __host__ int dh() { return 2; }\n"
                            "__host__ int h1() { return 3; }\n"
                            "int h2() { return 4; }\n";
    const SourceOutline o = outlineCudaSource(src);
    EXPECT_EQ(o.unsupported, "");
    ASSERT_EQ(names(o), (std::vector<std::string>{"k", "d", "hd", "dh", "h1", "h2"}));
    EXPECT_EQ(o.functions[0].space, ExecSpace::Global);
    EXPECT_EQ(o.functions[1].space, ExecSpace::Device);
    EXPECT_EQ(o.functions[2].space, ExecSpace::HostDevice);
    EXPECT_EQ(o.functions[3].space, ExecSpace::HostDevice);
    EXPECT_EQ(o.functions[4].space, ExecSpace::Host);
    EXPECT_EQ(o.functions[5].space, ExecSpace::Host);
    EXPECT_EQ(o.kernel_names, (std::vector<std::string>{"k"}));
    EXPECT_EQ(o.functions[0].decl_begin, 0u);
    EXPECT_EQ(o.functions[0].body_begin, src.find('{'));
    EXPECT_EQ(o.functions[0].body_end, src.find('}') + 1);
}

TEST(SourceOutline, KeywordMacros) {
    const std::string src = "#define DEV __device__ __forceinline__\n"
                            "#define HD __host__ \\\n  __device__\n"
                            "#define KERNEL(n) __global__ void __launch_bounds__(n)\n"
                            "DEV float a() { return 1; }\n"
                            "HD float b() { return 2; }\n"
                            "KERNEL(256) c(float* x) { x[0] = 0; }\n"
                            "#undef DEV\n"
                            "#define DEV\n"
                            "DEV float e() { return 3; }\n";
    const SourceOutline o = outlineCudaSource(src);
    EXPECT_EQ(o.unsupported, "");
    ASSERT_EQ(names(o), (std::vector<std::string>{"a", "b", "c", "e"}));
    EXPECT_EQ(o.functions[0].space, ExecSpace::Device);
    EXPECT_EQ(o.functions[1].space, ExecSpace::HostDevice);
    EXPECT_EQ(o.functions[2].space, ExecSpace::Global);
    EXPECT_EQ(o.functions[3].space, ExecSpace::Host);
    EXPECT_EQ(o.kernel_names, (std::vector<std::string>{"c"}));
}

TEST(SourceOutline, ScopesAndMembers) {
    const std::string src = "namespace a { namespace {\n"
                            "struct S {\n"
                            "    int a, b;\n"
                            "    __device__ S() : a{1}, b(2) { }\n"
                            "    __host__ __device__ ~S() {}\n"
                            "    __device__ int get() const noexcept { return a; }\n"
                            "    __device__ S& operator+=(const S& o) { a += o.a; return *this; }\n"
                            "    __device__ int operator()(int x) const { return x; }\n"
                            "    bool operator<(const S& o) const { return a < o.a; }\n"
                            "    explicit operator bool() const { return a != 0; }\n"
                            "    struct Inner { __device__ void f() {} };\n"
                            "  public:\n"
                            "    virtual void g() override {}\n"
                            "};\n"
                            "} }\n"
                            "inline namespace v1 { auto t() -> int { return 1; } }\n"
                            "namespace x::y { template <class T> struct B : T { B() : T{} {} }; }\n";
    const SourceOutline o = outlineCudaSource(src);
    EXPECT_EQ(o.unsupported, "");
    EXPECT_EQ(names(o), (std::vector<std::string>{"S", "~S", "get", "operator+=", "operator()", "operator<",
                                                  "operator bool", "f", "g", "t", "B"}));
    EXPECT_EQ(find(o, "S")->space, ExecSpace::Device);
    EXPECT_EQ(find(o, "~S")->space, ExecSpace::HostDevice);
    EXPECT_EQ(find(o, "operator<")->space, ExecSpace::Host);
    EXPECT_EQ(src.substr(find(o, "S")->body_begin, 3), "{ }");
    EXPECT_EQ(src.substr(find(o, "g")->decl_begin, 7), "virtual");
    EXPECT_FALSE(find(o, "t")->deduced_return);
    EXPECT_EQ(src.substr(find(o, "B")->body_begin, 2), "{}");
}

TEST(SourceOutline, DeclarationDecorations) {
    const std::string src =
        "template <int N, class T = int>\n"
        "__global__ void __launch_bounds__(256) k1(T* x) {}\n"
        "template <>\n"
        "__global__ void __launch_bounds__(256, 2) k2<1>(float* x) {}\n"
        "extern \"C\" __global__ void k3() {}\n"
        "extern \"C\" {\n"
        "__global__ void k4() {}\n"
        "void h() {}\n"
        "}\n"
        "[[nodiscard]] __attribute__((noinline)) static int h2(int a = (1 > 2)) { return a; }\n"
        "constexpr int c(int a) { return a + 1; }\n"
        "auto d(int a) { return a; }\n"
        "struct __align__(16) Al { float v[4]; };\n"
        "static __global__ void k1(int* x) {}\n";
    const SourceOutline o = outlineCudaSource(src);
    EXPECT_EQ(o.unsupported, "");
    ASSERT_EQ(names(o), (std::vector<std::string>{"k1", "k2", "k3", "k4", "h", "h2", "c", "d", "k1"}));
    EXPECT_TRUE(o.functions[0].is_template);
    EXPECT_TRUE(o.functions[1].is_template);
    EXPECT_FALSE(o.functions[2].is_template);
    EXPECT_EQ(o.functions[3].space, ExecSpace::Global);
    EXPECT_EQ(o.functions[4].space, ExecSpace::Host);
    EXPECT_TRUE(o.functions[6].is_constexpr);
    EXPECT_TRUE(o.functions[7].deduced_return);
    EXPECT_EQ(src.substr(o.functions[0].decl_begin, 8), "template");
    EXPECT_EQ(o.kernel_names, (std::vector<std::string>{"k1", "k2", "k3", "k4"}));
}

TEST(SourceOutline, InitializersAndLambdasAreNotFunctions) {
    const std::string src = "int table[] = {1, 2, 3};\n"
                            "struct P { int x; } p{1};\n"
                            "constexpr int arr[2]{4, 5};\n"
                            "auto lam = [](int v) { return v; };\n"
                            "enum class E : int { A, B };\n"
                            "typedef struct { int q; } Q;\n"
                            "int f(int v) {\n"
                            "    struct Local { void m() {} };\n"
                            "    auto g = [&] { return v; };\n"
                            "    return g();\n"
                            "}\n";
    const SourceOutline o = outlineCudaSource(src);
    EXPECT_EQ(o.unsupported, "");
    EXPECT_EQ(names(o), (std::vector<std::string>{"f"}));
}

TEST(SourceOutline, LaunchCallees) {
    const std::string src = "namespace ns { template <int A, class T> __global__ void k(T) {} }\n"
                            "__global__ void plain(int) {}\n"
                            "void h(void (*ptr)(int), void (*tab[2])(int)) {\n"
                            "    plain<<<1, 32>>>(0);\n"
                            "    ns::k<1, float><<<dim3(1, 2), 32, 0, 0>>>(1.0f);\n"
                            "    ::plain<<<1, (2 >>> 1)>>>(1);\n"
                            "    ns::template k<(3 > 2), Wrap<Wrap<int>>><<<1, 1>>>(2);\n"
                            "    (ptr)<<<1, 1>>>(3);\n"
                            "    tab[1]<<<1, 1>>>(4);\n"
                            "}\n";
    const SourceOutline o = outlineCudaSource(src);
    EXPECT_EQ(o.unsupported, "");
    ASSERT_EQ(o.launches.size(), 6u);
    EXPECT_EQ(callee(src, o.launches[0]), "plain");
    EXPECT_EQ(callee(src, o.launches[1]), "ns::k<1, float>");
    EXPECT_EQ(callee(src, o.launches[2]), "::plain");
    EXPECT_EQ(callee(src, o.launches[3]), "ns::template k<(3 > 2), Wrap<Wrap<int>>>");
    EXPECT_EQ(callee(src, o.launches[4]), "(ptr)");
    EXPECT_EQ(callee(src, o.launches[5]), "tab[1]");
    EXPECT_EQ(src.substr(o.launches[2].close, 6), ">>>(1)");
}

TEST(SourceOutline, UnsupportedConstructs) {
    const std::map<std::string, std::string> cases = {
        {"int a;\nvoid f() { cudaMemcpyToSymbol(x, y, 4); }", "line 2: uses cudaMemcpyToSymbol"},
        {"\n\n__managed__ int m;", "line 3: uses __managed__"},
        {"__constant__ float c[4];", "line 1: a __constant__ variable at namespace scope"},
        {"namespace {\n__device__ int counter = 0;\n}", "line 2: a __device__ variable at namespace scope"},
        {"#define DEVVAR __device__\nDEVVAR int v[2] = {1, 2};",
         "line 2: a __device__ variable at namespace scope"},
        {"#include <thrust/sort.h>",
         "line 1: #include <thrust/sort.h>, a header the fast path does not support"},
        {"#include \"mine.h\"", "line 1: #include \"mine.h\" of a local file"},
        {"void f() {\n  (1 + 2)<<<1, 1>>>();\n  3<<<1, 1>>>();\n}",
         "line 3: a <<< launch whose kernel expression cannot be delimited"},
        {"void f() {\n  if (x) {\n}", "line 1: '{' never closed"},
        {"void f() { g(); ) }", "line 1: unbalanced ')'"},
        {"__global__ void k() {}\n__device__ void d() { k<<<1, 1>>>(); }",
         "line 2: a <<<...>>> launch in device code (dynamic parallelism)"},
        {"#define GO k<<<1, 1>>>()\nvoid f() { GO; }", "line 2: the macro GO hides a <<<...>>> launch"},
        {"const char* s = \"open\n;", "line 1: an unterminated literal"},
        {"#define DEFINE_K(n) __global__ void n(float* x)\nDEFINE_K(foo) { x[0] = 0; }",
         "line 2: cannot tell what the macro DEFINE_K declares"},
        {"#line 40 \"kernel.cu\"\nint x;\n__constant__ int c;",
         "line 41: a __constant__ variable at namespace scope"},
    };
    for (const auto& [src, why] : cases)
        EXPECT_EQ(outlineCudaSource(src).unsupported, why) << src;
}

TEST(SourceOutline, SupportedHeadersAndDeclarations) {
    const std::string src = "#include <cuda/std/cstdint>\n#include <cub/cub.cuh>\n#include <cuda/barrier>\n"
                            "#include <cooperative_groups/reduce.h>\n#include <vector>\n"
                            "#pragma unroll\n"
                            "__device__ float f(float);\n"
                            "extern __shared__ float smem[];\n"
                            "template __global__ void k<1>(int);\n";
    EXPECT_EQ(outlineCudaSource(src).unsupported, "");
}

TEST(SourceOutline, SoftmaxGold) {
    const std::string src = test::translationUnit(
        test::readFile(std::string(KF_SOURCE_DIR) + "/resources/specs/softmax-rows-f32.gold.cu"));
    const SourceOutline o = outlineCudaSource(src);
    EXPECT_EQ(o.unsupported, "");
    EXPECT_EQ(o.kernel_names, (std::vector<std::string>{"softmax_small_rows", "softmax_block_rows",
                                                        "softmax_split_stats", "softmax_split_write"}));
    std::vector<std::string> callees;
    for (const LaunchSite& l : o.launches) {
        std::string c = callee(src, l);
        c.erase(c.find_last_not_of(" \n") + 1);
        callees.push_back(c);
    }
    EXPECT_EQ(callees,
              (std::vector<std::string>{"softmax_small_rows<G, VPT, VEC>", "softmax_block_rows<4, VEC>",
                                        "softmax_block_rows<8, VEC>", "softmax_split_stats<VEC>",
                                        "softmax_split_write<VEC>", "softmax_split_write<VEC>"}));
    ASSERT_NE(find(o, "kf_launch"), nullptr);
    EXPECT_EQ(find(o, "kf_launch")->space, ExecSpace::Host);
    EXPECT_EQ(find(o, "min64")->space, ExecSpace::HostDevice);
    EXPECT_EQ(find(o, "merge")->space, ExecSpace::Device);
    EXPECT_EQ(find(o, "launch_small")->space, ExecSpace::Host);
    EXPECT_TRUE(find(o, "launch_all")->is_template);
    EXPECT_EQ(find(o, "kf_call_candidate")->space, ExecSpace::Host);
    for (const LaunchSite& l : o.launches) {
        const auto in = [&](std::string_view fn) {
            const FunctionDef* f = find(o, fn);
            return f->body_begin < l.open && l.open < f->body_end;
        };
        EXPECT_TRUE(in("launch_small") || in("launch_all"));
    }
}

// Which gold and corpus files the fast path refuses, and why: each for a construct it really uses.
TEST(SourceOutline, GoldAndCorpusFiles) {
    const std::map<std::string, std::string> expected = {
        {"endless_loop.cu", "line 14: a __device__ variable at namespace scope"},
    };
    for (const auto& path : test::cudaFiles(false)) {
        const SourceOutline o = outlineCudaSource(test::translationUnit(test::readFile(path)));
        const auto it = expected.find(path.filename().string());
        EXPECT_EQ(o.unsupported, it == expected.end() ? "" : it->second) << path;
        EXPECT_FALSE(o.kernel_names.empty()) << path;
        EXPECT_FALSE(o.launches.empty()) << path;
        for (const FunctionDef& f : o.functions)
            EXPECT_LT(f.decl_begin, f.body_begin) << path << " " << f.name;
    }
}

} // namespace
} // namespace kf::gpu::cuda_split
