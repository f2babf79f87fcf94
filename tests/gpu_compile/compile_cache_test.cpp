// SPDX-License-Identifier: MIT
#include "gpu/compile/compile_cache.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

std::string readAll(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

class CompileCacheTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_root = fs::temp_directory_path() / ("kf-compile-cache-" + std::to_string(::getpid()));
        fs::remove_all(m_root);
        fs::create_directories(m_root / "work");
        std::ofstream(m_root / "work" / "candidate.so", std::ios::binary) << std::string("\x7f"
                                                                                         "ELF library bytes",
                                                                                         21);
    }
    void TearDown() override { fs::remove_all(m_root); }

    CompileResult okResult() const {
        CompileResult r;
        r.ok = true;
        r.seconds = 1.5;
        r.diagnostics = {{"k.cu", 10, 9, "warning", "variable \"unused\" was declared but never referenced"}};
        r.log = "k.cu(10): warning #177-D: ...\nptxas info    : Used 9 registers\n";
        r.kernels = {{"k", "k(float const*, float*, long)", "_Z1kPKfPfl", 9, 0, 0, -1, 0, 0, 0}};
        r.so_path = (m_root / "work" / "candidate.so").string();
        r.command = "nvcc -O3 -o kernel.so kernel.cu";
        return r;
    }

    fs::path m_root;
    const CacheKey m_key = compileCacheKey("__global__ void k() {}\n", {"nvcc", "-O3"}, "13.0.88", "sm_90a");
};

TEST_F(CompileCacheTest, KeyDependsOnEverythingThatChangesTheOutput) {
    EXPECT_EQ(m_key.hash.size(), 64u);
    EXPECT_EQ(compileCacheKey("__global__ void k() {}\n", {"nvcc", "-O3"}, "13.0.88", "sm_90a").hash,
              m_key.hash);
    EXPECT_NE(compileCacheKey("__global__ void k() { }\n", {"nvcc", "-O3"}, "13.0.88", "sm_90a").hash,
              m_key.hash);
    EXPECT_NE(compileCacheKey("__global__ void k() {}\n", {"nvcc", "-O2"}, "13.0.88", "sm_90a").hash,
              m_key.hash);
    EXPECT_NE(compileCacheKey("__global__ void k() {}\n", {"nvcc", "-O3"}, "13.0.48", "sm_90a").hash,
              m_key.hash);
    EXPECT_NE(compileCacheKey("__global__ void k() {}\n", {"nvcc", "-O3"}, "13.0.88", "sm_80").hash,
              m_key.hash);
}

TEST_F(CompileCacheTest, StoredSuccessComesBackWithTheCachedLibrary) {
    const CompileCache cache((m_root / "cache").string());
    ASSERT_TRUE(cache.enabled());
    EXPECT_FALSE(cache.lookup(m_key).has_value());
    const auto stored = okResult();
    ASSERT_EQ(cache.store(m_key, stored), "");
    const auto hit = cache.lookup(m_key);
    ASSERT_TRUE(hit.has_value());
    EXPECT_TRUE(hit->ok);
    EXPECT_TRUE(hit->cached);
    EXPECT_EQ(hit->diagnostics, stored.diagnostics);
    EXPECT_EQ(hit->kernels, stored.kernels);
    EXPECT_EQ(hit->log, stored.log);
    EXPECT_EQ(hit->command, stored.command);
    EXPECT_EQ(hit->so_path, (m_root / "cache" / (m_key.hash + ".so")).string());
    EXPECT_EQ(readAll(hit->so_path), readAll(stored.so_path));
    EXPECT_FALSE(cache.lookup(compileCacheKey("other", {"nvcc"}, "13.0.88", "sm_90a")).has_value());
    // Nothing but the two entries: no temporary files left behind.
    EXPECT_EQ(std::distance(fs::directory_iterator(m_root / "cache"), fs::directory_iterator()), 2);
}

TEST_F(CompileCacheTest, FailedCompilesAreCachedWithoutALibrary) {
    const CompileCache cache((m_root / "cache").string());
    CompileResult failed;
    failed.diagnostics = {{"k.cu", 3, 23, "error", "identifier \"foo\" is undefined"}};
    failed.log = "k.cu(3): error: identifier \"foo\" is undefined\n";
    ASSERT_EQ(cache.store(m_key, failed), "");
    const auto hit = cache.lookup(m_key);
    ASSERT_TRUE(hit.has_value());
    EXPECT_FALSE(hit->ok);
    EXPECT_EQ(hit->so_path, "");
    EXPECT_EQ(hit->diagnostics, failed.diagnostics);
    EXPECT_FALSE(fs::exists(m_root / "cache" / (m_key.hash + ".so")));
}

