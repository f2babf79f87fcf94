// SPDX-License-Identifier: MIT
// The export reads a store file through a connection of its own (export_reader.h), but an in-memory store
// through Store::forEachAttempt, as it always did. The same attempts must export to the same bytes either
// way: in time order = id order (the reader's range scans), out of it (its joined, sorted streams), filtered
// or not.
#include "dataset/dataset_export.h"
#include "support/export_fixture.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

namespace kf::dataset {
namespace {

namespace fs = std::filesystem;
using testing::fillStore;
using testing::scratchDir;

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Every file of an export, by relative path.
std::vector<std::pair<std::string, std::string>> exportedFiles(const std::string& dir) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            files.emplace_back(fs::relative(e.path(), dir).string(), readFile(e.path()));
        }
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Attempts stored after the fixture's but made before them, as an import of older shards stores them: their
// ids no longer follow their times.
void addOlderAttempts(Store& store) {
    const auto spec = store.putSpec({"", "late-spec", R"({"id":"late-spec","category":"scan"})", ""});
    for (int i = 0; i < 6; ++i) {
        AttemptRecord a;
        a.spec_hash = spec;
        a.provider = "anthropic";
        a.model = "claude-test-1";
        a.settings_json = R"({"display":"summarized"})";
        a.conversation_json = R"({"turns":[{"role":"user","blocks":[{"kind":"text","text":"scan"}]},)"
                              R"({"role":"assistant","blocks":[{"kind":"thinking","text":"t)" +
                              std::to_string(i) + R"("},{"kind":"text","text":"```cuda\nk\n```"}]}]})";
        a.raw_stream = "raw" + std::to_string(i);
        a.prompt_template = "kernel-task/1";
        a.status = "complete";
        a.created_at = "2026-0" + std::to_string(9 - i) + "-01T00:00:00Z"; // descending
        a.generation_run = "g";
        a.id = store.addAttempt(a);
        const auto k = store.addKernel(
            {0, a.id, "", "__global__ void k" + std::to_string(i) + "() {}", "", "", a.created_at});
        RunRecord r;
        r.kernel_id = k;
        r.verdict = i % 3 == 0 ? "fail" : "pass";
        r.speedup = 1.0 + i;
        r.created_at = a.created_at;
        store.addRun(r);
        if (i % 2 == 0) {
            store.addReview({0, a.id, k, ReviewStatus::Accepted, 3, "ok", "rev", a.created_at});
        } else if (i == 3) {
            store.addReview({0, a.id, k, ReviewStatus::Rejected, 1, "no", "rev", a.created_at});
        }
    }
}

void expectSameExports(bool older_attempts, const AttemptFilter& filter, bool include_all,
                       const std::string& name) {
    const auto dir = scratchDir("reader-" + name);
    auto file = Store::open(dir + "/kf.db");
    auto memory = Store::open(":memory:");
    for (auto* s : {&file, &memory}) {
        fillStore(*s);
        if (older_attempts) {
            addOlderAttempts(*s);
        }
    }
    ExportOptions o;
    o.filter = filter;
    o.include_all = include_all;
    o.out_dir = dir + "/from-file";
    const auto a = exportDataset(file, o);
    o.out_dir = dir + "/from-memory";
    const auto b = exportDataset(memory, o);
    EXPECT_EQ(a.full_rows, b.full_rows);
    EXPECT_EQ(a.preference_rows, b.preference_rows);
    EXPECT_GT(a.full_rows + a.preference_rows, 0);
    const auto fa = exportedFiles(dir + "/from-file");
    const auto fb = exportedFiles(dir + "/from-memory");
    ASSERT_EQ(fa.size(), fb.size());
    for (std::size_t i = 0; i < fa.size(); ++i) {
        EXPECT_EQ(fa[i].first, fb[i].first);
        EXPECT_TRUE(fa[i].second == fb[i].second) << name << ": " << fa[i].first << " differs";
    }
}

TEST(ExportReader, SameBytesAsStoreForEachAttemptInTimeOrder) {
    expectSameExports(false, {}, false, "time-order");
    expectSameExports(false, {}, true, "time-order-all");
}

TEST(ExportReader, SameBytesAsStoreForEachAttemptOutOfTimeOrder) {
    expectSameExports(true, {}, false, "out-of-order");
    expectSameExports(true, {}, true, "out-of-order-all");
}

TEST(ExportReader, SameBytesAsStoreForEachAttemptFiltered) {
    AttemptFilter by_spec;
    by_spec.spec_id = "op-3-f32";
    expectSameExports(false, by_spec, false, "by-spec");
    AttemptFilter rejected;
    rejected.review_status = "rejected";
    expectSameExports(true, rejected, false, "rejected");
    AttemptFilter since;
    since.since = "2026-06";
    expectSameExports(true, since, true, "since");
}

} // namespace
} // namespace kf::dataset
