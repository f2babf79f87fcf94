// SPDX-License-Identifier: MIT
#include "roofline/ceilings_store.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <thread>
#include <unistd.h>

namespace fs = std::filesystem;

namespace {

nlohmann::json ceilings(const std::string& uuid, double dram) {
    return {
        {"event", "ceilings"}, {"device", {{"name", "NVIDIA H200"}, {"uuid", uuid}}}, {"dram_gbps", dram}};
}

class CeilingsStoreTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("kf-ceilings-" + std::to_string(::getpid()));
    }
    void TearDown() override { fs::remove_all(dir_); }
    fs::path dir_;
};

} // namespace

TEST_F(CeilingsStoreTest, SavesPerDeviceAndReadsBack) {
    const kf::roofline::CeilingsStore store((dir_ / "nested").string());
    EXPECT_TRUE(store.all().empty()); // no directory yet: nothing, no error
    ASSERT_EQ(store.save(ceilings("GPU-aaaa", 4200.0)), "");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));   // distinct modification times
    ASSERT_EQ(store.save(ceilings("GPU-bbbb/../x", 3000.0)), ""); // odd characters stay inside the directory
    const auto a = store.forDevice("GPU-aaaa");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ((*a)["dram_gbps"], 4200.0);
    EXPECT_FALSE(store.forDevice("GPU-none").has_value());
    const auto all = store.all();
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all.front()["dram_gbps"], 3000.0); // the newest first
    for (const auto& entry : fs::directory_iterator(dir_ / "nested")) {
        EXPECT_EQ(entry.path().parent_path(), dir_ / "nested");
    }
    // A new calibration of the same device replaces its profile.
    ASSERT_EQ(store.save(ceilings("GPU-aaaa", 4300.0)), "");
    EXPECT_EQ((*store.forDevice("GPU-aaaa"))["dram_gbps"], 4300.0);
    EXPECT_EQ(store.all().size(), 2u);
}

TEST_F(CeilingsStoreTest, RefusesCeilingsWithoutADevice) {
    const kf::roofline::CeilingsStore store(dir_.string());
    EXPECT_NE(store.save({{"dram_gbps", 1.0}}).find("no device UUID"), std::string::npos);
}

TEST_F(CeilingsStoreTest, SkipsFilesThatAreNotProfiles) {
    fs::create_directories(dir_);
    { std::ofstream(dir_ / "broken.json") << "{not json"; }
    const kf::roofline::CeilingsStore store(dir_.string());
    ASSERT_EQ(store.save(ceilings("GPU-cccc", 1.0)), "");
    EXPECT_EQ(store.all().size(), 1u);
}
