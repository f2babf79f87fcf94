// SPDX-License-Identifier: MIT
// Unit tests of the dataset store: every Store call, every filter, FTS search, review history, duplicates,
// schema versioning and the default path.
#include "dataset/store.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <sqlite3.h>
#include <string>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace kf::dataset;

namespace {

class TempDir {
public:
    TempDir() {
        std::string tmpl = (fs::temp_directory_path() / "kf-store-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) {
            throw std::runtime_error("mkdtemp failed");
        }
        m_path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(m_path, ec);
    }
    fs::path operator/(const std::string& name) const { return m_path / name; }

private:
    fs::path m_path;
};

// A kernelforge.conversation/1 document as the teacher layer writes it: the user prompt, then an assistant
// turn with a signed thinking block and the answer.
std::string conversation(const std::string& reasoning, const std::string& answer) {
    using ojson = nlohmann::ordered_json;
    const auto block = [](const char* kind, const std::string& text, const std::string& sig) {
        return ojson{{"kind", kind}, {"text", text}, {"signature", sig}, {"data", ""}, {"raw", ""}};
    };
    ojson user{{"role", "user"},
               {"blocks", ojson::array({block("text", "Write kf_launch for the spec.", "")})}};
    ojson assistant{{"role", "assistant"},
                    {"blocks", ojson::array({block("thinking", reasoning, "EqQBCkYIARgCIkA"),
                                             block("text", answer, "")})},
                    {"status", "complete"},
                    {"model", "claude-sonnet-4-5"},
                    {"message_id", "msg_01"},
                    {"stop_reason", "end_turn"},
                    {"stop_details", ""},
                    {"request_id", "req_01"},
                    {"error_type", ""},
                    {"error", ""},
                    {"usage",
                     {{"input_tokens", 1200},
                      {"output_tokens", 3400},
                      {"thinking_tokens", 2000},
                      {"cache_read_tokens", 0},
                      {"cache_write_tokens", 0}}}};
    return ojson{{"format", "kernelforge.conversation/1"}, {"turns", ojson::array({user, assistant})}}.dump();
}

SpecRecord makeSpec(const std::string& id, const std::string& category = "reduction") {
    SpecRecord s;
    s.spec_id = id;
    s.category = category;
    s.json = nlohmann::json{{"id", id}, {"params", {"rows", "cols"}}}.dump();
    s.hash = sha256Hex(s.json);
    return s;
}

AttemptRecord makeAttempt(const std::string& spec_hash, const std::string& created_at,
                          const std::string& reasoning = "Each row is reduced by one warp.",
                          const std::string& provider = "anthropic",
                          const std::string& model = "claude-sonnet-4-5") {
    AttemptRecord a;
    a.spec_hash = spec_hash;
    a.provider = provider;
    a.model = model;
    a.settings_json = R"({"thinking":"enabled","budget_tokens":8000,"max_tokens":16000})";
    a.conversation_json =
        conversation(reasoning, "Here is the kernel:\n```cuda\n__global__ void k() {}\n```");
    a.raw_stream = "event: message_start\ndata: {}\n\n";
    a.prompt_template = "kernel-task/1";
    a.status = "complete";
    a.input_tokens = 1200;
    a.output_tokens = 3400;
    a.thinking_tokens = 2000;
    a.created_at = created_at;
    a.generation_run = "local:7b0c";
    return a;
}

int64_t addKernelFor(Store& store, int64_t attempt_id, const std::string& source) {
    KernelRecord k;
    k.attempt_id = attempt_id;
    k.source = source;
    return store.addKernel(k);
}

int64_t addRunFor(Store& store, int64_t kernel_id, const std::string& verdict, double speedup,
                  const std::string& created_at = "") {
    RunRecord r;
    r.kernel_id = kernel_id;
    r.device_json = R"({"name":"NVIDIA H100","cc":"9.0"})";
    r.harness_version = "h1";
    r.events_json = R"([{"event":"done","verdict":")" + verdict + R"("}])";
    r.verdict = verdict;
    r.speedup = speedup;
    r.created_at = created_at;
    return store.addRun(r);
}

int64_t review(Store& store, int64_t attempt_id, ReviewStatus status, int rating = 0,
               const std::string& created_at = "") {
    ReviewRecord r;
    r.attempt_id = attempt_id;
    r.status = status;
    r.rating = rating;
    r.notes = "looked at it";
    r.reviewer = "rev1";
    r.created_at = created_at;
    return store.addReview(r);
}

std::vector<int64_t> ids(const std::vector<AttemptSummary>& rows) {
    std::vector<int64_t> out;
    for (const auto& r : rows) {
        out.push_back(r.id);
    }
    return out;
}

std::string errorOf(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const StoreError& e) {
        return e.what();
    }
    return "";
}

