// SPDX-License-Identifier: MIT
// Export and import of the dataset (../shared/docs/dataset-format.md): uniform rows, accepted-only default,
// deterministic split, preference pairs, round trip, merge of part files, and SIGKILL during export.

#include "dataset/dataset_export.h"
#include "dataset/export_rows.h"
#include "support/export_fixture.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace kf::dataset {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::fillStore;
using testing::scratchDir;

const std::vector<std::string> kDataFiles = {
    "data/sft/train-00000.jsonl",        "data/sft/validation-00000.jsonl",
    "data/full/train-00000.jsonl",       "data/full/validation-00000.jsonl",
    "data/preference/train-00000.jsonl", "data/preference/validation-00000.jsonl"};

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::vector<json> readRows(const std::string& path) {
    std::vector<json> rows;
    std::ifstream in(path, std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
        rows.push_back(json::parse(line));
    }
    return rows;
}

std::vector<json> readConfig(const std::string& dir, const std::string& config) {
    auto rows = readRows(dir + "/data/" + config + "/train-00000.jsonl");
    auto val = readRows(dir + "/data/" + config + "/validation-00000.jsonl");
    rows.insert(rows.end(), val.begin(), val.end());
    return rows;
}

// The Arrow-relevant type of a value: ints (signed or not) are one type; lists and structs recurse.
std::string typeOf(const json& v) {
    if (v.is_number_float()) {
        return "float";
    }
    if (v.is_number_integer()) {
        return "int";
    }
    if (v.is_array()) {
        std::string elem;
        for (const auto& e : v) {
            const auto t = typeOf(e);
            if (!elem.empty() && elem != t) {
                return "mixed-list";
            }
            elem = t;
        }
        return "list<" + elem + ">";
    }
    if (v.is_object()) {
        std::string s = "struct{";
        for (auto it = v.begin(); it != v.end(); ++it) {
            s += it.key() + ":" + typeOf(it.value()) + ",";
        }
        return s + "}";
    }
    return v.type_name();
}

bool containsNull(const json& v) {
    if (v.is_null()) {
        return true;
    }
    if (v.is_structured()) {
        for (const auto& e : v) {
            if (containsNull(e)) {
                return true;
            }
        }
    }
    return false;
}

// Every row has the same keys in the same order with the same types (an empty list matches any list).
void expectUniform(const std::vector<json>& rows, const std::string& config) {
    ASSERT_FALSE(rows.empty()) << config;
    std::vector<std::string> keys;
    std::map<std::string, std::string> types;
    for (auto it = rows[0].begin(); it != rows[0].end(); ++it) {
        keys.push_back(it.key());
    }
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        ASSERT_FALSE(containsNull(r)) << config << " row " << i;
        ASSERT_EQ(r.size(), keys.size()) << config << " row " << i;
        for (const auto& k : keys) {
            ASSERT_TRUE(r.contains(k)) << config << " row " << i << " lacks " << k;
            const auto t = typeOf(r[k]);
            ASSERT_NE(t, "mixed-list") << config << "." << k;
            if (t == "list<>") {
                continue;
            }
            auto& known = types[k];
            if (known.empty() || known == "list<>") {
                known = t;
            }
            EXPECT_EQ(t, known) << config << " row " << i << " column " << k;
        }
    }
}

struct ExportFixture : ::testing::Test {
    void SetUp() override {
        dir = scratchDir(::testing::UnitTest::GetInstance()->current_test_info()->name());
        store.emplace(Store::open(dir + "/kf.db"));
        counts = fillStore(*store);
    }
    ExportResult exportTo(const std::string& out, bool include_all = false) {
        ExportOptions o;
        o.out_dir = out;
        o.include_all = include_all;
        o.validation_fraction = 0.25;
        return exportDataset(*store, o);
    }
    std::string dir;
    std::optional<Store> store;
    testing::FixtureCounts counts;
};

TEST_F(ExportFixture, EveryRowHasEveryKeyWithOneTypeAndNoNulls) {
    const auto out = dir + "/all";
    exportTo(out, true);
    for (const auto* config : {"sft", "full", "preference"}) {
        const auto rows = readConfig(out, config);
        expectUniform(rows, config);
    }
    // Floats stay floats even when whole (1.0, -1.0): Arrow must infer float64.
    for (const auto& r : readConfig(out, "full")) {
        for (const auto* k : {"speedup", "rel_l2_tol", "atol", "review_agreement", "flops", "sm_clock_mhz"}) {
            EXPECT_TRUE(r[k].is_number_float()) << k;
        }
    }
}

