// SPDX-License-Identifier: MIT
#include "import_rows.h"

#include "export_rows.h"
#include "store.h"

#include <stdexcept>

namespace kf::dataset::detail {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;

json parseOr(const std::string& text, json fallback) {
    if (text.empty()) {
        return fallback;
    }
    auto j = json::parse(text, nullptr, false);
    return j.is_discarded() ? fallback : j;
}

template <typename T>
T col(const json& row, const char* key) {
    const auto it = row.find(key);
    if (it == row.end()) {
        throw std::runtime_error(std::string("column ") + key + ": missing");
    }
    try {
        return it->get<T>();
    } catch (const json::exception&) {
        throw std::runtime_error(std::string("column ") + key + ": wrong type");
    }
}

} // namespace

ImportedRow parseFullRow(const json& row) {
    if (!row.is_object()) {
        throw std::runtime_error("not a JSON object");
    }
    ImportedRow r;
    r.spec.json = col<std::string>(row, "spec_json");
    r.spec.hash = sha256Hex(r.spec.json);
    r.spec.spec_id = col<std::string>(row, "task_id");
    r.spec.category = col<std::string>(row, "op_category");

    auto& a = r.attempt;
    a.spec_hash = r.spec.hash;
    a.provider = col<std::string>(row, "teacher_provider");
    a.model = col<std::string>(row, "teacher_model");
    a.settings_json = col<std::string>(row, "teacher_params_json");
    a.status = col<std::string>(row, "attempt_status");
    a.input_tokens = col<int64_t>(row, "input_tokens");
    a.output_tokens = col<int64_t>(row, "output_tokens");
    a.thinking_tokens = col<int64_t>(row, "reasoning_tokens");
    a.created_at = col<std::string>(row, "generated_at");
    a.generation_run = col<std::string>(row, "generation_run");
    const auto tid = col<std::string>(row, "prompt_template_id");
    const auto tver = col<std::string>(row, "prompt_template_version");
    a.prompt_template = tver.empty() ? tid : tid + "/" + tver;
    const auto raw_sha = col<std::string>(row, "raw_stream_sha256");
    a.raw_stream = raw_sha.empty() ? "" : kImportedRawPrefix + raw_sha;

    r.edited = col<bool>(row, "edited");
    r.answer_kernel = col<std::string>(row, "kernel_code");
    const auto answer =
        r.edited ? col<std::string>(row, "original_answer") : col<std::string>(row, "answer_text");
    if (r.edited) {
        r.teacher_kernel = lastFencedBlock(answer);
    }

    // The conversation: the prompt turns, then the assistant turn with its reasoning and answer. Signatures
    // and redacted payloads are never exported, so they come back empty.
    ojson turns = ojson::array();
    for (const auto& m : col<json>(row, "prompt")) {
        const auto role = col<std::string>(m, "role");
        ojson t{{"role", role},
                {"blocks", ojson::array({ojson{{"kind", "text"},
                                               {"text", col<std::string>(m, "content")},
                                               {"signature", ""},
                                               {"data", ""},
                                               {"raw", ""}}})}};
        turns.push_back(std::move(t));
    }
    ojson blocks = ojson::array();
    const auto format = col<std::string>(row, "reasoning_format");
    const auto reasoning = col<std::string>(row, "reasoning");
    if (format == "redacted") {
        blocks.push_back(
            {{"kind", "redacted_thinking"}, {"text", ""}, {"signature", ""}, {"data", ""}, {"raw", ""}});
    }
    if (!reasoning.empty()) {
        blocks.push_back(
            {{"kind", "thinking"}, {"text", reasoning}, {"signature", ""}, {"data", ""}, {"raw", ""}});
    }
    blocks.push_back({{"kind", "text"}, {"text", answer}, {"signature", ""}, {"data", ""}, {"raw", ""}});
    ojson assistant{{"role", "assistant"},
                    {"blocks", blocks},
                    {"status", a.status == "complete" ? "complete" : a.status},
                    {"model", a.model},
                    {"message_id", ""},
                    {"stop_reason", col<std::string>(row, "stop_reason")},
                    {"stop_details", ""},
                    {"request_id", col<std::string>(row, "request_id")},
                    {"error_type", ""},
                    {"error", ""},
                    {"usage",
                     {{"input_tokens", a.input_tokens},
                      {"output_tokens", a.output_tokens},
                      {"thinking_tokens", a.thinking_tokens},
                      {"cache_read_tokens", -1},
                      {"cache_write_tokens", -1}}}};
    turns.push_back(std::move(assistant));
    a.conversation_json = ojson{{"format", "kernelforge.conversation/1"}, {"turns", turns}}.dump(
        -1, ' ', false, json::error_handler_t::replace);

    r.reviews = parseOr(col<std::string>(row, "review_history_json"), json::array());
    r.runs = parseOr(col<std::string>(row, "runs_json"), json::array());
    if (!r.reviews.is_array() || !r.runs.is_array()) {
        throw std::runtime_error("column review_history_json or runs_json: not a JSON array");
    }
    return r;
}

} // namespace kf::dataset::detail