void setUserVersion(const fs::path& db, int v) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(raw, ("PRAGMA user_version=" + std::to_string(v)).c_str(), nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(raw);
}

// A small dataset that exercises every filter:
//   a1 softmax anthropic/claude-sonnet-4-5 2026-01-01, accepted (after needs-work), pass 2.5
//   a2 softmax openai/gpt-5                2026-02-01, rejected, fail
//   a3 gemm    anthropic/claude-opus-4-1   2026-03-01, unreviewed, never run
//   a4 gemm    ollama/qwen3-coder          2026-04-01, accepted, pass 0.8
//   a5 softmax anthropic/claude-sonnet-4-5 2026-05-01, needs-work, error
class FilterTest : public ::testing::Test {
protected:
    void SetUp() override {
        store.emplace(Store::open((dir / "kf.db").string()));
        softmax = store->putSpec(makeSpec("softmax-rows-f32"));
        gemm = store->putSpec(makeSpec("gemm-f16", "matmul"));
        a1 =
            store->addAttempt(makeAttempt(softmax, "2026-01-01T10:00:00Z", "I will use warp shuffles here."));
        a2 = store->addAttempt(
            makeAttempt(softmax, "2026-02-01T10:00:00Z", "Shared memory tiling first.", "openai", "gpt-5"));
        a3 = store->addAttempt(makeAttempt(gemm, "2026-03-01T10:00:00Z", "Tensor cores via wmma.",
                                           "anthropic", "claude-opus-4-1"));
        a4 = store->addAttempt(
            makeAttempt(gemm, "2026-04-01T10:00:00Z", "A naive triple loop.", "ollama", "qwen3-coder"));
        a5 = store->addAttempt(makeAttempt(softmax, "2026-05-01T10:00:00Z", "Online softmax in one pass."));
        const auto k1 =
            addKernelFor(*store, a1, "__global__ void softmax_warp() { __shfl_xor_sync(0, 1, 2); }");
        const auto k2 = addKernelFor(*store, a2, "__global__ void softmax_smem() {}");
        const auto k4 = addKernelFor(*store, a4, "__global__ void gemm_naive() {}");
        const auto k5 = addKernelFor(*store, a5, "__global__ void softmax_online() {}");
        addRunFor(*store, k1, "fail", -1.0, "2026-01-01T11:00:00Z");
        addRunFor(*store, k1, "pass", 2.5, "2026-01-01T12:00:00Z");
        addRunFor(*store, k2, "fail", -1.0);
        addRunFor(*store, k4, "pass", 0.8);
        addRunFor(*store, k5, "error", -1.0);
        review(*store, a1, ReviewStatus::NeedsWork, 2, "2026-01-02T00:00:00Z");
        review(*store, a1, ReviewStatus::Accepted, 5, "2026-01-03T00:00:00Z");
        review(*store, a2, ReviewStatus::Rejected, 1);
        review(*store, a4, ReviewStatus::Accepted, 3);
        review(*store, a5, ReviewStatus::NeedsWork);
    }

    std::vector<int64_t> listed(AttemptFilter f) {
        const auto rows = ids(store->list(f));
        EXPECT_EQ(store->count(f), static_cast<int64_t>(rows.size()));
        return rows;
    }

    TempDir dir;
    std::optional<Store> store;
    std::string softmax, gemm;
    int64_t a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0;
};

} // namespace

TEST(DatasetStore, OpenCreatesDirectoryWalAndSchema) {
    TempDir dir;
    const auto path = (dir / "nested/deeper/kf.db").string();
    auto store = Store::open(path);
    EXPECT_EQ(store.path(), path);
    EXPECT_TRUE(fs::exists(path));
    EXPECT_EQ(store.schemaVersion(), Store::kSchemaVersion);
    std::string report;
    EXPECT_TRUE(store.integrityOk(&report));
    EXPECT_EQ(report, "ok");

    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(raw, "PRAGMA journal_mode", -1, &st, nullptr), SQLITE_OK);
    ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
    EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), "wal");
    sqlite3_finalize(st);
    sqlite3_close(raw);
}

TEST(DatasetStore, MigratesAnEmptyFile) {
    TempDir dir;
    const auto path = dir / "empty.db";
    std::ofstream(path).close();
    ASSERT_EQ(fs::file_size(path), 0u);
    auto store = Store::open(path.string());
    EXPECT_EQ(store.schemaVersion(), 1);
    const auto h = store.putSpec(makeSpec("s"));
    EXPECT_GT(store.addAttempt(makeAttempt(h, "")), 0);
}

TEST(DatasetStore, ReopensAndKeepsData) {
    TempDir dir;
    const auto path = (dir / "kf.db").string();
    int64_t id = 0;
    {
        auto store = Store::open(path);
        id = store.addAttempt(makeAttempt(store.putSpec(makeSpec("s")), ""));
    }
    auto store = Store::open(path);
    EXPECT_EQ(store.schemaVersion(), 1);
    EXPECT_TRUE(store.attempt(id).has_value());
}

