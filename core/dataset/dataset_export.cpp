// SPDX-License-Identifier: MIT
#include "dataset_export.h"

#include "card.h"
#include "conversation_parts.h"
#include "export_reader.h"
#include "export_rows.h"
#include "import_rows.h"
#include "io/atomic_file.h"
#include "json_writer.h"
#include "sha256.h"
#include "shard_writer.h"

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

namespace fs = std::filesystem;

using io::AtomicFile;

bool wants(const ExportOptions& o, const char* config) {
    return std::find(o.configs.begin(), o.configs.end(), config) != o.configs.end();
}

bool isAccepted(const std::string& review_status) {
    return review_status == "accepted" || review_status == "accepted_edited";
}

// Which rows go to sft/full: accepted ones unless include_all, or the status the filter asks for.
bool included(const ExportOptions& o, const std::string& review_status) {
    if (o.include_all) {
        return true;
    }
    const auto& want = o.filter.review_status;
    if (want.empty() || want == "accepted") {
        return isAccepted(review_status);
    }
    if (want == "unreviewed") {
        return review_status.empty();
    }
    return review_status == want;
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

const char* rejectedReason(const detail::Outcome& o) {
    if (o.review_status == "rejected") {
        return "reviewer";
    }
    if (!o.review_status.empty() && o.review_status != "needs-work") {
        return "";
    }
    if (o.verdict == "error") {
        return "compile_error";
    }
    if (o.verdict == "fail") {
        return "incorrect";
    }
    return "";
}

constexpr int kMaxPairsPerTask = 4;

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

    // One writer per config and split, all written in one pass; the files themselves on the workers' threads
    // (declared after the writers, they stop before the writers go).
    std::map<std::string, std::unique_ptr<detail::ShardWriter>> files; // "sft/train" -> its shards
    detail::FileWorker committer;
    detail::FileWorker worker; // posts to the committer: stops first
    for (const auto& c : options.configs) {
        for (const auto& s : splits) {
            files[c + "/" + s] = std::make_unique<detail::ShardWriter>(worker, committer, options.out_dir, c,
                                                                       s, options.max_shard_bytes);
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

    const bool want_full = wants(options, "full");
    const bool want_sft = wants(options, "sft");
    const bool want_preference = wants(options, "preference");
    detail::ExportReader reader(store);
    detail::ConversationReader conversations;
    detail::RowBuilder builder(options.dataset_version, options.validation_fraction);
    detail::ConversationParts parts;
    detail::RowText text;
    std::string line;
    std::string prompt_json;
    // Preference candidates: a chosen one goes to its group now; a rejected one waits in its task's queue,
    // because most are never paired (see below) and reading a prompt costs a conversation.
    std::map<std::string, std::vector<Candidate>> rejected_by_task;
    const auto promptKey = [&](const detail::ConversationParts& c) {
        prompt_json.clear();
        detail::appendPromptJson(prompt_json, c);
        return detail::sha256Of(prompt_json);
    };
    reader.forEach(iter, [&](detail::ExportReader::Attempt& at) {
        const AttemptDetail& d = at.detail();
        if (d.kernels.size() > 1) {
            at.loadAll(); // whether the answer's kernel is an edit compares sources
        }
        const auto outcome = detail::outcomeOf(d);
        const bool row_included = included(options, outcome.review_status);
        const bool chosen = want_preference && isAccepted(outcome.review_status);
        const char* reason = want_preference && !chosen ? rejectedReason(outcome) : "";
        if (row_included || chosen || *reason != '\0') {
            const auto& spec = builder.spec(d.spec);
            if (row_included) {
                at.loadAll();
                conversations.read(at.conversation(), parts);
                detail::rowText(d, parts, outcome, spec.task_id, text);
                // The full row is built in place in its file's buffer (2 GB per 100,000 attempts not copied);
                // the sft row is its head.
                auto* full = want_full ? files["full/" + spec.split].get() : nullptr;
                std::string& out = full != nullptr ? full->beginLine() : line;
                if (full == nullptr) {
                    line.clear();
                }
                const std::size_t start = out.size();
                const auto summary =
                    builder.appendFullRow(out, d, at.rawStream(), spec, outcome, parts, text);
                stats.add(spec.split, summary.reasoning_format, d.attempt.model, summary.gpu_name,
                          outcome.run != nullptr ? outcome.run->harness_version : "");
                tasks.insert(spec.task_id);
                if (want_sft) {
                    files["sft/" + spec.split]->write(
                        std::string_view(out).substr(start, summary.sft_bytes - start), "}\n");
                    ++result.sft_rows;
                }
                if (full != nullptr) {
                    full->endLine("\n");
                    ++result.full_rows;
                }
            }
            if (chosen) {
                if (!row_included) {
                    conversations.read(at.conversation(), parts, true);
                }
                groups[spec.task_id + '\x1f' + promptKey(parts)].chosen.push_back({d.attempt.id, ""});
            } else if (*reason != '\0') {
                rejected_by_task[spec.task_id].push_back({d.attempt.id, reason});
            }
        }
        ++done;
        if (options.progress) {
            options.progress(done, total);
        }
    });

    // The rejected candidates' groups. Pairs of a task come from its groups in key order, chosen x rejected
    // in store order, at most kMaxPairsPerTask: once the task's first group with a chosen answer has that
    // many rejected ones, the later candidates cannot change the pairs, and their prompts are not read.
    // Groups with no chosen answer never pair: their rejected candidates are not kept.
    for (const auto& [task_id, candidates] : rejected_by_task) {
        const auto prefix = task_id + '\x1f';
        const auto first = groups.lower_bound(prefix);
        if (first == groups.end() || first->first.compare(0, prefix.size(), prefix) != 0) {
            continue;
        }
        for (const auto& c : candidates) {
            conversations.read(reader.conversationOf(c.attempt_id), parts, true);
            if (auto it = groups.find(prefix + promptKey(parts)); it != groups.end()) {
                it->second.rejected.push_back(c);
            }
            if (first->second.rejected.size() >= static_cast<std::size_t>(kMaxPairsPerTask)) {
                break;
            }
        }
    }

    // Pairs: per task and prompt, chosen x rejected in store order, at most kMaxPairsPerTask per task.
    struct Side {
        detail::RowText text;
        std::string task_id;
        std::string split;
        double speedup = -1.0;
    };
    std::map<std::string, int> pairs_per_task;
    for (const auto& [key, g] : groups) {
        const auto task_id = key.substr(0, key.find('\x1f'));
        int& n = pairs_per_task[task_id];
        if (g.chosen.empty() || g.rejected.empty() || n >= kMaxPairsPerTask) {
            continue;
        }
        std::map<int64_t, Side> sides; // this group's rows, built once
        auto sideOf = [&](int64_t id) -> const Side& {
            auto it = sides.find(id);
            if (it == sides.end()) {
                auto* at = reader.load(id);
                if (at == nullptr) {
                    throw ExportError("export: attempt " + std::to_string(id) + " vanished during export");
                }
                const AttemptDetail& d = at->detail();
                const auto outcome = detail::outcomeOf(d);
                const auto& spec = builder.spec(d.spec);
                conversations.read(at->conversation(), parts);
                Side side;
                detail::rowText(d, parts, outcome, spec.task_id, side.text);
                side.task_id = spec.task_id;
                side.split = spec.split;
                side.speedup = outcome.speedup;
                it = sides.emplace(id, std::move(side)).first;
            }
            return it->second;
        };
        for (const auto& c : g.chosen) {
            for (const auto& r : g.rejected) {
                if (n >= kMaxPairsPerTask) {
                    break;
                }
                const auto& cr = sideOf(c.attempt_id);
                const auto& rr = sideOf(r.attempt_id);
                line.clear();
                detail::JsonWriter w(line);
                w.beginObject().memberRaw("prompt", cr.text.prompt_json);
                w.key("chosen").beginArray().raw(cr.text.assistant_json).endArray();
                w.key("rejected").beginArray().raw(rr.text.assistant_json).endArray();
                w.member("chosen_id", cr.text.id).member("rejected_id", rr.text.id);
                w.member("task_id", cr.task_id).member("split", cr.split);
                w.member("dataset_version", options.dataset_version).member("rejected_reason", r.reason);
                w.memberReal("margin_speedup", cr.speedup > 0.0 && rr.speedup > 0.0
                                                   ? detail::finiteOr(cr.speedup / rr.speedup)
                                                   : -1.0);
                w.endObject();
                files["preference/" + cr.split]->write(line, "\n");
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
        file->finish();
    }
    worker.drain();
    committer.drain();
    for (auto& [key, file] : files) {
        for (const auto& [rel, sum] : file->done()) {
            sums[rel] = sum;
            result.files.push_back(rel);
        }
        file->removeStale();
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

} // namespace kf::dataset