TEST_F(ExportFixture, AcceptedOnlyByDefault) {
    const auto out = dir + "/accepted";
    const auto res = exportTo(out);
    EXPECT_EQ(res.full_rows, counts.accepted);
    EXPECT_EQ(res.sft_rows, counts.accepted);
    const auto rows = readConfig(out, "full");
    ASSERT_EQ(static_cast<int64_t>(rows.size()), counts.accepted);
    int edited = 0;
    for (const auto& r : rows) {
        const auto status = r["review_status"].get<std::string>();
        EXPECT_TRUE(status == "accepted" || status == "accepted_edited") << status;
        if (status == "accepted_edited") {
            ++edited;
            EXPECT_TRUE(r["edited"].get<bool>());
            EXPECT_NE(r["answer_text"].get<std::string>().find("// reviewer: guard the tail"),
                      std::string::npos);
            EXPECT_NE(r["kernel_code"].get<std::string>().find("// reviewer: guard the tail"),
                      std::string::npos);
            EXPECT_EQ(r["original_answer_sha256"].get<std::string>().size(), 64U);
        }
    }
    EXPECT_GT(edited, 0);
    EXPECT_TRUE(
        std::any_of(rows.begin(), rows.end(), [](const json& r) { return r["review_agreement"] == 0.5; }));
    const auto all = exportTo(dir + "/all", true);
    EXPECT_EQ(all.full_rows, counts.attempts);
}

TEST_F(ExportFixture, SftRowsHaveInlineReasoningAndFormats) {
    const auto out = dir + "/sft";
    exportTo(out, true);
    std::map<std::string, int> formats;
    for (const auto& r : readConfig(out, "full")) {
        const auto format = r["reasoning_format"].get<std::string>();
        ++formats[format];
        const auto content = r["completion"][0]["content"].get<std::string>();
        EXPECT_EQ(r["messages"].back(), r["completion"][0]);
        EXPECT_EQ(r["messages"].size(), r["prompt"].size() + 1);
        EXPECT_EQ(r["prompt"][0]["role"], "user");
        EXPECT_EQ(r["completion"][0]["role"], "assistant");
        if (r["has_reasoning"].get<bool>()) {
            EXPECT_EQ(content.rfind("<think>\n", 0), 0U);
            EXPECT_NE(content.find("\n</think>\n\n"), std::string::npos);
            EXPECT_NE(format, "omitted");
        } else {
            EXPECT_EQ(content, r["answer_text"].get<std::string>());
            EXPECT_EQ(content.find("<think>"), std::string::npos);
            EXPECT_EQ(r["reasoning"], "");
        }
        EXPECT_EQ(r["reasoning_chars"].get<int64_t>(),
                  static_cast<int64_t>(r["reasoning"].get<std::string>().size()));
        // The §6 id.
        EXPECT_EQ(r["id"], detail::rowId(r["task_id"], r["teacher_model"], r["prompt_template_version"],
                                         r["answer_text"]));
    }
    EXPECT_GT(formats["full"], 0);
    EXPECT_GT(formats["summarized"], 0);
    EXPECT_GT(formats["omitted"], 0);
    EXPECT_GT(formats["redacted"], 0);
}

TEST_F(ExportFixture, NonFiniteSpeedupBecomesSentinelWithReason) {
    const auto out = dir + "/nan";
    exportTo(out, true);
    int found = 0;
    for (const auto& r : readConfig(out, "full")) {
        if (r["failure_reason"].get<std::string>().find("not finite") != std::string::npos) {
            ++found;
            EXPECT_EQ(r["speedup"].get<double>(), -1.0);
        }
    }
    EXPECT_EQ(found, 1);
}

TEST_F(ExportFixture, SplitIsDeterministicByTask) {
    const auto a = dir + "/a";
    const auto b = dir + "/b";
    exportTo(a, true);
    exportTo(b, true);
    for (const auto& f : kDataFiles) {
        EXPECT_EQ(readFile(a + "/" + f), readFile(b + "/" + f)) << f;
    }
    EXPECT_EQ(readFile(a + "/MANIFEST.sha256"), readFile(b + "/MANIFEST.sha256"));
    std::map<std::string, std::string> split_of;
    std::set<std::string> splits;
    for (const auto& r : readConfig(a, "full")) {
        const auto task = r["task_id"].get<std::string>();
        const auto split = r["split"].get<std::string>();
        splits.insert(split);
        EXPECT_EQ(split, detail::splitFor(task, 0.25));
        auto [it, fresh] = split_of.emplace(task, split);
        EXPECT_EQ(it->second, split) << task << " straddles splits";
    }
    EXPECT_EQ(splits.size(), 2U) << "the fixture should give both splits";
    for (const auto& r : readRows(a + "/data/full/validation-00000.jsonl")) {
        EXPECT_EQ(r["split"], "validation");
    }
    EXPECT_EQ(detail::splitFor("anything", 0.0), "train");
    EXPECT_EQ(detail::splitFor("anything", 1.0), "validation");
}