TEST(DatasetStore, RefusesANewerSchema) {
    TempDir dir;
    const auto path = dir / "kf.db";
    { Store::open(path.string()); }
    setUserVersion(path, 99);
    const auto msg = errorOf([&] { Store::open(path.string()); });
    EXPECT_NE(
        msg.find(path.string() + " was written by a newer KernelForge (schema 99; this build reads up to 1)"),
        std::string::npos)
        << msg;
}

TEST(DatasetStore, RefusesAFileThatIsNotADatabase) {
    TempDir dir;
    const auto path = dir / "notes.txt";
    std::ofstream(path) << std::string(4096, 'x');
    const auto msg = errorOf([&] { Store::open(path.string()); });
    EXPECT_NE(msg.find(path.string()), std::string::npos) << msg;
    EXPECT_NE(msg.find("not a database"), std::string::npos) << msg;
}

TEST(DatasetStore, DefaultPathFollowsXdg) {
    const char* old_xdg = std::getenv("XDG_DATA_HOME");
    const std::string saved_xdg = old_xdg ? old_xdg : "";
    const char* old_home = std::getenv("HOME");
    const std::string saved_home = old_home ? old_home : "";

    setenv("XDG_DATA_HOME", "/xdg/data", 1);
    EXPECT_EQ(Store::defaultPath(), "/xdg/data/kernelforge/kernelforge.db");
    setenv("XDG_DATA_HOME", "relative/ignored", 1);
    setenv("HOME", "/home/tester", 1);
    EXPECT_EQ(Store::defaultPath(), "/home/tester/.local/share/kernelforge/kernelforge.db");
    unsetenv("XDG_DATA_HOME");
    EXPECT_EQ(Store::defaultPath(), "/home/tester/.local/share/kernelforge/kernelforge.db");

    if (old_xdg) {
        setenv("XDG_DATA_HOME", saved_xdg.c_str(), 1);
    }
    if (old_home) {
        setenv("HOME", saved_home.c_str(), 1);
    } else {
        unsetenv("HOME");
    }
}

TEST(DatasetStore, SpecsAreKeptOncePerHash) {
    TempDir dir;
    auto store = Store::open((dir / "kf.db").string());
    const auto s = makeSpec("softmax-rows-f32");
    EXPECT_EQ(store.putSpec(s), s.hash);
    EXPECT_EQ(store.putSpec(s), s.hash);
    EXPECT_EQ(store.stats().specs, 1);
    const auto back = store.spec(s.hash);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->spec_id, "softmax-rows-f32");
    EXPECT_EQ(back->json, s.json);
    EXPECT_EQ(back->category, "reduction");
    EXPECT_FALSE(store.spec("nope"));

    auto unhashed = makeSpec("gemm-f16");
    unhashed.hash.clear();
    EXPECT_EQ(store.putSpec(unhashed), sha256Hex(unhashed.json));
}

TEST(DatasetStore, AttemptRoundTripsEveryField) {
    TempDir dir;
    auto store = Store::open((dir / "kf.db").string());
    const auto spec = makeSpec("softmax-rows-f32");
    store.putSpec(spec);
    auto a = makeAttempt(spec.hash, "2026-11-22T01:02:03Z", std::string(20000, 'r'));
    static constexpr char kRaw[] = "bytes\0with nul and \xff\xfe invalid utf-8";
    a.raw_stream = std::string(kRaw, sizeof kRaw - 1);
    a.status = "cancelled";
    a.thinking_tokens = -1;
    const auto id = store.addAttempt(a);
    const auto d = store.attempt(id);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->attempt.id, id);
    EXPECT_EQ(d->attempt.spec_hash, a.spec_hash);
    EXPECT_EQ(d->attempt.provider, a.provider);
    EXPECT_EQ(d->attempt.model, a.model);
    EXPECT_EQ(d->attempt.settings_json, a.settings_json);
    EXPECT_EQ(d->attempt.conversation_json, a.conversation_json);
    EXPECT_EQ(d->attempt.raw_stream, a.raw_stream);
    EXPECT_EQ(d->attempt.prompt_template, a.prompt_template);
    EXPECT_EQ(d->attempt.status, "cancelled");
    EXPECT_EQ(d->attempt.input_tokens, 1200);
    EXPECT_EQ(d->attempt.output_tokens, 3400);
    EXPECT_EQ(d->attempt.thinking_tokens, -1);
    EXPECT_EQ(d->attempt.created_at, "2026-11-22T01:02:03Z");
    EXPECT_EQ(d->attempt.generation_run, a.generation_run);
    EXPECT_EQ(d->spec.spec_id, "softmax-rows-f32");
    EXPECT_EQ(d->spec.hash, spec.hash);
    EXPECT_TRUE(d->kernels.empty());
    EXPECT_TRUE(d->runs.empty());
    EXPECT_TRUE(d->reviews.empty());
    EXPECT_FALSE(store.attempt(id + 100));
}

