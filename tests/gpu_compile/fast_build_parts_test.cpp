// SPDX-License-Identifier: MIT
// The fast build's pieces that need no CUDA toolkit: the ELF symbol reader (on an object g++ builds here),
// the kernel instances found among a host object's functions, and the assembly that embeds the CUBINs.
#include "gpu/compile/elf_symbols.h"
#include "gpu/compile/fast_host_runtime.h"
#include "gpu/compile/kernel_instances.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

class WithTempDir : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("kf-fast-parts-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
    }
    void TearDown() override { fs::remove_all(m_dir); }
    // Runs `g++ ARGS` in the temp dir; false when it failed.
    bool gxx(const std::string& args) const {
        return std::system(("cd '" + m_dir.string() + "' && g++ " + args + " 2> g++.log").c_str()) == 0;
    }
    std::string log() const {
        std::ifstream in(m_dir / "g++.log");
        return std::string(std::istreambuf_iterator<char>(in), {});
    }
    fs::path m_dir;
};

TEST_F(WithTempDir, ElfReaderListsDefinedFunctionsWithTheirBinding) {
    std::ofstream(m_dir / "a.cpp") << "namespace { template <int N> void k(float*) {} }\n"
                                      "static void s() {}\n"
                                      "void g(int) {}\n"
                                      "extern void undefined_here();\n"
                                      "void (*use[])(float*) = {k<1>, k<2>};\n"
                                      "void call() { s(); undefined_here(); }\n";
    ASSERT_TRUE(gxx("-O0 -fPIC -c a.cpp -o a.o")) << log();
    const auto fns = readElfFunctions((m_dir / "a.o").string());
    const auto find = [&fns](const std::string& name) {
        for (const auto& f : fns) {
            if (f.name == name) {
                return &f;
            }
        }
        return static_cast<const ElfFunction*>(nullptr);
    };
    ASSERT_NE(find("_Z1gi"), nullptr);
    EXPECT_FALSE(find("_Z1gi")->local);
    ASSERT_NE(find("_ZN12_GLOBAL__N_11kILi1EEEvPf"), nullptr);
    EXPECT_TRUE(find("_ZN12_GLOBAL__N_11kILi1EEEvPf")->local);
    EXPECT_NE(find("_ZN12_GLOBAL__N_11kILi2EEEvPf"), nullptr);
    EXPECT_EQ(find("_Z14undefined_herev"), nullptr); // referenced, not defined
}

TEST_F(WithTempDir, ElfReaderRejectsWhatIsNotElf) {
    std::ofstream(m_dir / "x.o") << "not an object file at all, but long enough to hold an ELF header.......";
    EXPECT_THROW(readElfFunctions((m_dir / "x.o").string()), std::runtime_error);
    EXPECT_THROW(readElfFunctions((m_dir / "missing.o").string()), std::runtime_error);
    std::ofstream(m_dir / "short.o") << "\x7f"
                                        "ELF";
    EXPECT_THROW(readElfFunctions((m_dir / "short.o").string()), std::runtime_error);
}

TEST(KernelInstances, StubsOfKernelsBecomeNameExpressions) {
    const std::vector<ElfFunction> fns = {
        {"_ZN12_GLOBAL__N_118softmax_small_rowsILi32ELi8ELb1EEEvPKfPfli", true},
        {"_ZN12_GLOBAL__N_112launch_smallILi1ELi1ELb1EEEvPKfPfllP11CUstream_st", true}, // a host template
        {"_Z6plainsPfl", false},
        {"kf_extern_c_kernel", false},
        {"_ZN2ns5tiledIfLi16EEEvPKT_PS1_i", false},
        {"_Z6plainsPfl", false}, // listed twice: once in the result
    };
    const auto got = kernelInstances(fns, {"softmax_small_rows", "plains", "kf_extern_c_kernel", "tiled"});
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(got[0].name_expression, "softmax_small_rows<32, 8, true>");
    EXPECT_EQ(got[0].base_name, "softmax_small_rows");
    EXPECT_TRUE(got[0].stub_local);
    EXPECT_EQ(got[1].name_expression, "plains");
    EXPECT_EQ(got[2].name_expression, "kf_extern_c_kernel");
    EXPECT_EQ(got[3].name_expression, "ns::tiled<float, 16>");
    EXPECT_EQ(got[3].stub_symbol, "_ZN2ns5tiledIfLi16EEEvPKT_PS1_i");
}

TEST(KernelInstances, UnqualifiedNameDropsScopesAndTemplateArguments) {
    EXPECT_EQ(unqualifiedName("(anonymous namespace)::ns::k<1, ((anonymous namespace)::Mode)2>"), "k");
    EXPECT_EQ(unqualifiedName("k"), "k");
    EXPECT_EQ(unqualifiedName("a::b<c<int>>"), "b");
}

TEST_F(WithTempDir, BlobAssemblesAndNamesEveryStub) {
    std::ofstream(m_dir / "one.cubin") << std::string(100, '\1');
    std::ofstream(m_dir / "two.cubin") << std::string(7, '\2');
    std::ofstream(m_dir / "stubs.cpp") << "extern \"C\" void stub_a() {}\nextern \"C\" void stub_b() {}\n";
    const auto s = fastBlobAssembly({(m_dir / "one.cubin").string(), (m_dir / "two.cubin").string()},
                                    {{"stub_a", "_Z1aPf", 0}, {"stub_b", "_Z1bPf", 1}});
    std::ofstream(m_dir / "blob.s") << s;
    // The table is read back through the symbols the runtime declares.
    std::ofstream(m_dir / "main.cpp")
        << "#include <cstdio>\n#include <cstring>\n"
           "extern \"C\" { struct E { const void* stub; const char* lowered; unsigned long cubin; };\n"
           "struct I { const void* data; unsigned long size; };\n"
           "extern const E kf_rt_entries[]; extern const unsigned long kf_rt_entry_count;\n"
           "extern const I kf_rt_images[]; extern const unsigned long kf_rt_image_count;\n"
           "void stub_a(); void stub_b(); }\n"
           "int main() {\n"
           "  if (kf_rt_image_count != 2 || kf_rt_images[0].size != 100 || kf_rt_images[1].size != 7) return "
           "1;\n"
           "  if (static_cast<const unsigned char*>(kf_rt_images[1].data)[6] != 2) return 2;\n"
           "  if (kf_rt_entry_count != 2 || kf_rt_entries[1].stub != (const void*)&stub_b) return 3;\n"
           "  if (std::strcmp(kf_rt_entries[0].lowered, \"_Z1aPf\") != 0 || kf_rt_entries[1].cubin != 1) "
           "return 4;\n"
           "  return 0; }\n";
    ASSERT_TRUE(gxx("-fPIE main.cpp stubs.cpp blob.s -o table")) << log() << "\n" << s;
    EXPECT_EQ(std::system(("'" + (m_dir / "table").string() + "'").c_str()), 0);
}

} // namespace
} // namespace kf::gpu::compile
