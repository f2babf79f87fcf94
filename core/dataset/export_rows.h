// SPDX-License-Identifier: MIT
#pragma once

// Building the rows of the `full`, `sft` and `preference` configs from what the store keeps
// (../shared/docs/dataset-format.md §2–§6), written straight as JSON text (json_writer.h) with the same bytes
// an nlohmann::ordered_json of the row would dump. Internal to kf_dataset.

#include "conversation_parts.h"
#include "store.h"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

namespace kf::dataset::detail {

// 8 first bytes of sha256(task_id), big-endian, as a fraction of 2^64: below `validation_fraction` is
// "validation".
std::string splitFor(const std::string& task_id, double validation_fraction);

// §6: sha256 of the canonical JSON array [task_id, teacher_model, prompt_template_version, answer_text].
std::string rowId(const std::string& task_id, const std::string& model, const std::string& template_version,
                  const std::string& answer_text);

// Template "kernel-task/1" -> id "kernel-task" and version "1".
std::pair<std::string, std::string> templateParts(const std::string& prompt_template);

// Finite doubles pass; NaN and infinities become the -1.0 sentinel.
double finiteOr(double v, double sentinel = -1.0);

// Replaces the body of the last fenced code block of `answer` by `kernel` (appends a `cuda` block when there
// is none): the reviewer's kernel wins in accepted_edited rows.
std::string replaceKernelInAnswer(const std::string& answer, const std::string& kernel);
// The body of the last fenced code block, "" when none.
std::string lastFencedBlock(const std::string& text);

// What a row takes from its spec, computed once per spec.
struct SpecInfo {
    std::string task_id;
    std::string split;
    std::string op_category;
    std::string reference_code;
    std::string shapes_json;
    std::string dtype;
    std::string flop_formula;
    std::string byte_formula;
    double rel_l2_tol = -1.0;
    double atol = -1.0;
    double rtol = -1.0;
    double flops = -1.0;
    double bytes = -1.0;
    int64_t n_shapes = 0;
};
SpecInfo specInfo(const SpecRecord& spec, double validation_fraction);

// What an attempt's reviews, kernels and runs decide, without its conversation. Points into the detail.
struct Outcome {
    const ReviewRecord* latest = nullptr;  // the attempt's status
    const KernelRecord* teacher = nullptr; // the teacher's kernel
    const KernelRecord* accepted =
        nullptr;                    // the answer's: the latest review's when it names one, else teacher's
    bool edited = false;            // the answer's kernel is a reviewer's edit
    std::string review_status;      // accepted, accepted_edited, rejected, needs-work, "" (unreviewed)
    const RunRecord* run = nullptr; // the latest run of the answer's kernel
    std::string verdict;            // its verdict: pass, fail, error, "" (never run)
    double speedup = -1.0;
};
Outcome outcomeOf(const AttemptDetail& d);

// The prompt messages as a JSON array ([{"role":..,"content":..},...]).
void appendPromptJson(std::string& out, const ConversationParts& c);

// The text of a row that its sft, full and preference lines share, serialized once.
struct RowText {
    std::string id;             // §6 row id
    std::string answer;         // escaped answer_text (with the reviewer's kernel in edited rows)
    std::string prompt_json;    // appendPromptJson
    std::string assistant_json; // the assistant message, reasoning inline in <think>, a JSON object
};
void rowText(const AttemptDetail& d, const ConversationParts& c, const Outcome& o, const std::string& task_id,
             RowText& out);

// The sft columns of a full row, in order: its first kSftColumns columns.
inline constexpr std::size_t kSftColumns = 7;

// What the dataset card counts of a full row.
struct RowSummary {
    std::size_t sft_bytes = 0; // the sft columns are line[0, sft_bytes), to be closed with '}'
    const char* reasoning_format = "";
    std::string gpu_name;
};

// Writes `full` rows; keeps what repeats from row to row (specs, settings, devices).
class RowBuilder {
public:
    RowBuilder(std::string dataset_version, double validation_fraction);

    const SpecInfo& spec(const SpecRecord& s); // cached by hash

    // Appends the row (no newline) to `line`. `raw_stream` is the attempt's (the detail's is not read).
    RowSummary appendFullRow(std::string& line, const AttemptDetail& d, std::string_view raw_stream,
                             const SpecInfo& spec, const Outcome& o, const ConversationParts& c,
                             const RowText& t);

private:
    struct Device {
        std::string compile_log, compiler, arch, name, driver_version, cuda_version;
        double sm_clock_mhz = -1.0;
    };
    const Device& device(const RunRecord* run);
    const std::string& thinkingDisplay(const std::string& settings_json);

    std::string m_dataset_version;
    double m_validation_fraction;
    std::map<std::string, SpecInfo> m_specs; // by spec hash
    std::string m_settings_json;             // the last settings seen, and their thinking display
    std::string m_display;
    bool m_settings_read = false;
    std::string m_device_json; // the last device seen, and what a row takes of it
    Device m_device;
    bool m_device_read = false;
    std::string m_scratch;
};

// The row id of an attempt, as its export computes it (for import, which finds the ids already stored).
std::string rowIdOf(const AttemptDetail& d, ConversationReader& reader);

} // namespace kf::dataset::detail
