// SPDX-License-Identifier: MIT
// Compiles every example's reference, baseline and gold kernel with nvcc exactly as the harness will:
// prelude, the role's extern "C" declaration, then the source. No GPU needed.
#include "example_specs.h"
#include "spec/launcher.h"
#include "spec/spec_loader.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <unistd.h>

namespace {

using namespace kf::spec;

struct KernelCase {
    std::filesystem::path spec;
    Role role;
};

void PrintTo(const KernelCase& c, std::ostream* os) {
    *os << specStem(c.spec) << ":" << roleSymbol(c.role);
}

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<KernelCase> allKernels() {
    std::vector<KernelCase> out;
    for (const auto& p : exampleSpecs()) {
        out.push_back({p, Role::Reference});
        out.push_back({p, Role::Candidate});
        const auto loaded = loadSpecFile(p.string());
        if (loaded.ok && !loaded.spec.baseline.is_reference) {
            out.push_back({p, Role::Baseline});
        }
    }
    return out;
}

class ExampleKernel : public ::testing::TestWithParam<KernelCase> {};

TEST_P(ExampleKernel, CompilesForSm90aBehindTheLauncherDeclaration) {
    const std::string nvcc = KF_NVCC;
    if (nvcc.empty() || nvcc.ends_with("NOTFOUND")) {
        GTEST_SKIP()
            << "nvcc not found at configure time: install the CUDA toolkit to compile the example kernels";
    }
    const auto& c = GetParam();
    const auto loaded = loadSpecFile(c.spec.string());
    ASSERT_TRUE(loaded.ok);
    const auto stem = specStem(c.spec);
    std::string source;
    std::string name;
    switch (c.role) {
    case Role::Reference:
        source = loaded.spec.reference;
        name = stem + ".kspec.yaml:reference";
        break;
    case Role::Baseline:
        source = loaded.spec.baseline.source;
        name = stem + ".kspec.yaml:baseline";
        break;
    case Role::Candidate:
        source = readFile(c.spec.parent_path() / (stem + ".gold.cu"));
        name = stem + ".gold.cu";
        break;
    }
    ASSERT_FALSE(source.empty());
    const auto dir =
        std::filesystem::temp_directory_path() /
        ("kf-compile-" + std::to_string(::getpid()) + "-" + stem + "-" + std::string(roleSymbol(c.role)));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "tu.cu") << translationUnit(loaded.spec, c.role, source, name);
    const std::string cmd =
        "timeout 300 " + nvcc +
        " -O3 -std=c++17 -gencode=arch=compute_90a,code=sm_90a -lineinfo -Xptxas=--verbose"
        " -c " +
        (dir / "tu.cu").string() + " -o " + (dir / "tu.o").string() + " > " + (dir / "log.txt").string() +
        " 2>&1";
    const int status = std::system(cmd.c_str());
    const auto log = readFile(dir / "log.txt");
    EXPECT_EQ(status, 0) << cmd << "\n" << log;
    EXPECT_EQ(log.find("error"), std::string::npos) << log;
    std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Library, ExampleKernel, ::testing::ValuesIn(allKernels()),
                         [](const ::testing::TestParamInfo<KernelCase>& p) {
                             return testName(specStem(p.param.spec) + "_" +
                                             std::string(roleSymbol(p.param.role)));
                         });

} // namespace
