// SPDX-License-Identifier: MIT
// Dataset store benchmark (issue 4, "Performance"): builds a store of N attempts of realistic size (about 20
// KB of reasoning and 4 KB of code each, varied specs, providers, models, runs and reviews), then measures,
// median of 5 runs each: open + first page, a filtered query, full-text searches. Prints the figures against
// the issue's targets.
//
//   dataset_bench [N=100000] [--db PATH] [--keep] [--export | --export-only] [--rounds R=3]
//
// --export adds the export of the accepted attempts against the sqlite3 shell dumping the same rows as JSON
// (`sqlite3 -readonly -json`: each accepted attempt with its spec, its latest kernel and its runs), run
// alternately, R rounds: the export of config `full` alone (the same rows as the dump) and of all three
// configs, each as a ratio against the shell (median, and the spread of the per-round ratios) against the
// issue's 1.5x, with the CPU time of each and the load average. --export-only skips the query figures.
// With --db PATH and an existing store there, the population step is skipped (only the measurements run).
#include "dataset/dataset_export.h"
#include "dataset/store.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace kf::dataset;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Words with a Zipf-like frequency, as in prose: a few very common, a long tail.
class Vocabulary {
public:
    explicit Vocabulary(std::mt19937_64& rng) {
        static const char* const kSyl[] = {"ka",   "ro",  "mi",  "tel", "sha", "red", "warp",
                                           "tile", "lo",  "ne",  "ex",  "sum", "vec", "blk",
                                           "th",   "reg", "mem", "ld",  "st",  "fma"};
        double total = 0.0;
        for (int i = 0; i < 20000; ++i) {
            std::string w;
            const int n = 1 + static_cast<int>(rng() % 3);
            for (int s = 0; s < n; ++s) {
                w += kSyl[rng() % std::size(kSyl)];
            }
            w += std::to_string(i % 97);
            m_words.push_back(std::move(w));
            total += 1.0 / (i + 1.0);
            m_cdf.push_back(total);
        }
        for (auto& c : m_cdf) {
            c /= total;
        }
    }
    const std::string& pick(std::mt19937_64& rng) const {
        const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
        const auto it = std::lower_bound(m_cdf.begin(), m_cdf.end(), u);
        return m_words[std::min<std::size_t>(static_cast<std::size_t>(it - m_cdf.begin()),
                                             m_words.size() - 1)];
    }
    const std::string& word(std::size_t rank) const { return m_words[rank]; }

private:
    std::vector<std::string> m_words;
    std::vector<double> m_cdf;
};

std::string text(const Vocabulary& v, std::mt19937_64& rng, std::size_t size) {
    std::string out;
    out.reserve(size + 32);
    while (out.size() < size) {
        out += v.pick(rng);
        out += (rng() % 14 == 0) ? ".\n" : " ";
    }
    return out;
}

std::string code(const Vocabulary& v, std::mt19937_64& rng, std::size_t size, int64_t n) {
    std::string out = "#include <cuda_runtime.h>\n__global__ void kernel_" + std::to_string(n) +
                      "(const float* __restrict__ x, float* __restrict__ y, int64_t rows, int64_t cols) {\n";
    while (out.size() < size) {
        out += "    float " + v.pick(rng) + " = __shfl_xor_sync(0xffffffff, " + v.pick(rng) + ", " +
               std::to_string(rng() % 32) + "); // " + v.pick(rng) + "\n";
    }
    return out + "}\n";
}

std::string conversation(const std::string& reasoning, const std::string& answer) {
    using ojson = nlohmann::ordered_json;
    const auto block = [](const char* kind, const std::string& t, const char* sig) {
        return ojson{{"kind", kind}, {"text", t}, {"signature", sig}, {"data", ""}, {"raw", ""}};
    };
    ojson user{{"role", "user"},
               {"blocks", ojson::array({block("text", "Write kf_launch for this spec.", "")})}};
    ojson assistant{{"role", "assistant"},
                    {"blocks", ojson::array({block("thinking", reasoning, "EqQBCkYIARgCIkBsig"),
                                             block("text", answer, "")})},
                    {"status", "complete"},
                    {"stop_reason", "end_turn"},
                    {"usage", {{"input_tokens", 1500}, {"output_tokens", 7000}, {"thinking_tokens", 5000}}}};
    return ojson{{"format", "kernelforge.conversation/1"}, {"turns", ojson::array({user, assistant})}}.dump();
}