TEST_F(ExportFixture, PreferencePairsSharePromptAndAreCapped) {
    const auto out = dir + "/pref";
    const auto res = exportTo(out);
    const auto full = readConfig(dir + "/pref", "full");
    exportTo(dir + "/pref-all", true);
    std::map<std::string, json> by_id;
    for (const auto& r : readConfig(dir + "/pref-all", "full")) {
        by_id[r["id"].get<std::string>()] = r;
    }
    const auto pairs = readConfig(out, "preference");
    EXPECT_EQ(static_cast<int64_t>(pairs.size()), res.preference_rows);
    ASSERT_FALSE(pairs.empty());
    std::map<std::string, int> per_task;
    const std::set<std::string> reasons = {"compile_error", "incorrect", "anticheat", "slower", "reviewer"};
    std::set<std::string> seen_reasons;
    for (const auto& p : pairs) {
        ++per_task[p["task_id"].get<std::string>()];
        const auto& chosen = by_id.at(p["chosen_id"].get<std::string>());
        const auto& rejected = by_id.at(p["rejected_id"].get<std::string>());
        EXPECT_TRUE(chosen["review_status"] == "accepted" || chosen["review_status"] == "accepted_edited");
        EXPECT_NE(rejected["review_status"], "accepted");
        EXPECT_EQ(chosen["task_id"], p["task_id"]);
        EXPECT_EQ(rejected["task_id"], p["task_id"]);
        EXPECT_EQ(chosen["prompt"], p["prompt"]);
        EXPECT_EQ(rejected["prompt"], p["prompt"]);
        EXPECT_EQ(p["chosen"][0], chosen["completion"][0]);
        EXPECT_EQ(p["rejected"][0], rejected["completion"][0]);
        EXPECT_EQ(p["split"], chosen["split"]);
        EXPECT_TRUE(reasons.count(p["rejected_reason"].get<std::string>()));
        seen_reasons.insert(p["rejected_reason"].get<std::string>());
    }
    for (const auto& [task, n] : per_task) {
        EXPECT_LE(n, 4) << task;
    }
    EXPECT_TRUE(seen_reasons.count("reviewer"));
    EXPECT_TRUE(seen_reasons.count("incorrect"));
    EXPECT_TRUE(seen_reasons.count("compile_error"));
    expectUniform(pairs, "preference");
}

TEST_F(ExportFixture, CardAndManifest) {
    const auto out = dir + "/card";
    const auto res = exportTo(out);
    const auto card = readFile(out + "/README.md");
    EXPECT_EQ(card.rfind("---\n", 0), 0U);
    for (const auto* needle : {"configs:\n", "  - config_name: sft\n    default: true\n",
                               "path: data/full/validation-*.jsonl", "config_name: preference",
                               "license: ", "size_categories: [n<1K]", "## Splits", "## License and terms"}) {
        EXPECT_NE(card.find(needle), std::string::npos) << needle;
    }
    const auto manifest = readFile(out + "/MANIFEST.sha256");
    for (const auto& f : kDataFiles) {
        EXPECT_NE(manifest.find(sha256Hex(readFile(out + "/" + f)) + "  " + f + "\n"), std::string::npos)
            << f;
    }
    EXPECT_EQ(res.files.size(), kDataFiles.size() + 2);
    for (const auto& e : fs::recursive_directory_iterator(out)) {
        EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
    }
}

void expectSameExport(const std::string& a, const std::string& b) {
    for (const auto& f : kDataFiles) {
        const auto x = readFile(a + "/" + f);
        EXPECT_FALSE(x.empty()) << f;
        EXPECT_TRUE(x == readFile(b + "/" + f)) << f << " differs";
    }
    EXPECT_EQ(readFile(a + "/README.md"), readFile(b + "/README.md"));
    EXPECT_EQ(readFile(a + "/MANIFEST.sha256"), readFile(b + "/MANIFEST.sha256"));
}

