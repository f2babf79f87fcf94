// SPDX-License-Identifier: MIT
// `kforge dataset ...` end to end: a store seeded through the API, reviewed and exported through the binary.
#include "dataset/store.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using namespace kf::dataset;

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct CliRun {
    int status = -1;
    std::string out;
    std::string err;
};

class DatasetCli : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("kf-dataset-cli-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        m_db = (m_dir / "kf.db").string();
        auto store = Store::open(m_db);
        const std::string spec_json = R"({"format":"kernelforge.spec/1","id":"softmax-rows-f32"})";
        SpecRecord spec{sha256Hex(spec_json), "softmax-rows-f32", spec_json, "softmax"};
        store.putSpec(spec);
        for (int i = 0; i < 3; ++i) {
            AttemptRecord a;
            a.spec_hash = spec.hash;
            a.provider = "anthropic";
            a.model = "claude-test-" + std::to_string(i);
            a.settings_json = R"({"effort":"high"})";
            a.conversation_json =
                nlohmann::json{{"format", "kernelforge.conversation/1"},
                               {"turns",
                                {{{"role", "user"},
                                  {"blocks",
                                   {{{"kind", "text"},
                                     {"text", "Write a kernel."},
                                     {"signature", ""},
                                     {"data", ""},
                                     {"raw", ""}}}}},
                                 {{"role", "assistant"},
                                  {"status", "complete"},
                                  {"blocks",
                                   {{{"kind", "thinking"},
                                     {"text", "online softmax keeps one pass " + std::to_string(i)},
                                     {"signature", "sig"},
                                     {"data", ""},
                                     {"raw", ""}},
                                    {{"kind", "text"},
                                     {"text", "```cuda\nextern \"C\" void kf_launch() {}\n```"},
                                     {"signature", ""},
                                     {"data", ""},
                                     {"raw", ""}}}}}}}}
                    .dump();
            a.prompt_template = "kernel-task/1";
            a.status = "complete";
            a.created_at = "2026-11-22T00:0" + std::to_string(i) + ":00Z";
            const auto id = store.addAttempt(a);
            KernelRecord k;
            k.attempt_id = id;
            k.spec_hash = spec.hash;
            k.source = "extern \"C\" void kf_launch() { /* " + std::to_string(i) + " */ }\n";
            k.origin = "teacher";
            k.created_at = a.created_at;
            store.addKernel(k);
        }
    }
    void TearDown() override { fs::remove_all(m_dir); }

    CliRun kforge(const std::string& args) const {
        const auto out = m_dir / "out.txt";
        const auto err = m_dir / "err.txt";
        const std::string cmd = std::string(KF_KFORGE) + " dataset --db " + m_db + " " + args + " > " +
                                out.string() + " 2> " + err.string();
        const int raw = std::system(cmd.c_str());
        return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, readFile(out), readFile(err)};
    }

    fs::path m_dir;
    std::string m_db;
};

TEST_F(DatasetCli, ListShowAndReview) {
    auto r = kforge("list");
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.out.find("3 of 3 attempts"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("anthropic/claude-test-2"), std::string::npos) << r.out;

    r = kforge("accept 2 --rating 5 --notes 'one pass, vectorised' --reviewer ana");
    ASSERT_EQ(r.status, 0) << r.err;
    r = kforge("reject 3 --notes 'unwritten tail'");
    ASSERT_EQ(r.status, 0) << r.err;
    r = kforge("list --status accepted");
    EXPECT_NE(r.out.find("1 of 1 attempts"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("accepted"), std::string::npos);

    r = kforge("show 2");
    ASSERT_EQ(r.status, 0) << r.err;
    // The seeded kernels differ only in a comment: each is a near duplicate of the others.
    EXPECT_NE(
        r.out.find("near duplicates of kernel 2: kernel 1 (attempt 1, 100%), kernel 3 (attempt 3, 100%)"),
        std::string::npos)
        << r.out;
    EXPECT_NE(r.out.find("online softmax keeps one pass 1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("accepted rated 5 by ana"), std::string::npos) << r.out;

    r = kforge("stats");
    EXPECT_NE(r.out.find("1 accepted, 1 rejected, 0 needs work, 1 unreviewed"), std::string::npos) << r.out;

    r = kforge("list --search softmax");
    EXPECT_NE(r.out.find("3 of 3 attempts"), std::string::npos) << r.out << r.err;
}

TEST_F(DatasetCli, ClearErrors) {
    auto r = kforge("show 99");
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("no attempt 99"), std::string::npos) << r.err;
    r = kforge("accept 1 --rating 9");
    EXPECT_NE(r.status, 0);
    r = kforge("list --status maybe");
    EXPECT_NE(r.status, 0);
}

TEST_F(DatasetCli, ExportThenImportIntoAnEmptyStore) {
    ASSERT_EQ(kforge("accept 1 --rating 4").status, 0);
    ASSERT_EQ(kforge("accept 2 --rating 5").status, 0);
    const auto out = m_dir / "export";
    auto r = kforge("export --out " + out.string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(fs::exists(out / "README.md"));
    EXPECT_TRUE(fs::exists(out / "MANIFEST.sha256"));
    std::vector<std::string> full;
    for (const auto& e : fs::recursive_directory_iterator(out / "data" / "full")) {
        full.push_back(e.path().string());
    }
    ASSERT_FALSE(full.empty());
    const auto other = (m_dir / "other.db").string();
    std::string files;
    for (const auto& f : full) {
        files += " " + f;
    }
    const int raw = std::system((std::string(KF_KFORGE) + " dataset --db " + other + " import" + files +
                                 " > " + (m_dir / "imp.txt").string() + " 2>&1")
                                    .c_str());
    ASSERT_EQ(WEXITSTATUS(raw), 0) << readFile(m_dir / "imp.txt");
    EXPECT_EQ(Store::open(other).stats().accepted, 2);
}

} // namespace