TEST(DatasetStore, AttemptNeedsItsSpecAndGetsATime) {
    TempDir dir;
    auto store = Store::open((dir / "kf.db").string());
    const auto msg = errorOf([&] { store.addAttempt(makeAttempt("deadbeef", "")); });
    EXPECT_NE(msg.find("add attempt"), std::string::npos) << msg;
    EXPECT_NE(msg.find("deadbeef"), std::string::npos) << msg;
    EXPECT_EQ(store.stats().attempts, 0);

    const auto id = store.addAttempt(makeAttempt(store.putSpec(makeSpec("s")), ""));
    EXPECT_TRUE(std::regex_match(store.attempt(id)->attempt.created_at,
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

TEST(DatasetStore, KernelsRunsAndTheirDefaults) {
    TempDir dir;
    auto store = Store::open((dir / "kf.db").string());
    const auto h = store.putSpec(makeSpec("s"));
    const auto a = store.addAttempt(makeAttempt(h, "2026-01-01T00:00:00Z"));
    const std::string src = "__global__ void k(float* y) { y[0] = 1.0f; } // done";
    const auto k1 = addKernelFor(store, a, src);

    KernelRecord human; // written by hand: no attempt
    human.spec_hash = h;
    human.source = "__global__ void hand() {}";
    human.source_hash = "given";
    const auto k2 = store.addKernel(human);

    KernelRecord edited;
    edited.attempt_id = a;
    edited.source = "__global__ void k(float* y) { y[0] = 2.0f; }";
    edited.origin = "edited";
    edited.created_at = "2030-01-01T00:00:00Z";
    const auto k3 = store.addKernel(edited);

    const auto r1 = addRunFor(store, k1, "pass", 1.7, "2026-01-01T01:00:00Z");
    const auto r2 = addRunFor(store, k3, "fail", -1.0, "2026-01-01T02:00:00Z");
    addRunFor(store, k2, "pass", 3.0); // a human kernel's run: not part of any attempt

    const auto d = store.attempt(a);
    ASSERT_TRUE(d);
    ASSERT_EQ(d->kernels.size(), 2u);
    EXPECT_EQ(d->kernels[0].id, k1);
    EXPECT_EQ(d->kernels[0].attempt_id, a);
    EXPECT_EQ(d->kernels[0].spec_hash, h);
    EXPECT_EQ(d->kernels[0].source, src);
    EXPECT_EQ(d->kernels[0].source_hash, normalizedSourceHash(src));
    EXPECT_EQ(d->kernels[0].origin, "teacher");
    EXPECT_EQ(d->kernels[1].id, k3);
    EXPECT_EQ(d->kernels[1].origin, "edited");
    EXPECT_EQ(d->kernels[1].created_at, "2030-01-01T00:00:00Z");
    ASSERT_EQ(d->runs.size(), 2u);
    EXPECT_EQ(d->runs[0].id, r1);
    EXPECT_EQ(d->runs[0].kernel_id, k1);
    EXPECT_EQ(d->runs[0].verdict, "pass");
    EXPECT_DOUBLE_EQ(d->runs[0].speedup, 1.7);
    EXPECT_EQ(d->runs[0].harness_version, "h1");
    EXPECT_EQ(d->runs[0].device_json, R"({"name":"NVIDIA H100","cc":"9.0"})");
    EXPECT_NE(d->runs[0].events_json.find("done"), std::string::npos);
    EXPECT_EQ(d->runs[1].id, r2);

    const auto dups = store.duplicatesOf(human.source);
    EXPECT_TRUE(dups.empty()); // its hash was given, not computed
    const auto hk = store.duplicatesOf(src);
    ASSERT_EQ(hk.size(), 1u);
    EXPECT_EQ(hk[0].id, k1);

    // The latest run decides the attempt's verdict.
    AttemptFilter f;
    ASSERT_EQ(store.list(f).size(), 1u);
    EXPECT_EQ(store.list(f)[0].verdict, "fail");
    EXPECT_DOUBLE_EQ(store.list(f)[0].speedup, -1.0);

    EXPECT_NE(errorOf([&] { addKernelFor(store, a + 50, "x"); }).find("no attempt"), std::string::npos);
    EXPECT_NE(errorOf([&] { addRunFor(store, 999, "pass", 1.0); }).find("no kernel 999"), std::string::npos);
    KernelRecord orphan;
    orphan.spec_hash = "missing";
    orphan.source = "x";
    EXPECT_NE(errorOf([&] { store.addKernel(orphan); }).find("FOREIGN KEY"), std::string::npos);
    EXPECT_EQ(store.stats().kernels, 3);
    EXPECT_EQ(store.stats().runs, 3);
}

TEST(DatasetStore, ReviewsAreAHistoryAndTheLatestWins) {
    TempDir dir;
    auto store = Store::open((dir / "kf.db").string());
    const auto a = store.addAttempt(makeAttempt(store.putSpec(makeSpec("s")), "2026-01-01T00:00:00Z"));
    const auto k = addKernelFor(store, a, "__global__ void k() {}");
    EXPECT_EQ(store.list({})[0].review_status, "");

    const auto r1 = review(store, a, ReviewStatus::NeedsWork, 2, "2026-01-02T00:00:00Z");
    EXPECT_EQ(store.list({})[0].review_status, "needs-work");
    ReviewRecord r;
    r.attempt_id = a;
    r.kernel_id = k;
    r.status = ReviewStatus::Accepted;
    r.rating = 4;
    r.notes = "fast and right";
    r.reviewer = "alice";
    r.created_at = "2026-01-03T00:00:00Z";
    const auto r2 = store.addReview(r);
    auto row = store.list({})[0];
    EXPECT_EQ(row.review_status, "accepted");
    EXPECT_EQ(row.rating, 4);
    const auto r3 = review(store, a, ReviewStatus::Rejected, 1, "2026-01-04T00:00:00Z");
    row = store.list({})[0];
    EXPECT_EQ(row.review_status, "rejected");
    EXPECT_EQ(row.rating, 1);

    const auto d = store.attempt(a);
    ASSERT_EQ(d->reviews.size(), 3u); // nothing deleted
    EXPECT_EQ(d->reviews[0].id, r1);
    EXPECT_EQ(d->reviews[1].id, r2);
    EXPECT_EQ(d->reviews[1].kernel_id, k);
    EXPECT_EQ(d->reviews[1].notes, "fast and right");
    EXPECT_EQ(d->reviews[1].reviewer, "alice");
    EXPECT_EQ(d->reviews[1].status, ReviewStatus::Accepted);
    EXPECT_EQ(d->reviews[2].id, r3);
    EXPECT_FALSE(d->reviews[0].kernel_id);

    EXPECT_NE(errorOf([&] { review(store, a, ReviewStatus::Accepted, 6); }).find("rating 6"),
              std::string::npos);
    EXPECT_NE(errorOf([&] { review(store, a, ReviewStatus::Accepted, -1); }).find("rating -1"),
              std::string::npos);
    EXPECT_NE(errorOf([&] { review(store, a + 9, ReviewStatus::Accepted, 3); }).find("no attempt"),
              std::string::npos);
    EXPECT_EQ(store.attempt(a)->reviews.size(), 3u);
    const auto s = store.stats();
    EXPECT_EQ(s.rejected, 1);
    EXPECT_EQ(s.accepted, 0);
}

TEST(DatasetStore, ReviewStatusNames) {
    EXPECT_STREQ(reviewStatusName(ReviewStatus::Accepted), "accepted");
    EXPECT_STREQ(reviewStatusName(ReviewStatus::Rejected), "rejected");
    EXPECT_STREQ(reviewStatusName(ReviewStatus::NeedsWork), "needs-work");
    EXPECT_EQ(parseReviewStatus("needs-work"), ReviewStatus::NeedsWork);
    EXPECT_EQ(parseReviewStatus("accepted"), ReviewStatus::Accepted);
    EXPECT_FALSE(parseReviewStatus("Accepted"));
}

TEST_F(FilterTest, NoFilterListsNewestFirst) {
    EXPECT_EQ(listed({}), (std::vector<int64_t>{a5, a4, a3, a2, a1}));
    const auto rows = store->list({});
    EXPECT_EQ(rows[4].spec_id, "softmax-rows-f32");
    EXPECT_EQ(rows[4].provider, "anthropic");
    EXPECT_EQ(rows[4].model, "claude-sonnet-4-5");
    EXPECT_EQ(rows[4].status, "complete");
    EXPECT_EQ(rows[4].review_status, "accepted");
    EXPECT_EQ(rows[4].rating, 5);
    EXPECT_EQ(rows[4].verdict, "pass");
    EXPECT_DOUBLE_EQ(rows[4].speedup, 2.5);
    EXPECT_EQ(rows[4].created_at, "2026-01-01T10:00:00Z");
    EXPECT_EQ(rows[2].review_status, "");
    EXPECT_EQ(rows[2].verdict, "");
    EXPECT_DOUBLE_EQ(rows[2].speedup, -1.0);
}

TEST_F(FilterTest, EachFilterAlone) {
    AttemptFilter f;
    f.spec_id = "gemm-f16";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a4, a3}));

    f = {};
    f.review_status = "accepted";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a4, a1}));
    f.review_status = "rejected";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a2}));
    f.review_status = "needs-work";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a5}));
    f.review_status = "unreviewed";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a3}));

    f = {};
    f.verdict = "pass";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a4, a1})); // a1's latest run passed after an earlier fail
    f.verdict = "fail";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a2}));
    f.verdict = "error";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a5}));
    f.verdict = "none";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a3}));

    f = {};
    f.provider = "anthropic";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a5, a3, a1}));
    f.provider = "ollama";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a4}));

    f = {};
    f.model = "claude-";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a5, a3, a1}));
    f.model = "claude-sonnet";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a5, a1}));
    f.model = "sonnet"; // a prefix, not a substring
    EXPECT_TRUE(listed(f).empty());

    f = {};
    f.since = "2026-03";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a5, a4, a3}));
    f = {};
    f.until = "2026-03";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a2, a1}));
    f.since = "2026-02-01T10:00:00Z"; // inclusive
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a2}));

    f = {};
    f.min_speedup = 1.0;
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a1}));
    f.min_speedup = 0.5;
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a4, a1}));
    f.min_speedup = 0.0; // timed at all
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a4, a1}));
}