TEST_F(ExportFixture, RoundTripIsByteIdentical) {
    const auto first = dir + "/first";
    const auto res = exportTo(first, true);
    auto copy = Store::open(dir + "/copy.db");
    const auto imported = importFull(
        copy, {first + "/data/full/train-00000.jsonl", first + "/data/full/validation-00000.jsonl"});
    EXPECT_EQ(imported.rows_read, res.full_rows);
    EXPECT_EQ(imported.attempts_added, res.full_rows);
    EXPECT_EQ(imported.duplicates, 0);
    ExportOptions o;
    o.out_dir = dir + "/second";
    o.include_all = true;
    o.validation_fraction = 0.25;
    exportDataset(copy, o);
    expectSameExport(first, dir + "/second");
    // Importing again adds nothing.
    const auto again = importFull(copy, {first + "/data/full/train-00000.jsonl"});
    EXPECT_EQ(again.attempts_added, 0);
    EXPECT_EQ(again.duplicates, again.rows_read);
}

TEST_F(ExportFixture, MergeOfOverlappingPartsDeduplicates) {
    const auto whole = dir + "/whole";
    const auto res = exportTo(whole, true);
    auto rows = readRows(whole + "/data/full/train-00000.jsonl");
    const auto val = readRows(whole + "/data/full/validation-00000.jsonl");
    // Two shards that overlap in the middle third, as reruns on a cluster produce.
    const auto lines = [&](std::size_t from, std::size_t to) {
        std::string s;
        for (std::size_t i = from; i < to; ++i) {
            s += rows[i].dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
        }
        return s;
    };
    const std::size_t n = rows.size();
    {
        std::ofstream(dir + "/part-0.jsonl") << lines(0, 2 * n / 3);
        std::ofstream(dir + "/part-1.jsonl") << lines(n / 3, n);
    }
    auto merged = Store::open(dir + "/merged.db");
    const auto r = importFull(
        merged, {dir + "/part-0.jsonl", dir + "/part-1.jsonl", whole + "/data/full/validation-00000.jsonl"});
    EXPECT_EQ(r.attempts_added, res.full_rows);
    EXPECT_EQ(r.duplicates, static_cast<int64_t>(2 * n / 3 - n / 3));
    EXPECT_EQ(r.rows_read, r.attempts_added + r.duplicates);
    EXPECT_EQ(static_cast<std::size_t>(r.attempts_added), n + val.size());
    ExportOptions o;
    o.out_dir = dir + "/remerged";
    o.include_all = true;
    o.validation_fraction = 0.25;
    exportDataset(merged, o);
    expectSameExport(whole, dir + "/remerged");
}

TEST_F(ExportFixture, LargeFilesRollOverToShards) {
    const auto one = dir + "/one";
    exportTo(one, true);
    ExportOptions o;
    o.out_dir = dir + "/sharded";
    o.include_all = true;
    o.validation_fraction = 0.25;
    o.max_shard_bytes = 64 * 1024;
    const auto res = exportDataset(*store, o);
    EXPECT_GT(res.files.size(), kDataFiles.size() + 2);
    const auto manifest = readFile(o.out_dir + "/MANIFEST.sha256");
    for (const auto* config : {"sft", "full", "preference"}) {
        for (const auto* split : {"train", "validation"}) {
            std::string joined;
            int shards = 0;
            for (int i = 0;; ++i) {
                char name[64];
                std::snprintf(name, sizeof name, "data/%s/%s-%05d.jsonl", config, split, i);
                if (!fs::exists(o.out_dir + "/" + name)) {
                    break;
                }
                const auto bytes = readFile(o.out_dir + "/" + name);
                EXPECT_TRUE(bytes.size() <= 64 * 1024 || std::count(bytes.begin(), bytes.end(), '\n') == 1)
                    << name;
                EXPECT_NE(manifest.find(sha256Hex(bytes) + "  " + name + "\n"), std::string::npos) << name;
                joined += bytes;
                ++shards;
            }
            EXPECT_GE(shards, 1);
            EXPECT_TRUE(joined == readFile(one + "/data/" + config + "/" + split + "-00000.jsonl"))
                << config << split;
        }
    }
    // A later export into the same directory with fewer shards removes the stale ones.
    o.max_shard_bytes = int64_t{1} << 30;
    exportDataset(*store, o);
    EXPECT_FALSE(fs::exists(o.out_dir + "/data/full/train-00001.jsonl"));
    expectSameExport(one, o.out_dir);
}

