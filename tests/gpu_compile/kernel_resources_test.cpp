// SPDX-License-Identifier: MIT
#include "fixtures.h"
#include "gpu/compile/kernel_resources.h"

#include <gtest/gtest.h>

namespace kf::gpu::compile {
namespace {

using test::readFixture;

TEST(KernelResources, EntryFunctionsOnlyWithSpillsAndStack) {
    const auto k = parseKernelResources(readFixture("register_spills.log"));
    ASSERT_EQ(k.size(), 2u); // helper() is a device function: its properties are listed, it is no kernel
    EXPECT_EQ(k[0].name, "heavy<48>");
    EXPECT_EQ(k[0].signature, "void heavy<48>(float const*, float*, int)");
    EXPECT_EQ(k[0].mangled, "_Z5heavyILi48EEvPKfPfi");
    EXPECT_EQ(k[0].registers, 32);
    EXPECT_EQ(k[0].barriers, 0);
    EXPECT_EQ(k[0].stack, 5616);
    EXPECT_EQ(k[0].spill_stores, 6940);
    EXPECT_EQ(k[0].spill_loads, 8128);
    EXPECT_EQ(k[0].smem_static, 0);
    EXPECT_EQ(k[0].cmem, -1);               // ptxas 13 prints no cmem for sm_90a
    EXPECT_EQ(k[1].name, "plain_c_kernel"); // extern "C": not mangled
    EXPECT_EQ(k[1].mangled, "plain_c_kernel");
    EXPECT_EQ(k[1].registers, 8);
    EXPECT_EQ(k[1].spill_stores, 0);
}

TEST(KernelResources, SharedMemoryAndBarriers) {
    const auto k = parseKernelResources(readFixture("shared_memory_overflow.log"));
    ASSERT_EQ(k.size(), 1u);
    EXPECT_EQ(k[0].name, "big");
    EXPECT_EQ(k[0].signature, "big(float const*, float*, long)");
    EXPECT_EQ(k[0].registers, 10);
    EXPECT_EQ(k[0].barriers, 1);
    EXPECT_EQ(k[0].smem_static, 280000);
}

TEST(KernelResources, ConstantMemoryWhereReported) {
    const auto k = parseKernelResources(readFixture("unused_variable.sm_80.log"));
    ASSERT_EQ(k.size(), 1u);
    EXPECT_EQ(k[0].registers, 9);
    EXPECT_EQ(k[0].cmem, 376);
}

TEST(KernelResources, EveryKernelOfTheSoftmaxGoldInAnonymousNamespace) {
    const auto log = readFixture("softmax_gold.log");
    const auto k = parseKernelResources(log);
    std::size_t entries = 0;
    for (std::size_t at = log.find("Compiling entry function"); at != std::string::npos;
         at = log.find("Compiling entry function", at + 1)) {
        ++entries;
    }
    ASSERT_EQ(k.size(), entries);
    ASSERT_GT(entries, 10u);
    const auto it = std::find_if(k.begin(), k.end(), [](const KernelResources& r) {
        return r.name == "(anonymous namespace)::softmax_block_rows<8, true>";
    });
    ASSERT_NE(it, k.end());
    EXPECT_EQ(it->registers, 64);
    EXPECT_EQ(it->barriers, 1);
    EXPECT_EQ(it->smem_static, 264);
    for (const auto& r : k) {
        EXPECT_GT(r.registers, 0) << r.name;
        EXPECT_EQ(r.name.find('('), r.name.starts_with("(anonymous namespace)") ? 0u : std::string::npos)
            << r.name;
    }
}

TEST(KernelResources, NoneWithoutVerboseOutput) {
    EXPECT_TRUE(parseKernelResources(readFixture("undefined_identifier.log")).empty());
}

TEST(KernelResources, JsonRoundTripWritesNullForUnknownCmem) {
    const auto k = parseKernelResources(readFixture("register_spills.log"));
    ASSERT_FALSE(k.empty());
    const auto j = kernelResourcesToJson(k[0]);
    EXPECT_TRUE(j.at("cmem").is_null());
    EXPECT_EQ(j.at("name"), "heavy<48>");
    EXPECT_EQ(j.at("smem_static"), 0);
    EXPECT_EQ(kernelResourcesFromJson(j), k[0]);
}

} // namespace
} // namespace kf::gpu::compile