std::string isoTime(int64_t seconds_since_2026) {
    const std::time_t t = 1767225600 + seconds_since_2026; // 2026-01-01T00:00:00Z
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

constexpr const char* kRareWord = "swizzledtiling"; // planted in 1% of the reasoning

void populate(const std::string& path, int64_t n) {
    auto store = Store::open(path);
    std::mt19937_64 rng(42);
    const Vocabulary vocab(rng);
    std::vector<std::string> specs;
    static const char* const kCats[] = {"reduction", "matmul", "elementwise", "attention", "scan"};
    for (int i = 0; i < 200; ++i) {
        const std::string id = "spec-" + std::to_string(i);
        specs.push_back(store.putSpec(
            {"", id, nlohmann::json{{"id", id}, {"params", {"rows", "cols"}}}.dump(), kCats[i % 5]}));
    }
    struct Teacher {
        const char* provider;
        const char* model;
    };
    static const Teacher kTeachers[] = {
        {"anthropic", "claude-sonnet-4-5"}, {"anthropic", "claude-opus-4-1"}, {"openai", "gpt-5"},
        {"openai", "gpt-5-mini"},           {"ollama", "qwen3-coder:30b"},    {"ollama", "deepseek-r1:70b"}};
    const auto t0 = Clock::now();
    for (int64_t i = 0; i < n; ++i) {
        const Teacher& t = kTeachers[rng() % std::size(kTeachers)];
        std::string reasoning = text(vocab, rng, 20 * 1024);
        if (rng() % 100 == 0) {
            reasoning += std::string(" ") + kRareWord + " ";
        }
        const std::string src = code(vocab, rng, 4 * 1024, i);
        AttemptRecord a;
        a.spec_hash = specs[rng() % specs.size()];
        a.provider = t.provider;
        a.model = t.model;
        a.settings_json = R"({"thinking":"enabled","budget_tokens":16000,"max_tokens":32000})";
        a.conversation_json = conversation(reasoning, "The kernel:\n```cuda\n" + src + "```\n");
        a.raw_stream = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        a.prompt_template = "kernel-task/1";
        a.status = rng() % 20 == 0 ? "failed" : "complete";
        a.input_tokens = 1500;
        a.output_tokens = 7000;
        a.thinking_tokens = 5000;
        a.created_at = isoTime(i * 60);
        a.generation_run = "slurm:1234_" + std::to_string(i % 64);
        const int64_t aid = store.addAttempt(a);

        KernelRecord k;
        k.attempt_id = aid;
        k.source = src;
        k.created_at = a.created_at;
        const int64_t kid = store.addKernel(k);
        if (rng() % 10 < 8) {
            RunRecord r;
            r.kernel_id = kid;
            r.device_json = R"({"name":"NVIDIA H100 80GB HBM3","cc":"9.0","sms":132})";
            r.harness_version = "h1";
            const auto v = rng() % 10;
            r.verdict = v < 6 ? "pass" : (v < 9 ? "fail" : "error");
            r.speedup = r.verdict == "pass" ? 0.2 + static_cast<double>(rng() % 400) / 100.0 : -1.0;
            r.events_json = R"([{"event":"done","verdict":")" + r.verdict + R"("}])";
            r.created_at = a.created_at;
            store.addRun(r);
        }
        if (rng() % 2 == 0) {
            ReviewRecord r;
            r.attempt_id = aid;
            r.kernel_id = kid;
            const auto s = rng() % 3;
            r.status =
                s == 0 ? ReviewStatus::Accepted : (s == 1 ? ReviewStatus::Rejected : ReviewStatus::NeedsWork);
            r.rating = 1 + static_cast<int>(rng() % 5);
            r.reviewer = "rev" + std::to_string(rng() % 4);
            r.notes = "checked";
            r.created_at = a.created_at;
            store.addReview(r);
        }
        if ((i + 1) % 10000 == 0) {
            std::printf("  %lld attempts, %.1f s\n", static_cast<long long>(i + 1), msSince(t0) / 1000.0);
            std::fflush(stdout);
        }
    }
    const double s = msSince(t0) / 1000.0;
    std::printf("populated %lld attempts in %.1f s (%.2f ms per attempt with its kernel, run and review; one "
                "transaction per add* call)\n",
                static_cast<long long>(n), s, 1000.0 * s / static_cast<double>(n));
}

struct Figure {
    double median = 0, min = 0, max = 0;
};

Figure measure(const std::function<void()>& fn) {
    std::vector<double> ms;
    for (int i = 0; i < 5; ++i) {
        const auto t0 = Clock::now();
        fn();
        ms.push_back(msSince(t0));
    }
    std::sort(ms.begin(), ms.end());
    return {ms[2], ms.front(), ms.back()};
}

// The accepted attempts with everything an export row is made of, as the sqlite3 shell writes JSON.
const char* const kSqliteDumpSql =
    "SELECT a.id, a.provider, a.model, a.prompt_template, a.status, a.input_tokens, a.output_tokens, "
    "a.thinking_tokens, a.created_at, a.generation_run, a.review_status, a.rating, a.verdict, a.speedup, "
    "a.settings_json, a.conversation_json, s.spec_id, s.category, s.json AS spec_json, "
    "(SELECT k.source FROM kernels k WHERE k.attempt_id = a.id ORDER BY k.id DESC LIMIT 1) AS source, "
    "(SELECT json_group_array(json_object('verdict', r.verdict, 'speedup', r.speedup, 'device', "
    "r.device_json, "
    "'events', r.events_json)) FROM runs r JOIN kernels k2 ON r.kernel_id = k2.id WHERE k2.attempt_id = "
    "a.id) "
    "AS runs, "
    "(SELECT json_group_array(json_object('status', v.status, 'rating', v.rating, 'notes', v.notes)) "
    "FROM reviews v WHERE v.attempt_id = a.id) AS reviews "
    "FROM attempts a JOIN specs s ON s.hash = a.spec_hash WHERE a.review_status = 'accepted' ORDER BY a.id";

// CPU seconds (user + system) of this process, or of its waited-for children.
double cpuSeconds(int who) {
    rusage ru{};
    ::getrusage(who, &ru);
    const auto s = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
    };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

std::string loadAverage() {
    double l[3] = {0, 0, 0};
    if (::getloadavg(l, 3) != 3) {
        return "?";
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f %.2f %.2f", l[0], l[1], l[2]);
    return buf;
}

// Timed runs of one contender: wall-clock ms and CPU seconds each.
struct Runs {
    std::vector<double> ms;
    std::vector<double> cpu_s;
    void add(double wall_ms, double cpu) {
        ms.push_back(wall_ms);
        cpu_s.push_back(cpu);
    }
};

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void printRuns(const char* what, const Runs& r) {
    const auto [lo, hi] = std::minmax_element(r.ms.begin(), r.ms.end());
    std::printf("%-58s median %8.1f ms  (min %8.1f, max %8.1f)  cpu %5.1f s\n", what, median(r.ms), *lo, *hi,
                median(r.cpu_s));
}

// Ratio of medians, and the spread of the per-round ratios (round i of each side ran back to back).
void printRatio(const char* what, const Runs& ours, const Runs& shell) {
    std::vector<double> per_round;
    for (std::size_t i = 0; i < ours.ms.size(); ++i) {
        per_round.push_back(ours.ms[i] / shell.ms[i]);
    }
    const auto [lo, hi] = std::minmax_element(per_round.begin(), per_round.end());
    const double ratio = median(ours.ms) / median(shell.ms);
    std::printf("%-40s %.2fx  (per round %.2fx .. %.2fx)  target <= 1.5x  %s\n", what, ratio, *lo, *hi,
                ratio <= 1.5 ? "OK" : "MISS");
}

// The export against the sqlite3 shell, alternating, `rounds` rounds: per round the shell's dump, the export
// of config `full` alone (the same rows with the same content as the dump: like with like) and the export of
// all three configs (sft and full each carry every row's reasoning: ~4x the bytes of the dump). Before each
// timed run, sync(2), untimed: what the previous run left to write back (the shell's dump is not fsynced; the
// export's files are) would otherwise compete for the disk with the next one.
void exportComparison(const std::string& path, const fs::path& work, int rounds) {
    const fs::path sqlite_out = work / "sqlite-dump.json";
    const std::string cmd =
        "sqlite3 -readonly -json '" + path + "' \"" + kSqliteDumpSql + "\" > '" + sqlite_out.string() + "'";
    Runs shell, full, all;
    ExportResult last_full, last_all;
    int64_t full_bytes = 0, all_bytes = 0;
    const auto exportOnce = [&](const std::vector<std::string>& configs, Runs& runs, ExportResult& last,
                                int64_t& bytes, const std::string& dir) {
        auto store = Store::open(path);
        ExportOptions options;
        options.out_dir = dir;
        options.configs = configs;
        ::sync();
        const double c0 = cpuSeconds(RUSAGE_SELF);
        const auto t0 = Clock::now();
        last = exportDataset(store, options);
        runs.add(msSince(t0), cpuSeconds(RUSAGE_SELF) - c0);
        std::error_code ec;
        bytes = 0;
        for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
            if (e.is_regular_file(ec)) {
                bytes += static_cast<int64_t>(e.file_size(ec));
            }
        }
        fs::remove_all(dir, ec);
    };
    const std::string load_before = loadAverage();
    for (int i = 0; i < rounds; ++i) {
        ::sync();
        const double c0 = cpuSeconds(RUSAGE_CHILDREN);
        const auto t0 = Clock::now();
        if (std::system(cmd.c_str()) != 0) {
            throw std::runtime_error("the sqlite3 shell failed: " + cmd.substr(0, 200));
        }
        shell.add(msSince(t0), cpuSeconds(RUSAGE_CHILDREN) - c0);
        const auto dir = (work / ("export-" + std::to_string(i))).string();
        exportOnce({"full"}, full, last_full, full_bytes, dir);
        exportOnce({"sft", "full", "preference"}, all, last_all, all_bytes, dir);
    }
    std::error_code ec;
    const double dump_mb = static_cast<double>(fs::file_size(sqlite_out, ec)) / 1e6;
    fs::remove(sqlite_out, ec);
    std::printf("export of the accepted rows, %d rounds alternating (load average before %s, after %s)\n",
                rounds, load_before.c_str(), loadAverage().c_str());
    char what[160];
    std::snprintf(what, sizeof what, "sqlite3 -json of the accepted rows (%.0f MB)", dump_mb);
    printRuns(what, shell);
    std::snprintf(what, sizeof what, "export --config full (%lld rows, %.0f MB)",
                  static_cast<long long>(last_full.full_rows), static_cast<double>(full_bytes) / 1e6);
    printRuns(what, full);
    std::snprintf(what, sizeof what, "export, all configs (%lld+%lld+%lld rows, %.0f MB)",
                  static_cast<long long>(last_all.sft_rows), static_cast<long long>(last_all.full_rows),
                  static_cast<long long>(last_all.preference_rows), static_cast<double>(all_bytes) / 1e6);
    printRuns(what, all);
    printRatio("export full / sqlite3 (same rows)", full, shell);
    printRatio("export all configs / sqlite3", all, shell);
}

void report(const char* what, const Figure& f, double target_ms, const std::string& note) {
    std::printf("%-44s median %9.2f ms  (min %8.2f, max %8.2f)  target < %6.0f ms  %s  %s\n", what, f.median,
                f.min, f.max, target_ms, f.median < target_ms ? "OK  " : "MISS", note.c_str());
}

void queryFigures(const std::string& path) {
    std::size_t rows = 0;
    const auto open_page = measure([&] {
        auto store = Store::open(path);
        AttemptFilter f;
        f.limit = 50;
        rows = store.list(f).size();
    });
    report("open + first page (list, limit 50)", open_page, 1000, std::to_string(rows) + " rows");

    auto store = Store::open(path);
    AttemptFilter filtered;
    filtered.spec_id = "spec-17";
    filtered.review_status = "accepted";
    filtered.min_speedup = 1.5;
    const auto fq = measure([&] { rows = store.list(filtered).size(); });
    report("filtered (spec + accepted + speedup>=1.5)", fq, 100,
           std::to_string(rows) + " rows of " + std::to_string(store.count(filtered)));
    const auto fc = measure([&] { rows = static_cast<std::size_t>(store.count(filtered)); });
    report("  count() of the same filter", fc, 100, "");

    AttemptFilter rare;
    rare.search = kRareWord;
    const auto fr = measure([&] { rows = store.list(rare).size(); });
    report("FTS, rare word (1% of attempts), page", fr, 200,
           std::to_string(rows) + " rows of " + std::to_string(store.count(rare)));
    AttemptFilter code;
    code.search = "kernel_4242";
    const auto fcode = measure([&] { rows = store.list(code).size(); });
    report("FTS, identifier in one kernel, page", fcode, 200, std::to_string(rows) + " rows");
    AttemptFilter common;
    common.search = "shfl_xor_sync_absent OR __shfl_xor_sync";
    const auto fcommon = measure([&] { rows = store.list(common).size(); });
    report("FTS, word in every attempt, page", fcommon, 200,
           std::to_string(rows) + " rows of " + std::to_string(store.count(common)));
    AttemptFilter combo = filtered;
    combo.search = kRareWord;
    const auto fcombo = measure([&] { rows = store.list(combo).size(); });
    report("FTS rare word + filters, page", fcombo, 200, std::to_string(rows) + " rows");
}

} // namespace

