// SPDX-License-Identifier: MIT
#include "dataset_command.h"

#include "dataset/dataset_export.h"
#include "dataset/near_duplicates.h"
#include "dataset/store.h"
#include "output.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

namespace kf::cli {
namespace {

struct DatasetOptions {
    std::string db;
    dataset::AttemptFilter filter;
    int64_t id = 0;
    int rating = 0;
    std::string notes;
    std::string reviewer;
    int64_t kernel_id = 0;
    std::string out;
    std::vector<std::string> configs;
    bool all = false;
    std::string name = "kernelforge-dataset";
    std::string version = "0.1.0";
    std::vector<std::string> files;
    bool json = false;
};

std::string fmtSpeedup(double s) {
    if (s < 0) {
        return "-";
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2fx", s);
    return buf;
}

std::string orDash(const std::string& s) {
    return s.empty() ? "-" : s;
}

// "near duplicates of kernel 7: kernel 3 (attempt 2, 94%), ..." or "" when the kernel has none.
std::string nearDuplicateLine(const dataset::Store& store, const dataset::AttemptDetail& d) {
    if (d.kernels.empty()) {
        return {};
    }
    const auto& k = d.kernels.back();
    const auto found = dataset::nearDuplicates(store, d.spec.hash, k.source, 0.8, k.id);
    if (found.empty()) {
        return {};
    }
    std::string line = "near duplicates of kernel " + std::to_string(k.id) + ":";
    for (std::size_t i = 0; i < found.size() && i < 5; ++i) {
        const auto& n = found[i];
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.0f%%", 100.0 * n.similarity);
        line += std::string(i ? "," : "") + " kernel " + std::to_string(n.kernel.id) +
                (n.kernel.attempt_id ? " (attempt " + std::to_string(*n.kernel.attempt_id) + ", " + pct + ")"
                                     : std::string(" (") + pct + ")");
    }
    if (found.size() > 5) {
        line += " and " + std::to_string(found.size() - 5) + " more";
    }
    return line;
}

// Opens the store for a command; prints the reason and returns nullopt on failure.
std::optional<dataset::Store> openStore(const DatasetOptions& o) {
    try {
        return dataset::Store::open(o.db.empty() ? dataset::Store::defaultPath() : o.db);
    } catch (const dataset::StoreError& e) {
        std::cerr << "kforge: " << e.what() << '\n';
        return std::nullopt;
    }
}

int runList(const DatasetOptions& o) {
    auto store = openStore(o);
    if (!store) {
        return 1;
    }
    try {
        const auto rows = store->list(o.filter);
        const auto total = store->count(o.filter);
        std::ostringstream s;
        char line[512];
        std::snprintf(line, sizeof line, "%7s  %-22s %-28s %-9s %-10s %3s %-7s %8s  %s\n", "id", "spec",
                      "provider/model", "attempt", "review", "rtg", "verdict", "speedup", "created");
        s << line;
        for (const auto& r : rows) {
            const std::string who = r.provider + "/" + r.model;
            std::snprintf(line, sizeof line, "%7lld  %-22.22s %-28.28s %-9s %-10s %3s %-7s %8s  %s\n",
                          static_cast<long long>(r.id), r.spec_id.c_str(), who.c_str(), r.status.c_str(),
                          orDash(r.review_status).c_str(),
                          r.rating > 0 ? std::to_string(r.rating).c_str() : "-", orDash(r.verdict).c_str(),
                          fmtSpeedup(r.speedup).c_str(), r.created_at.c_str());
            s << line;
        }
        s << rows.size() << " of " << total << " attempts (offset " << o.filter.offset << ")\n";
        return writeStdout(s.str(), 0);
    } catch (const dataset::StoreError& e) {
        std::cerr << "kforge: " << e.what() << '\n';
        return 1;
    }
}

int runShow(const DatasetOptions& o) {
    auto store = openStore(o);
    if (!store) {
        return 1;
    }
    const auto detail = store->attempt(o.id);
    if (!detail) {
        std::cerr << "kforge: no attempt " << o.id << " in " << store->path() << '\n';
        return 1;
    }
    const auto& a = detail->attempt;
    std::ostringstream s;
    s << "attempt " << a.id << " · " << detail->spec.spec_id << " · " << a.provider << "/" << a.model << " · "
      << a.status << " · " << a.created_at << "\n";
    s << "tokens: " << a.input_tokens << " in, " << a.output_tokens << " out (" << a.thinking_tokens
      << " thinking) · settings " << a.settings_json << "\n";
    const auto conversation = nlohmann::json::parse(a.conversation_json, nullptr, false);
    if (!conversation.is_discarded() && conversation.contains("turns")) {
        for (const auto& turn : conversation["turns"]) {
            s << "\n── " << turn.value("role", "?") << " ──\n";
            for (const auto& b : turn.value("blocks", nlohmann::json::array())) {
                const auto kind = b.value("kind", "");
                if (kind == "redacted_thinking") {
                    s << "[reasoning redacted by the service]\n";
                } else if (kind == "thinking") {
                    const auto text = b.value("text", "");
                    s << "[thinking]\n" << (text.empty() ? "[omitted by the service]" : text) << "\n";
                } else if (o.json || kind == "text") {
                    s << b.value("text", "") << "\n";
                }
            }
        }
    }
    for (const auto& k : detail->kernels) {
        s << "\nkernel " << k.id << " (" << k.origin << ", " << k.source.size() << " bytes, " << k.created_at
          << ")\n";
    }
    for (const auto& r : detail->runs) {
        s << "run " << r.id << " on kernel " << r.kernel_id << ": " << r.verdict << ", speedup "
          << fmtSpeedup(r.speedup) << ", harness " << r.harness_version << "\n";
    }
    if (const auto line = nearDuplicateLine(*store, *detail); !line.empty()) {
        s << line << "\n";
    }
    for (const auto& r : detail->reviews) {
        s << "review " << r.id << ": " << dataset::reviewStatusName(r.status)
          << (r.rating > 0 ? " rated " + std::to_string(r.rating) : std::string()) << " by " << r.reviewer
          << " at " << r.created_at << (r.notes.empty() ? "" : ": " + r.notes) << "\n";
    }
    return writeStdout(s.str(), 0);
}

int runReview(const DatasetOptions& o, dataset::ReviewStatus status) {
    auto store = openStore(o);
    if (!store) {
        return 1;
    }
    const auto detail = store->attempt(o.id);
    if (!detail) {
        std::cerr << "kforge: no attempt " << o.id << " in " << store->path() << '\n';
        return 1;
    }
    dataset::ReviewRecord r;
    r.attempt_id = o.id;
    if (o.kernel_id > 0) {
        r.kernel_id = o.kernel_id;
    } else if (!detail->kernels.empty()) {
        r.kernel_id = detail->kernels.back().id;
    }
    r.status = status;
    r.rating = o.rating;
    r.notes = o.notes;
    const char* user = std::getenv("USER");
    r.reviewer = !o.reviewer.empty() ? o.reviewer : (user != nullptr ? user : "reviewer");
    try {
        if (status == dataset::ReviewStatus::Accepted) {
            if (const auto line = nearDuplicateLine(*store, *detail); !line.empty()) {
                std::cerr << "kforge: note: " << line << "\n";
            }
        }
        const auto id = store->addReview(r);
        std::cerr << "kforge: attempt " << o.id << " " << dataset::reviewStatusName(status) << " (review "
                  << id << ")\n";
        return 0;
    } catch (const dataset::StoreError& e) {
        std::cerr << "kforge: " << e.what() << '\n';
        return 1;
    }
}

int runExport(const DatasetOptions& o) {
    auto store = openStore(o);
    if (!store) {
        return 1;
    }
    dataset::ExportOptions e;
    e.out_dir = o.out;
    if (!o.configs.empty()) {
        e.configs = o.configs;
    }
    e.filter = o.filter;
    e.include_all = o.all;
    e.name = o.name;
    e.dataset_version = o.version;
    e.progress = [](int64_t done, int64_t total) {
        if (done == total || done % 1000 == 0) {
            std::cerr << "\rkforge: exported " << done << " of " << total << std::flush;
        }
    };
    try {
        const auto r = dataset::exportDataset(*store, e);
        std::cerr << "\nkforge: " << r.sft_rows << " sft, " << r.full_rows << " full, " << r.preference_rows
                  << " preference rows in " << o.out << "\n";
        return 0;
    } catch (const std::exception& ex) {
        std::cerr << "\nkforge: export failed: " << ex.what() << '\n';
        return 1;
    }
}

int runImport(const DatasetOptions& o) {
    auto store = openStore(o);
    if (!store) {
        return 1;
    }
    try {
        const auto r = dataset::importFull(*store, o.files);
        std::cerr << "kforge: " << r.rows_read << " rows read, " << r.attempts_added << " attempts added, "
                  << r.duplicates << " duplicates skipped\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "kforge: import failed: " << e.what() << '\n';
        return 1;
    }
}

int runStats(const DatasetOptions& o) {
    auto store = openStore(o);
    if (!store) {
        return 1;
    }
    const auto s = store->stats();
    std::ostringstream out;
    out << store->path() << " (schema " << store->schemaVersion() << ")\n"
        << "specs " << s.specs << ", attempts " << s.attempts << ", kernels " << s.kernels << ", runs "
        << s.runs << "\nreviews: " << s.accepted << " accepted, " << s.rejected << " rejected, "
        << s.needs_work << " needs work, " << s.unreviewed << " unreviewed\n";
    return writeStdout(out.str(), 0);
}

void addFilters(CLI::App* cmd, DatasetOptions& o) {
    cmd->add_option("--spec", o.filter.spec_id, "Only this spec id");
    cmd->add_option("--status", o.filter.review_status, "accepted, rejected, needs-work or unreviewed")
        ->check(CLI::IsMember({"accepted", "rejected", "needs-work", "unreviewed"}));
    cmd->add_option("--verdict", o.filter.verdict, "pass, fail, error or none (never run)")
        ->check(CLI::IsMember({"pass", "fail", "error", "none"}));
    cmd->add_option("--provider", o.filter.provider, "anthropic, openai, ollama or human");
    cmd->add_option("--model", o.filter.model, "Model id prefix");
    cmd->add_option("--since", o.filter.since, "Created at or after (ISO-8601 date or time)");
    cmd->add_option("--until", o.filter.until, "Created before (ISO-8601 date or time)");
    cmd->add_option("--min-speedup", o.filter.min_speedup,
                    "Latest run at least this fast against the baseline");
    cmd->add_option("--search", o.filter.search,
                    "Full-text search over reasoning, answers and code (FTS5 syntax)");
}

void addReviewOptions(CLI::App* cmd, DatasetOptions& o) {
    cmd->add_option("id", o.id, "Attempt id")->required();
    cmd->add_option("--rating", o.rating, "1 (poor) to 5 (excellent)")->check(CLI::Range(1, 5));
    cmd->add_option("--notes", o.notes, "What a later reader should know");
    cmd->add_option("--reviewer", o.reviewer, "Who reviewed (default: $USER)");
    cmd->add_option("--kernel", o.kernel_id, "The kernel reviewed (default: the attempt's latest)");
}

} // namespace

void addDatasetCommands(CLI::App& app, int& exit_code) {
    auto o = std::make_shared<DatasetOptions>();
    auto* ds = app.add_subcommand("dataset", "Review attempts and export the dataset");
    ds->require_subcommand(1);
    ds->add_option("--db", o->db, "Database file (default: $XDG_DATA_HOME/kernelforge/kernelforge.db)");

    auto* list = ds->add_subcommand("list", "List attempts, newest first");
    addFilters(list, *o);
    list->add_option("--limit", o->filter.limit, "Rows per page")->capture_default_str();
    list->add_option("--offset", o->filter.offset, "Rows to skip")->capture_default_str();
    list->callback([o, &exit_code] { exit_code = runList(*o); });

    auto* show = ds->add_subcommand("show", "Show one attempt: reasoning, answer, kernels, runs, reviews");
    show->add_option("id", o->id, "Attempt id")->required();
    show->callback([o, &exit_code] { exit_code = runShow(*o); });

    auto* accept = ds->add_subcommand("accept", "Accept an attempt into the dataset");
    addReviewOptions(accept, *o);
    accept->callback([o, &exit_code] { exit_code = runReview(*o, dataset::ReviewStatus::Accepted); });
    auto* reject =
        ds->add_subcommand("reject", "Reject an attempt (kept; exported as a preference negative)");
    addReviewOptions(reject, *o);
    reject->callback([o, &exit_code] { exit_code = runReview(*o, dataset::ReviewStatus::Rejected); });
    auto* needs = ds->add_subcommand("needs-work", "Mark an attempt as needing work");
    addReviewOptions(needs, *o);
    needs->callback([o, &exit_code] { exit_code = runReview(*o, dataset::ReviewStatus::NeedsWork); });

    auto* exp = ds->add_subcommand("export", "Write the sft, full and preference configs and a dataset card");
    exp->add_option("--out", o->out, "Output directory")->required();
    exp->add_option("--config", o->configs, "sft, full, preference (default: all three)")
        ->check(CLI::IsMember({"sft", "full", "preference"}))
        ->delimiter(',');
    exp->add_flag("--all", o->all, "Every attempt, not only accepted ones");
    exp->add_option("--name", o->name, "Dataset name for the card")->capture_default_str();
    exp->add_option("--dataset-version", o->version, "Semantic version for the card")->capture_default_str();
    addFilters(exp, *o);
    exp->callback([o, &exit_code] { exit_code = runExport(*o); });

    auto* imp = ds->add_subcommand("import", "Merge `full` JSONL files (cluster shards) into the store");
    imp->add_option("files", o->files, "full-config JSONL files")->required()->check(CLI::ExistingFile);
    imp->callback([o, &exit_code] { exit_code = runImport(*o); });

    auto* stats = ds->add_subcommand("stats", "Counts by kind and review status");
    stats->callback([o, &exit_code] { exit_code = runStats(*o); });
}

} // namespace kf::cli
