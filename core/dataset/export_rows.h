// SPDX-License-Identifier: MIT
#pragma once

// Building the rows of the `full`, `sft` and `preference` configs from what the store keeps
// (../shared/docs/dataset-format.md §2–§6). Internal to kf_dataset.

#include "store.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace kf::dataset::detail {

using ojson = nlohmann::ordered_json;

// What one attempt contributes to the export, computed once.
struct AttemptRow {
    ojson full;                // every `full` column, in a fixed order
    std::string id;            // §6 row id
    std::string task_id;       // spec id
    std::string split;         // train or validation
    std::string prompt_key;    // sha256 of the prompt turns: pairs share it
    std::string review_status; // accepted, accepted_edited, rejected, needs-work, "" (unreviewed)
    std::string verdict;       // latest run of the answer's kernel: pass, fail, error, ""
    double speedup = -1.0;
};

// 8 first bytes of sha256(task_id), big-endian, as a fraction of 2^64: below `validation_fraction` is
// "validation".
std::string splitFor(const std::string& task_id, double validation_fraction);

// §6: sha256 of the canonical JSON array [task_id, teacher_model, prompt_template_version, answer_text].
std::string rowId(const std::string& task_id, const std::string& model, const std::string& template_version,
                  const std::string& answer_text);

AttemptRow buildRow(const AttemptDetail& d, const std::string& dataset_version, double validation_fraction);

// The sft columns of a full row, in order: its first kSftColumns columns.
inline constexpr std::size_t kSftColumns = 7;
ojson sftRow(const ojson& full);

// The assistant turn of a full row in the inline `<think>` form.
ojson assistantMessage(const ojson& full);

// Finite doubles pass; NaN and infinities become the -1.0 sentinel.
double finiteOr(double v, double sentinel = -1.0);

// Replaces the body of the last fenced code block of `answer` by `kernel` (appends a `cuda` block when there
// is none): the reviewer's kernel wins in accepted_edited rows.
std::string replaceKernelInAnswer(const std::string& answer, const std::string& kernel);
// The body of the last fenced code block, "" when none.
std::string lastFencedBlock(const std::string& text);

// The kernelforge.conversation/1 JSON and the records an imported `full` row stands for. Throws
// std::runtime_error naming the column at fault.
struct ImportedRow {
    SpecRecord spec;
    AttemptRecord attempt;
    std::string teacher_kernel; // "" when the row has no separate teacher kernel
    std::string answer_kernel;  // kernel_code
    bool edited = false;
    nlohmann::json reviews; // review_history_json
    nlohmann::json runs;    // runs_json
};
ImportedRow parseFullRow(const nlohmann::json& row);

inline constexpr const char* kImportedRawPrefix = "kernelforge.imported-raw-stream/1 sha256=";

} // namespace kf::dataset::detail