TEST_F(CompileCacheTest, AnEntryWhoseKeyMaterialDiffersIsAMiss) {
    const CompileCache cache((m_root / "cache").string());
    const auto other = compileCacheKey("other source", {"nvcc"}, "13.0.88", "sm_90a");
    ASSERT_EQ(cache.store(other, okResult()), "");
    // As if two keys collided: the entry under m_key's name holds another compile.
    fs::rename(m_root / "cache" / (other.hash + ".json"), m_root / "cache" / (m_key.hash + ".json"));
    fs::rename(m_root / "cache" / (other.hash + ".so"), m_root / "cache" / (m_key.hash + ".so"));
    EXPECT_FALSE(cache.lookup(m_key).has_value());
}

TEST_F(CompileCacheTest, ATamperedOrMissingLibraryOrCorruptJsonIsAMiss) {
    const CompileCache cache((m_root / "cache").string());
    ASSERT_EQ(cache.store(m_key, okResult()), "");
    const auto so = m_root / "cache" / (m_key.hash + ".so");
    std::ofstream(so, std::ios::binary) << std::string("\x7f"
                                                       "ELF library bytez",
                                                       21); // same size
    EXPECT_FALSE(cache.lookup(m_key).has_value());
    fs::remove(so);
    EXPECT_FALSE(cache.lookup(m_key).has_value());
    ASSERT_EQ(cache.store(m_key, okResult()), ""); // a new store repairs it
    EXPECT_TRUE(cache.lookup(m_key).has_value());
    std::ofstream(m_root / "cache" / (m_key.hash + ".json"))
        << "{\"format\": \"kernelforge.compile-cache/1\", ";
    EXPECT_FALSE(cache.lookup(m_key).has_value());
}

TEST_F(CompileCacheTest, AnUnusableDirectoryTurnsTheCacheOffWithANote) {
    std::ofstream(m_root / "a-file") << "x";
    const CompileCache cache((m_root / "a-file" / "cache").string());
    EXPECT_FALSE(cache.enabled());
    EXPECT_NE(cache.note().find("compile cache off: cannot create"), std::string::npos) << cache.note();
    EXPECT_FALSE(cache.lookup(m_key).has_value());
    EXPECT_NE(cache.store(m_key, okResult()), "");

    const CompileCache none("");
    EXPECT_FALSE(none.enabled());
    EXPECT_EQ(none.note(), ""); // asked for no cache: nothing to say
}

TEST_F(CompileCacheTest, ReadOnlyDirectoryTurnsTheCacheOff) {
    if (::geteuid() == 0) {
        GTEST_SKIP() << "root writes to read-only directories";
    }
    fs::create_directories(m_root / "ro");
    fs::permissions(m_root / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    const CompileCache cache((m_root / "ro").string());
    fs::permissions(m_root / "ro", fs::perms::owner_all);
    EXPECT_FALSE(cache.enabled());
    EXPECT_NE(cache.note().find("cannot write"), std::string::npos) << cache.note();
}

TEST_F(CompileCacheTest, ConcurrentWritersAndReadersNeverSeeAPartialEntry) {
    const std::string dir = (m_root / "cache").string();
    const auto stored = okResult();
    std::atomic<int> bad{0};
    std::atomic<int> hits{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            const CompileCache cache(dir);
            for (int i = 0; i < 50; ++i) {
                if (!cache.store(m_key, stored).empty()) {
                    ++bad;
                }
                const auto hit = cache.lookup(m_key);
                if (!hit || hit->kernels != stored.kernels ||
                    readAll(hit->so_path) != readAll(stored.so_path)) {
                    ++bad;
                } else {
                    ++hits;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(bad.load(), 0);
    EXPECT_EQ(hits.load(), 200);
}

TEST(CompileCacheDir, XdgCacheHomeThenHome) {
    const auto env = [](std::map<std::string, std::string> vars) {
        return [vars](const std::string& name) -> std::optional<std::string> {
            const auto it = vars.find(name);
            return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
        };
    };
    EXPECT_EQ(defaultCompileCacheDir(env({{"XDG_CACHE_HOME", "/x"}, {"HOME", "/h"}})),
              "/x/kernelforge/compile");
    EXPECT_EQ(defaultCompileCacheDir(env({{"HOME", "/h"}})), "/h/.cache/kernelforge/compile");
    EXPECT_EQ(defaultCompileCacheDir(env({})), "");
}

} // namespace
} // namespace kf::gpu::compile
