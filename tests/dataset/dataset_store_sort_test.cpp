// SPDX-License-Identifier: MIT
// The listing's sort orders (AttemptFilter::sort/ascending, for the dataset browser's sortable columns) and
// Store::specIds.
#include "dataset/store.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <optional>
#include <stdlib.h>

namespace fs = std::filesystem;
using namespace kf::dataset;

namespace {

SpecRecord specNamed(const std::string& id) {
    SpecRecord s;
    s.spec_id = id;
    s.category = "reduction";
    s.json = R"({"id":")" + id + R"("})";
    s.hash = sha256Hex(s.json);
    return s;
}

AttemptRecord attemptAt(const std::string& spec_hash, const std::string& created_at,
                        const std::string& provider, const std::string& model) {
    AttemptRecord a;
    a.spec_hash = spec_hash;
    a.provider = provider;
    a.model = model;
    a.settings_json = "{}";
    a.conversation_json = R"({"format":"kernelforge.conversation/1","turns":[]})";
    a.prompt_template = "kernel-task/1";
    a.status = "complete";
    a.created_at = created_at;
    a.generation_run = "local:sort";
    return a;
}

// Four attempts: a1 softmax anthropic 2026-01 speedup 2.0 accepted rating 4; a2 gemm openai 2026-02 never
// run, unreviewed; a3 softmax ollama 2026-03 speedup 0.5 rejected rating 1; a4 gemm anthropic 2026-03 (the
// same time as a3) speedup 2.0 needs-work.
class SortTest : public ::testing::Test {
protected:
    void SetUp() override {
        std::string tmpl = (fs::temp_directory_path() / "kf-sort-XXXXXX").string();
        ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
        dir = tmpl;
        store.emplace(Store::open((dir / "kf.db").string()));
        const auto softmax = store->putSpec(specNamed("softmax-rows-f32"));
        const auto gemm = store->putSpec(specNamed("gemm-f16"));
        a1 = store->addAttempt(attemptAt(softmax, "2026-01-01T00:00:00Z", "anthropic", "claude-sonnet-4-5"));
        a2 = store->addAttempt(attemptAt(gemm, "2026-02-01T00:00:00Z", "openai", "gpt-5"));
        a3 = store->addAttempt(attemptAt(softmax, "2026-03-01T00:00:00Z", "ollama", "qwen3-coder"));
        a4 = store->addAttempt(attemptAt(gemm, "2026-03-01T00:00:00Z", "anthropic", "claude-opus-4-1"));
        run(a1, "pass", 2.0);
        run(a3, "fail", 0.5);
        run(a4, "pass", 2.0);
        review(a1, ReviewStatus::Accepted, 4);
        review(a3, ReviewStatus::Rejected, 1);
        review(a4, ReviewStatus::NeedsWork, 0);
    }
    void TearDown() override {
        store.reset();
        std::error_code ec;
        fs::remove_all(dir, ec);
    }

    void run(int64_t attempt, const std::string& verdict, double speedup) {
        KernelRecord k;
        k.attempt_id = attempt;
        k.source = "__global__ void k" + std::to_string(attempt) + "() {}";
        RunRecord r;
        r.kernel_id = store->addKernel(k);
        r.device_json = "{}";
        r.harness_version = "h1";
        r.events_json = "[]";
        r.verdict = verdict;
        r.speedup = speedup;
        store->addRun(r);
    }
    void review(int64_t attempt, ReviewStatus status, int rating) {
        ReviewRecord r;
        r.attempt_id = attempt;
        r.status = status;
        r.rating = rating;
        r.reviewer = "rev";
        store->addReview(r);
    }
    std::vector<int64_t> order(AttemptSort sort, bool ascending, int64_t limit = 50, int64_t offset = 0) {
        AttemptFilter f;
        f.sort = sort;
        f.ascending = ascending;
        f.limit = limit;
        f.offset = offset;
        std::vector<int64_t> out;
        for (const auto& s : store->list(f)) {
            out.push_back(s.id);
        }
        return out;
    }

    fs::path dir;
    std::optional<Store> store;
    int64_t a1 = 0, a2 = 0, a3 = 0, a4 = 0;
};

} // namespace

TEST_F(SortTest, DefaultIsNewestFirstWithIdBreakingTies) {
    EXPECT_EQ(order(AttemptSort::Created, false), (std::vector<int64_t>{a4, a3, a2, a1}));
    EXPECT_EQ(order(AttemptSort::Created, true), (std::vector<int64_t>{a1, a2, a3, a4}));
    EXPECT_EQ(store->list(AttemptFilter{}).front().id, a4);
}

TEST_F(SortTest, EachColumnSortsBothWays) {
    EXPECT_EQ(order(AttemptSort::Id, true), (std::vector<int64_t>{a1, a2, a3, a4}));
    EXPECT_EQ(order(AttemptSort::Spec, true), (std::vector<int64_t>{a2, a4, a1, a3})); // gemm < softmax
    EXPECT_EQ(order(AttemptSort::Model, true), (std::vector<int64_t>{a4, a1, a3, a2}));
    EXPECT_EQ(order(AttemptSort::Review, true), (std::vector<int64_t>{a2, a1, a4, a3})); // unreviewed first
    EXPECT_EQ(order(AttemptSort::Verdict, false), (std::vector<int64_t>{a4, a1, a3, a2}));
    EXPECT_EQ(order(AttemptSort::Speedup, false), (std::vector<int64_t>{a4, a1, a3, a2}));
    EXPECT_EQ(order(AttemptSort::Speedup, true), (std::vector<int64_t>{a2, a3, a1, a4}));
    EXPECT_EQ(order(AttemptSort::Rating, false), (std::vector<int64_t>{a1, a3, a4, a2}));
}

TEST_F(SortTest, PagesOfASortedListingNeitherOverlapNorSkip) {
    std::vector<int64_t> paged;
    for (int64_t offset = 0; offset < 4; offset += 3) {
        const auto page = order(AttemptSort::Speedup, false, 3, offset);
        paged.insert(paged.end(), page.begin(), page.end());
    }
    EXPECT_EQ(paged, order(AttemptSort::Speedup, false));
}

TEST_F(SortTest, SpecIdsAreSortedAndDistinct) {
    SpecRecord other = specNamed("softmax-rows-f32");
    other.json = R"({"id":"softmax-rows-f32","v":2})";
    other.hash = sha256Hex(other.json);
    store->putSpec(other);
    EXPECT_EQ(store->specIds(), (std::vector<std::string>{"gemm-f16", "softmax-rows-f32"}));
}