TEST_F(FilterTest, CombinedFilters) {
    AttemptFilter f;
    f.spec_id = "softmax-rows-f32";
    f.review_status = "accepted";
    f.min_speedup = 2.0;
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a1}));
    f.min_speedup = 3.0;
    EXPECT_TRUE(listed(f).empty());

    f = {};
    f.provider = "anthropic";
    f.verdict = "none";
    f.since = "2026-02";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a3}));

    f = {};
    f.spec_id = "softmax-rows-f32";
    f.search = "kernel"; // in every answer
    f.model = "claude";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a5, a1}));
}

TEST_F(FilterTest, PagingAndCount) {
    AttemptFilter f;
    f.limit = 2;
    EXPECT_EQ(ids(store->list(f)), (std::vector<int64_t>{a5, a4}));
    f.offset = 2;
    EXPECT_EQ(ids(store->list(f)), (std::vector<int64_t>{a3, a2}));
    f.offset = 4;
    EXPECT_EQ(ids(store->list(f)), (std::vector<int64_t>{a1}));
    f.offset = 5;
    EXPECT_TRUE(store->list(f).empty());
    EXPECT_EQ(store->count(f), 5); // ignores limit and offset
    f.limit = -1;                  // no limit
    f.offset = 0;
    EXPECT_EQ(store->list(f).size(), 5u);
}