TEST_F(ExportFixture, ImportNamesFileAndLine) {
    const auto bad = dir + "/bad.jsonl";
    exportTo(dir + "/ok", true);
    const auto good = readRows(dir + "/ok/data/full/train-00000.jsonl");
    {
        std::ofstream out(bad);
        out << good[0].dump() << "\n{not json\n";
    }
    auto s = Store::open(dir + "/bad.db");
    try {
        importFull(s, {bad});
        FAIL() << "no error";
    } catch (const ExportError& e) {
        EXPECT_NE(std::string(e.what()).find(bad + ":2:"), std::string::npos) << e.what();
    }
    {
        auto row = good[0];
        row.erase("spec_json");
        row["id"] = "other";
        std::ofstream(bad) << row.dump() << "\n";
    }
    try {
        importFull(s, {bad});
        FAIL() << "no error";
    } catch (const ExportError& e) {
        EXPECT_NE(std::string(e.what()).find(bad + ":1: column spec_json"), std::string::npos) << e.what();
    }
}

TEST(ExportRows, ReplaceKernelInAnswer) {
    EXPECT_EQ(detail::replaceKernelInAnswer("intro\n```cuda\nold\n```\nbye", "new"),
              "intro\n```cuda\nnew\n```\nbye");
    EXPECT_EQ(detail::replaceKernelInAnswer("no fence", "k\n"), "no fence\n\n```cuda\nk\n```");
    EXPECT_EQ(detail::lastFencedBlock("a\n```cuda\nbody\n```\n"), "body\n");
    EXPECT_EQ(detail::lastFencedBlock("none"), "");
    EXPECT_EQ(detail::finiteOr(std::numeric_limits<double>::infinity()), -1.0);
}

// SIGKILL the exporter at random points: a file under a final name is always whole and the same as a clean
// export's.
TEST(ExportCrash, NoPartialFileUnderAFinalName) {
    const auto dir = scratchDir("crash");
    {
        auto store = Store::open(dir + "/kf.db");
        testing::FixtureOptions fo;
        fo.specs = 30;
        fo.attempts_per_spec = 20;
        fo.reasoning_bytes = 8000;
        fo.kernel_bytes = 2000;
        fillStore(store, fo);
    }
    ExportOptions o;
    o.include_all = true;
    o.out_dir = dir + "/clean";
    const auto start = std::chrono::steady_clock::now();
    {
        const auto store = Store::open(dir + "/kf.db");
        exportDataset(store, o);
    }
    const auto clean_us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start)
            .count();
    std::cout << "clean export of 600 attempts: " << clean_us / 1000 << " ms\n";
    std::vector<std::string> finals = kDataFiles;
    finals.push_back("README.md");
    finals.push_back("MANIFEST.sha256");
    std::map<std::string, std::string> clean;
    for (const auto& f : finals) {
        clean[f] = readFile(o.out_dir + "/" + f);
    }
    std::mt19937_64 rng(12345);
    int complete = 0;
    int partial = 0;
    for (int round = 0; round < 20; ++round) {
        const auto out = dir + "/round-" + std::to_string(round);
        // Kill anywhere from before the first write to just after the end.
        const auto delay = std::uniform_int_distribution<int64_t>(0, clean_us * 3 / 2 + 1000)(rng);
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            try {
                const auto store = Store::open(dir + "/kf.db");
                ExportOptions co = o;
                co.out_dir = out;
                exportDataset(store, co);
            } catch (...) {
                _exit(3);
            }
            _exit(0);
        }
        usleep(static_cast<useconds_t>(delay));
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        int present = 0;
        for (const auto& f : finals) {
            const auto path = out + "/" + f;
            if (!fs::exists(path)) {
                continue;
            }
            ++present;
            const auto bytes = readFile(path);
            EXPECT_TRUE(bytes == clean.at(f)) << "round " << round << ": " << f << " is partial or differs";
            if (f.ends_with(".jsonl")) {
                std::istringstream in(bytes);
                std::string line;
                while (std::getline(in, line)) {
                    EXPECT_FALSE(json::parse(line, nullptr, false).is_discarded()) << f;
                }
            }
        }
        (present == static_cast<int>(finals.size()) ? complete : partial)++;
    }
    std::cout << "crash rounds: " << complete << " complete, " << partial << " interrupted\n";
    EXPECT_GT(partial, 0);
}

} // namespace
} // namespace kf::dataset