int main(int argc, char** argv) {
    int64_t n = 100000;
    std::string path;
    bool keep = false;
    bool export_too = false;
    bool export_only = false;
    int rounds = 3;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--export") {
            export_too = true;
        } else if (a == "--db" && i + 1 < argc) {
            path = argv[++i];
        } else if (a == "--export-only") {
            export_too = export_only = true;
        } else if (a == "--rounds" && i + 1 < argc) {
            rounds = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--keep") {
            keep = true;
        } else {
            n = std::strtoll(a.c_str(), nullptr, 10);
        }
    }
    fs::path tmpdir;
    if (path.empty()) {
        std::string tmpl = (fs::temp_directory_path() / "kf-dataset-bench-XXXXXX").string();
        if (!mkdtemp(tmpl.data())) {
            std::perror("mkdtemp");
            return 1;
        }
        tmpdir = tmpl;
        path = (tmpdir / "kf.db").string();
    }
    try {
        if (!fs::exists(path)) {
            populate(path, n);
        }
        std::error_code ec;
        const auto bytes = fs::file_size(path, ec) + fs::file_size(path + "-wal", ec);
        int64_t attempts = 0;
        {
            auto store = Store::open(path);
            attempts = store.stats().attempts;
        }
        std::printf("store %s: %lld attempts, %.2f GB (warm page cache)\n", path.c_str(),
                    static_cast<long long>(attempts), static_cast<double>(bytes) / 1e9);

        if (!export_only) {
            queryFigures(path);
        }
        if (export_too) {
            exportComparison(path, fs::path(path).parent_path(), rounds);
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "dataset_bench: %s\n", e.what());
        return 1;
    }
    if (!tmpdir.empty() && !keep) {
        std::error_code ec;
        fs::remove_all(tmpdir, ec);
    } else {
        std::printf("kept %s\n", path.c_str());
    }
    return 0;
}
