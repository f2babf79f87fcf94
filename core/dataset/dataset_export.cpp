// SPDX-License-Identifier: MIT
#include "dataset_export.h"

#include "card.h"
#include "export_rows.h"
#include "io/atomic_file.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <unistd.h>

namespace kf::dataset {

namespace {

using detail::ojson;
namespace fs = std::filesystem;

using io::AtomicFile;

// The shards of one config and split: <split>-00000.jsonl, -00001, ... each at most max_bytes (a longer
// single row gets a shard of its own). Each shard is committed when the next one starts.
class ShardWriter {
public:
    ShardWriter(std::string out_dir, std::string config, std::string split, int64_t max_bytes)
        : m_out(std::move(out_dir))
        , m_config(std::move(config))
        , m_split(std::move(split))
        , m_max(static_cast<std::size_t>(std::max<int64_t>(max_bytes, 1))) {}

    void write(const std::string& line) {
        if (m_file && m_bytes > 0 && m_bytes + line.size() > m_max) {
            commit();
        }
        if (!m_file) {
            open();
        }
        m_file->write(line);
        m_bytes += line.size();
    }
    void writeLine(const ojson& row) {
        write(row.dump(-1, ' ', false, ojson::error_handler_t::replace) + "\n");
    }

    // Commits the last shard (an empty -00000 when nothing was written); returns relative path -> sha256.
    const std::vector<std::pair<std::string, std::string>>& finish() {
        if (!m_file) {
            open();
        }
        commit();
        return m_done;
    }

    // Shards of this split left by an earlier export, beyond the ones just written.
    void removeStale() const {
        std::error_code ec;
        for (const auto& e : fs::directory_iterator(m_out + "/data/" + m_config, ec)) {
            const auto name = e.path().filename().string();
            const auto prefix = m_split + "-";
            if (name.size() == prefix.size() + 11 && name.rfind(prefix, 0) == 0 && name.ends_with(".jsonl") &&
                std::all_of(name.begin() + static_cast<std::ptrdiff_t>(prefix.size()), name.end() - 6,
                            [](char c) { return c >= '0' && c <= '9'; }) &&
                std::stoi(name.substr(prefix.size(), 5)) >= m_index) {
                fs::remove(e.path(), ec);
            }
        }
    }

private:
    std::string name(int index) const {
        char buf[16];
        std::snprintf(buf, sizeof buf, "%05d", index);
        return m_split + "-" + buf + ".jsonl";
    }
    void open() {
        m_file = std::make_unique<AtomicFile>(m_out + "/data/" + m_config, name(m_index));
        m_bytes = 0;
    }
    void commit() {
        m_done.emplace_back("data/" + m_config + "/" + name(m_index), m_file->commit());
        m_file.reset();
        ++m_index;
    }

