// SPDX-License-Identifier: MIT
// Import of `full` rows (the other half of a round trip) and merging of shards by row id.
#include "conversation_parts.h"
#include "dataset_export.h"
#include "export_rows.h"
#include "import_rows.h"

#include <fstream>
#include <limits>
#include <optional>
#include <set>

namespace kf::dataset {

ImportResult importFull(Store& store, const std::vector<std::string>& jsonl_files) {
    ImportResult result;
    // The ids already present: computed from the store's attempts the way export computes them (the store has
    // no column for a row id, and an id is a pure function of what it keeps).
    std::set<std::string> seen;
    detail::ConversationReader conversations;
    AttemptFilter all;
    all.review_status.clear();
    store.forEachAttempt(all, [&](const AttemptDetail& d) {
        seen.insert(detail::rowIdOf(d, conversations));
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