TEST_F(FilterTest, FullTextSearch) {
    AttemptFilter f;
    f.search = "shuffles"; // a word of a1's reasoning only
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a1}));
    f.search = "__shfl_xor_sync"; // an identifier in a1's kernel code only
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a1}));
    f.search = "softmax_smem"; // a2's code
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a2}));
    f.search = "tensor AND wmma"; // a3's reasoning, FTS5 syntax
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a3}));
    f.search = "shuffles AND __shfl_xor_sync"; // reasoning and code of the same attempt
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a1}));
    f.search = "kernel"; // the answer text of every attempt: listed by probing the index per attempt
    EXPECT_EQ(listed(f).size(), 5u);
    f.limit = 2;
    f.offset = 2;
    EXPECT_EQ(ids(store->list(f)), (std::vector<int64_t>{a3, a2})); // pages as without a search
    f.offset = 4;
    EXPECT_EQ(ids(store->list(f)), (std::vector<int64_t>{a1}));
    f.limit = 50;
    f.offset = 0;
    f.search = "spec"; // words of the user prompt are not indexed
    EXPECT_TRUE(listed(f).empty());
    f.search = "naive";
    f.review_status = "accepted";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a4}));

    f = {};
    f.search = "\"unbalanced AND (";
    const auto msg = errorOf([&] { store->list(f); });
    EXPECT_NE(msg.find("\"unbalanced AND ("), std::string::npos) << msg;
    EXPECT_NE(msg.find("full-text"), std::string::npos) << msg;
    EXPECT_FALSE(errorOf([&] { store->count(f); }).empty());
    EXPECT_FALSE(
        errorOf([&] { store->forEachAttempt(f, [](const AttemptDetail&) { return true; }); }).empty());
    f.search = "nosuchcolumn: word";
    EXPECT_NE(errorOf([&] { store->count(f); }).find("search \"nosuchcolumn: word\""), std::string::npos);
    f.search = "code: softmax_smem"; // a column filter is valid FTS5
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a2}));
}