    std::string m_out;
    std::string m_config;
    std::string m_split;
    std::size_t m_max;
    std::unique_ptr<AtomicFile> m_file;
    std::size_t m_bytes = 0;
    int m_index = 0;
    std::vector<std::pair<std::string, std::string>> m_done;
};

bool wants(const ExportOptions& o, const char* config) {
    return std::find(o.configs.begin(), o.configs.end(), config) != o.configs.end();
}

bool isAccepted(const std::string& review_status) {
    return review_status == "accepted" || review_status == "accepted_edited";
}

// Which rows go to sft/full: accepted ones unless include_all, or the status the filter asks for.
bool included(const ExportOptions& o, const detail::AttemptRow& row) {
    if (o.include_all) {
        return true;
    }
    const auto& want = o.filter.review_status;
    if (want.empty() || want == "accepted") {
        return isAccepted(row.review_status);
    }
    if (want == "unreviewed") {
        return row.review_status.empty();
    }
    return row.review_status == want;
}

// A candidate answer of a preference group: enough to find it again.
struct Candidate {
    int64_t attempt_id = 0;
    std::string reason; // rejected only
};

struct Group {
    std::vector<Candidate> chosen;
    std::vector<Candidate> rejected;
};

std::string rejectedReason(const detail::AttemptRow& row) {
    if (row.review_status == "rejected") {
        return "reviewer";
    }
    if (!row.review_status.empty() && row.review_status != "needs-work") {
        return "";
    }
    if (row.verdict == "error") {
        return "compile_error";
    }
    if (row.verdict == "fail") {
        return "incorrect";
    }
    return "";
}

constexpr int kMaxPairsPerTask = 4;

std::string dump(const ojson& j) {
    return j.dump(-1, ' ', false, ojson::error_handler_t::replace);
}

// The sft and full lines of a row, each ending in '\n'. The sft columns are the first columns of a full row,
// in the same order, so they are serialized once and reused as the head of the full line (the bytes are those
// of dumping each row whole). Moves the values out of `full`.
std::pair<std::string, std::string> dumpRows(ojson& full) {
    ojson head = ojson::object();
    ojson tail = ojson::object();
    std::size_t i = 0;
    for (auto it = full.begin(); it != full.end(); ++it, ++i) {
        (i < detail::kSftColumns ? head : tail)[it.key()] = std::move(it.value());
    }
    std::string sft = dump(head);
    std::string rest = dump(tail);
    std::string line = sft;
    line.pop_back(); // '}'
    line += ',';
    line.append(rest, 1, std::string::npos);
    line += '\n';
    sft += '\n';
    return {std::move(sft), std::move(line)};
}

} // namespace

namespace {

ExportResult exportFiles(const Store& store, const ExportOptions& options) {
    if (options.out_dir.empty()) {
        throw ExportError("export: no output directory");
    }
    for (const auto& c : options.configs) {
        if (c != "sft" && c != "full" && c != "preference") {
            throw ExportError("export: unknown config \"" + c + "\" (sft, full, preference)");
        }
    }
    const std::string splits[] = {"train", "validation"};
    std::error_code ec;
    for (const auto& c : options.configs) {
        fs::create_directories(fs::path(options.out_dir) / "data" / c, ec);
        if (ec) {
            throw ExportError("cannot create " + options.out_dir + "/data/" + c + ": " + ec.message());
        }
    }

    // One writer per config and split, all written in one pass.
    std::map<std::string, std::unique_ptr<ShardWriter>> files; // "sft/train" -> its shards
    for (const auto& c : options.configs) {
        for (const auto& s : splits) {
            files[c + "/" + s] =
                std::make_unique<ShardWriter>(options.out_dir, c, s, options.max_shard_bytes);
        }
    }

    ExportResult result;
    detail::CardStats stats;
    stats.name = options.name;
    stats.dataset_version = options.dataset_version;

    // Preference candidates need rejected attempts too: iterate with the filter minus its review status and
    // decide per row.
    AttemptFilter iter = options.filter;
    iter.review_status.clear();
    if (!options.include_all && !options.filter.review_status.empty() && !wants(options, "preference")) {
        iter.review_status = options.filter.review_status;
    }
    const int64_t total = store.count(iter);
    int64_t done = 0;
    std::map<std::string, Group> groups; // task_id + prompt key, ordered: deterministic output
    std::set<std::string> tasks;

    store.forEachAttempt(iter, [&](const AttemptDetail& d) {
        auto row = detail::buildRow(d, options.dataset_version, options.validation_fraction);
        if (included(options, row)) {
            stats.add(row);
            tasks.insert(row.task_id);
            const auto [sft, full] = dumpRows(row.full);
            if (wants(options, "full")) {
                files["full/" + row.split]->write(full);
                ++result.full_rows;
            }
            if (wants(options, "sft")) {
                files["sft/" + row.split]->write(sft);
                ++result.sft_rows;
            }
        }
        if (wants(options, "preference")) {
            const auto key = row.task_id + '\x1f' + row.prompt_key;
            if (isAccepted(row.review_status)) {
                groups[key].chosen.push_back({d.attempt.id, ""});
            } else if (auto reason = rejectedReason(row); !reason.empty()) {
                groups[key].rejected.push_back({d.attempt.id, reason});
            }
        }
        ++done;
        if (options.progress) {
            options.progress(done, total);
        }
        return true;
    });

    // Pairs: per task and prompt, chosen x rejected in store order, at most kMaxPairsPerTask per task.
    std::map<std::string, int> pairs_per_task;
    for (const auto& [key, g] : groups) {
        const auto task_id = key.substr(0, key.find('\x1f'));
        int& n = pairs_per_task[task_id];
        if (g.chosen.empty() || g.rejected.empty() || n >= kMaxPairsPerTask) {
            continue;
        }
        std::map<int64_t, detail::AttemptRow> rows; // this group's rows, built once
        auto rowOf = [&](int64_t id) -> const detail::AttemptRow& {
            auto it = rows.find(id);
            if (it == rows.end()) {
                const auto d = store.attempt(id);
                if (!d) {
                    throw ExportError("export: attempt " + std::to_string(id) + " vanished during export");
                }
                it = rows.emplace(id,
                                  detail::buildRow(*d, options.dataset_version, options.validation_fraction))
                         .first;
            }
            return it->second;
        };
        for (const auto& c : g.chosen) {
            for (const auto& r : g.rejected) {
                if (n >= kMaxPairsPerTask) {
                    break;
                }
                const auto& cr = rowOf(c.attempt_id);
                const auto& rr = rowOf(r.attempt_id);
                ojson p = ojson::object();
                p["prompt"] = cr.full["prompt"];
                p["chosen"] = ojson::array({detail::assistantMessage(cr.full)});
                p["rejected"] = ojson::array({detail::assistantMessage(rr.full)});
                p["chosen_id"] = cr.id;
                p["rejected_id"] = rr.id;
                p["task_id"] = cr.task_id;
                p["split"] = cr.split;
                p["dataset_version"] = options.dataset_version;
                p["rejected_reason"] = r.reason;
                p["margin_speedup"] =
                    cr.speedup > 0.0 && rr.speedup > 0.0 ? detail::finiteOr(cr.speedup / rr.speedup) : -1.0;
                files["preference/" + cr.split]->writeLine(p);
                ++result.preference_rows;
                ++n;
            }
        }
    }
    stats.tasks = static_cast<int64_t>(tasks.size());
    stats.preference_rows = result.preference_rows;

    // Data files first, then the card, then the manifest: a complete manifest means a complete export.
    std::map<std::string, std::string> sums; // relative path -> sha256
    for (auto& [key, file] : files) {
        for (const auto& [rel, sum] : file->finish()) {
            sums[rel] = sum;
            result.files.push_back(rel);
        }
        file->removeStale();
        file.reset();
    }
    {
        AtomicFile card(options.out_dir, "README.md");
        card.write(detail::datasetCard(stats, options.configs));
        card.commit();
        result.files.push_back("README.md");
    }
    {
        AtomicFile manifest(options.out_dir, "MANIFEST.sha256");
        for (const auto& [rel, sum] : sums) {
            manifest.write(sum + "  " + rel + "\n");
        }
        manifest.commit();
        result.files.push_back("MANIFEST.sha256");
    }
    return result;
}

} // namespace

ExportResult exportDataset(const Store& store, const ExportOptions& options) {
    try {
        return exportFiles(store, options);
    } catch (const io::FileError& e) {
        throw ExportError(e.what());
    }
}

ImportResult importFull(Store& store, const std::vector<std::string>& jsonl_files) {
    ImportResult result;
    // The ids already present: computed from the store's attempts the way export computes them (the store has
    // no column for a row id, and an id is a pure function of what it keeps).
    std::set<std::string> seen;
    AttemptFilter all;
    all.review_status.clear();
    store.forEachAttempt(all, [&](const AttemptDetail& d) {
        seen.insert(detail::buildRow(d, "", 0.0).id);
        return true;
    });

    for (const auto& path : jsonl_files) {
        std::ifstream in(path, std::ios::binary);
        if (!in) {
            throw ExportError(path + ": cannot open");
        }
        std::string line;
        int64_t lineno = 0;
        while (std::getline(in, line)) {
            ++lineno;
            if (line.empty()) {
                continue;
            }
            const auto where = path + ":" + std::to_string(lineno) + ": ";
            const auto row = nlohmann::json::parse(line, nullptr, false);
            if (row.is_discarded()) {
                throw ExportError(where + "not valid JSON");
            }
            ++result.rows_read;
            std::string id;
            detail::ImportedRow r;
            try {
                if (!row.is_object() || !row.contains("id") || !row["id"].is_string()) {
                    throw std::runtime_error("column id: missing or not a string");
                }
                id = row["id"].get<std::string>();
                if (seen.count(id) != 0) {
                    ++result.duplicates;
                    continue;
                }
                r = detail::parseFullRow(row);
            } catch (const std::runtime_error& e) {
                throw ExportError(where + e.what());
            }
            try {
                store.putSpec(r.spec);
                const auto attempt_id = store.addAttempt(r.attempt);
                const auto created = r.attempt.created_at;
                std::optional<int64_t> teacher_id;
                std::optional<int64_t> answer_id;
                if (r.edited && !r.teacher_kernel.empty()) {
                    teacher_id = store.addKernel(
                        KernelRecord{0, attempt_id, r.spec.hash, r.teacher_kernel, "", "teacher", created});
                }
                if (!r.answer_kernel.empty()) {
                    answer_id = store.addKernel(KernelRecord{0, attempt_id, r.spec.hash, r.answer_kernel, "",
                                                             r.edited ? "edited" : "teacher", created});
                }
                auto kernelFor = [&](const std::string& role) -> std::optional<int64_t> {
                    if (role == "accepted") {
                        return answer_id;
                    }
                    if (role == "teacher") {
                        return teacher_id ? teacher_id : answer_id;
                    }
                    return std::nullopt;
                };
                for (const auto& rj : r.runs) {
                    const auto kid = kernelFor(rj.value("kernel", ""));
                    if (!kid) {
                        continue;
                    }
                    RunRecord run;
                    run.kernel_id = *kid;
                    run.device_json = rj.value("device_json", "");
                    run.harness_version = rj.value("harness_version", "");
                    run.events_json = rj.value("events_json", "");
                    run.verdict = rj.value("verdict", "");
                    run.speedup = rj.value("speedup_finite", true) ? rj.value("speedup", -1.0)
                                                                   : std::numeric_limits<double>::infinity();
                    run.created_at = rj.value("created_at", "");
                    store.addRun(run);
                }
                for (const auto& vj : r.reviews) {
                    const auto status = parseReviewStatus(vj.value("status", ""));
                    if (!status) {
                        throw ExportError(where + "review_history_json: unknown status");
                    }
                    ReviewRecord review;
                    review.attempt_id = attempt_id;
                    review.kernel_id = kernelFor(vj.value("kernel", ""));
                    review.status = *status;
                    review.rating = vj.value("rating", 0);
                    review.notes = vj.value("notes", "");
                    review.reviewer = vj.value("reviewer", "");
                    review.created_at = vj.value("created_at", "");
                    store.addReview(review);
                }
            } catch (const StoreError& e) {
                throw ExportError(where + e.what());
            } catch (const nlohmann::json::exception& e) {
                throw ExportError(where + e.what());
            }
            seen.insert(id);
            ++result.attempts_added;
        }
    }
    return result;
}

} // namespace kf::dataset
