// SPDX-License-Identifier: MIT
#include "proc/find_program.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kf::proc {
namespace {

namespace fs = std::filesystem;

TEST(FindProgram, WalksTheSearchPathAndSkipsWhatCannotRun) {
    const fs::path dir = fs::temp_directory_path() / ("kf-find-program-" + std::to_string(::getpid()));
    fs::create_directories(dir / "a");
    fs::create_directories(dir / "b");
    std::ofstream(dir / "a" / "tool") << "#!/bin/sh\n"; // not executable
    std::ofstream(dir / "b" / "tool") << "#!/bin/sh\n";
    ::chmod((dir / "b" / "tool").c_str(), 0755);
    const std::string path = (dir / "a").string() + ":" + (dir / "b").string();
    EXPECT_EQ(findProgram("tool", path), (dir / "b" / "tool").string());
    EXPECT_EQ(findProgram("missing", path), "");
    EXPECT_EQ(findProgram((dir / "b" / "tool").string(), ""), (dir / "b" / "tool").string());
    EXPECT_EQ(findProgram((dir / "a" / "tool").string(), path), "");
    EXPECT_EQ(findProgram("", path), "");
    EXPECT_FALSE(findProgram("sh").empty()); // from $PATH
    fs::remove_all(dir);
}

} // namespace
} // namespace kf::proc