TEST_F(FilterTest, SearchIndexFollowsEveryKernel) {
    addKernelFor(*store, a3, "__global__ void gemm_wmma_v1() {}");
    addKernelFor(*store, a3, "__global__ void gemm_wmma_v2() {}");
    AttemptFilter f;
    f.search = "gemm_wmma_v1";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a3}));
    f.search = "gemm_wmma_v2";
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a3}));
    f.search = "wmma"; // still found by its reasoning
    EXPECT_EQ(listed(f), (std::vector<int64_t>{a3}));
    std::string report;
    EXPECT_TRUE(store->integrityOk(&report)) << report;
}

TEST_F(FilterTest, UnknownFilterValuesAreErrors) {
    AttemptFilter f;
    f.review_status = "approved";
    EXPECT_NE(errorOf([&] { store->list(f); }).find("approved"), std::string::npos);
    f = {};
    f.verdict = "ok";
    EXPECT_NE(errorOf([&] { store->count(f); }).find("\"ok\""), std::string::npos);
}

TEST_F(FilterTest, ForEachStreamsOldestFirst) {
    std::vector<int64_t> seen;
    store->forEachAttempt({}, [&](const AttemptDetail& d) {
        seen.push_back(d.attempt.id);
        return true;
    });
    EXPECT_EQ(seen, (std::vector<int64_t>{a1, a2, a3, a4, a5}));

    seen.clear();
    AttemptFilter f;
    f.review_status = "accepted";
    f.limit = 1; // ignored
    store->forEachAttempt(f, [&](const AttemptDetail& d) {
        seen.push_back(d.attempt.id);
        EXPECT_FALSE(d.kernels.empty());
        EXPECT_FALSE(d.reviews.empty());
        EXPECT_EQ(d.reviews.back().status, ReviewStatus::Accepted);
        return true;
    });
    EXPECT_EQ(seen, (std::vector<int64_t>{a1, a4}));

    seen.clear();
    store->forEachAttempt({}, [&](const AttemptDetail& d) {
        seen.push_back(d.attempt.id);
        return seen.size() < 2;
    });
    EXPECT_EQ(seen, (std::vector<int64_t>{a1, a2}));

    const auto d1 = store->attempt(a1);
    ASSERT_EQ(d1->runs.size(), 2u);
    ASSERT_EQ(d1->reviews.size(), 2u);
    EXPECT_EQ(d1->reviews.back().status, ReviewStatus::Accepted);

    // The callback may write (an import merging while it reads), and each write is committed when it returns:
    // another connection sees it before the stream ends.
    store->forEachAttempt({}, [&](const AttemptDetail& d) {
        review(*store, d.attempt.id, ReviewStatus::Accepted, 5);
        auto other = Store::open(store->path());
        EXPECT_EQ(other.attempt(d.attempt.id)->reviews.size(), 3u);
        return false;
    });
    EXPECT_EQ(store->attempt(a1)->reviews.size(), 3u);
}

TEST_F(FilterTest, Stats) {
    const auto s = store->stats();
    EXPECT_EQ(s.specs, 2);
    EXPECT_EQ(s.attempts, 5);
    EXPECT_EQ(s.kernels, 4);
    EXPECT_EQ(s.runs, 5);
    EXPECT_EQ(s.accepted, 2);
    EXPECT_EQ(s.rejected, 1);
    EXPECT_EQ(s.needs_work, 1);
    EXPECT_EQ(s.unreviewed, 1);
}

TEST_F(FilterTest, MovedStoreKeepsWorking) {
    Store moved = std::move(*store);
    EXPECT_EQ(moved.count({}), 5);
    Store other = Store::open((dir / "other.db").string());
    other = std::move(moved);
    EXPECT_EQ(other.count({}), 5);
    EXPECT_EQ(other.path(), (dir / "kf.db").string());
}

TEST(DatasetStore, DuplicatesByNormalizedSource) {
    TempDir dir;
    auto store = Store::open((dir / "kf.db").string());
    const auto h = store.putSpec(makeSpec("s"));
    const auto a = store.addAttempt(makeAttempt(h, "2026-01-01T00:00:00Z"));
    const std::string original = "__global__ void k(float* y) {\n    y[0] = 1.0f; // one\n}\n";
    const auto k1 = addKernelFor(store, a, original);
    const auto k2 = addKernelFor(store, a, "/* header */ __global__   void k(float* y)\n{ y[0] = 1.0f; }");
    addKernelFor(store, a, "__global__ void k(float* y) { y[0] = 2.0f; }");

    const auto dups = store.duplicatesOf("\t__global__ void k(float* y) { /* same */ y[0] = 1.0f; }  ");
    ASSERT_EQ(dups.size(), 2u);
    EXPECT_EQ(dups[0].id, k1);
    EXPECT_EQ(dups[1].id, k2);
    EXPECT_TRUE(store.duplicatesOf("__global__ void other() {}").empty());
}

TEST(DatasetStore, NormalizedSourceHash) {
    const auto h = normalizedSourceHash;
    EXPECT_EQ(h("int a = 1;"), h("  int   a =\n1; // c\n"));
    EXPECT_EQ(h("int a = 1;"), h("/* block\n comment */int a = 1;"));
    EXPECT_NE(h("int a;"), h("inta;"));
    EXPECT_EQ(h("a/**/b"), h("a b")); // a comment separates tokens
    EXPECT_NE(h("a/**/b"), h("ab"));
    // Comment markers and whitespace inside literals are content.
    EXPECT_NE(h(R"(const char* s = "// not a comment";)"), h("const char* s = \"\";"));
    EXPECT_NE(h(R"(s = "a  b";)"), h(R"(s = "a b";)"));
    EXPECT_NE(h(R"(s = "/* x */";)"), h(R"(s = "";)"));
    EXPECT_EQ(h(R"(s = "esc \" // still string"; // gone)"), h(R"(s = "esc \" // still string";)"));
    EXPECT_NE(h("c = '\"'; // x\nint y;"), h("c = '\"';"));
    EXPECT_EQ(h(""), h("   // only a comment\n"));
    EXPECT_EQ(h(""), sha256Hex(""));
}

namespace {

// normalizedSource as it was written first, one character at a time: the reference for the faster one.
std::string normalizedSourceReference(const std::string& source) {
    std::string out;
    bool pending_space = false;
    const auto emit = [&](char c) {
        if (pending_space && !out.empty()) {
            out += ' ';
        }
        pending_space = false;
        out += c;
    };
    const std::size_t n = source.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = source[i];
        if (c == '/' && i + 1 < n && source[i + 1] == '/') {
            while (i < n && source[i] != '\n') {
                ++i;
            }
            pending_space = true;
            continue;
        }
        if (c == '/' && i + 1 < n && source[i + 1] == '*') {
            const auto end = source.find("*/", i + 2);
            i = end == std::string::npos ? n : end + 1;
            pending_space = true;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending_space = true;
            continue;
        }
        if (c == '"' || c == '\'') {
            emit(c);
            for (++i; i < n; ++i) {
                out += source[i];
                if (source[i] == '\\' && i + 1 < n) {
                    out += source[++i];
                } else if (source[i] == c || source[i] == '\n') {
                    break;
                }
            }
            continue;
        }
        emit(c);
    }
    return out;
}

} // namespace

TEST(DatasetStore, NormalizedSourceMatchesTheCharacterByCharacterReference) {
    // Sources made of the pieces that matter: comments, literals with escapes, every kind of space, lone
    // slashes and stars, at every position (start, end, unterminated).
    static const char* const kPieces[] = {"a",     "bc1",     "/",          "*",     "//",      "/*",  "*/",
                                          "\"",    "'",       "\\",         " ",     "\t",      "\n",  "\r",
                                          "\f",    "\v",      "x;",         "{",     "}",       "__g", "0f",
                                          "//c\n", "/* c */", "\"s // t\"", "'\\''", "\xc3\xa9"};
    std::mt19937 rng(7);
    for (int round = 0; round < 20000; ++round) {
        std::string src;
        const int pieces = static_cast<int>(rng() % 24);
        for (int p = 0; p < pieces; ++p) {
            src += kPieces[rng() % std::size(kPieces)];
        }
        ASSERT_EQ(normalizedSource(src), normalizedSourceReference(src)) << "source: " << src;
    }
}

TEST(DatasetStore, Sha256AndTime) {
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_TRUE(std::regex_match(utcNow(), std::regex(R"(20\d\d-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-6]\dZ)")))
        << utcNow();
}

TEST(StoreRuns, NonFiniteSpeedupIsStoredAsNoSpeedup) {
    const auto dir = std::filesystem::temp_directory_path() / ("kf-store-nan-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    auto store = kf::dataset::Store::open((dir / "kf.db").string());
    kf::dataset::SpecRecord spec{"", "s", R"({"id":"s"})", ""};
    const auto hash = store.putSpec(spec);
    kf::dataset::AttemptRecord a;
    a.spec_hash = hash;
    a.provider = "human";
    a.conversation_json = R"({"format":"kernelforge.conversation/1","turns":[]})";
    a.status = "complete";
    a.created_at = kf::dataset::utcNow();
    const auto id = store.addAttempt(a);
    kf::dataset::KernelRecord k;
    k.attempt_id = id;
    k.source = "x";
    const auto kid = store.addKernel(k);
    kf::dataset::RunRecord r;
    r.kernel_id = kid;
    r.verdict = "error";
    r.speedup = std::nan("");
    r.created_at = a.created_at;
    EXPECT_NO_THROW(store.addRun(r));
    EXPECT_DOUBLE_EQ(store.attempt(id)->runs.at(0).speedup, -1.0);
    std::filesystem::remove_all(dir);
}
