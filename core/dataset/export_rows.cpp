// SPDX-License-Identifier: MIT
#include "export_rows.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace kf::dataset::detail {

namespace {

using json = nlohmann::json;

json parseOr(const std::string& text, json fallback) {
    if (text.empty()) {
        return fallback;
    }
    auto j = json::parse(text, nullptr, false);
    return j.is_discarded() ? fallback : j;
}

std::string str(const json& j, const char* key) {
    if (j.is_object()) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_string()) {
            return it->get<std::string>();
        }
    }
    return {};
}

double num(const json& j, const char* key) {
    if (j.is_object()) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_number()) {
            return finiteOr(it->get<double>());
        }
    }
    return -1.0;
}

std::string dumpCompact(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Text of the blocks of one kind in a conversation turn, joined.
std::string blocksText(const json& turn, const char* kind) {
    std::string out;
    if (!turn.is_object() || !turn.contains("blocks") || !turn["blocks"].is_array()) {
        return out;
    }
    for (const auto& b : turn["blocks"]) {
        if (str(b, "kind") == kind) {
            out += str(b, "text");
        }
    }
    return out;
}

bool hasBlock(const json& turn, const char* kind) {
    if (!turn.is_object() || !turn.contains("blocks") || !turn["blocks"].is_array()) {
        return false;
    }
    return std::any_of(turn["blocks"].begin(), turn["blocks"].end(),
                       [&](const json& b) { return str(b, "kind") == kind; });
}

// "display" at the top of the settings or inside a "thinking" object.
std::string thinkingDisplay(const json& settings) {
    auto display = str(settings, "display");
    if (display.empty() && settings.is_object() && settings.contains("thinking")) {
        display = str(settings["thinking"], "display");
    }
    return display;
}

const KernelRecord* kernelById(const AttemptDetail& d, std::optional<int64_t> id) {
    if (!id) {
        return nullptr;
    }
    for (const auto& k : d.kernels) {
        if (k.id == *id) {
            return &k;
        }
    }
    return nullptr;
}

const KernelRecord* teacherKernel(const AttemptDetail& d) {
    const KernelRecord* found = nullptr;
    for (const auto& k : d.kernels) {
        if (k.origin == "teacher" ||
            (found == nullptr && k.attempt_id == d.attempt.id && k.origin != "edited")) {
            found = &k;
        }
    }
    return found;
}

const RunRecord* latestRun(const AttemptDetail& d, const KernelRecord* k) {
    const RunRecord* r = nullptr;
    if (k == nullptr) {
        return r;
    }
    for (const auto& run : d.runs) {
        if (run.kernel_id == k->id) {
            r = &run;
        }
    }
    return r;
}

std::string kernelRole(const KernelRecord* accepted, const KernelRecord* teacher, std::optional<int64_t> id) {
    if (!id) {
        return "";
    }
    if (accepted != nullptr && accepted->id == *id) {
        return "accepted";
    }
    if (teacher != nullptr && teacher->id == *id) {
        return "teacher";
    }
    return "other";
}

ojson message(const char* role, std::string content) {
    return ojson{{"role", role}, {"content", std::move(content)}};
}

} // namespace

double finiteOr(double v, double sentinel) {
    return std::isfinite(v) ? v : sentinel;
}

std::string splitFor(const std::string& task_id, double validation_fraction) {
    const auto hex = sha256Hex(task_id);
    const uint64_t h = std::stoull(hex.substr(0, 16), nullptr, 16);
    // 2^64 as a double is exact; the fraction lies in [0, 1).
    const double frac = static_cast<double>(h) / 18446744073709551616.0;
    return frac < validation_fraction ? "validation" : "train";
}

std::string rowId(const std::string& task_id, const std::string& model, const std::string& template_version,
                  const std::string& answer_text) {
    const json arr = json::array({task_id, model, template_version, answer_text});
    return sha256Hex(dumpCompact(arr));
}

std::string lastFencedBlock(const std::string& text) {
    const auto close = text.rfind("\n```");
    if (close == std::string::npos) {
        return {};
    }
    const auto open = text.rfind("```", close == 0 ? 0 : close - 1);
    if (open == std::string::npos || open >= close) {
        return {};
    }
    const auto body = text.find('\n', open);
    if (body == std::string::npos || body > close) {
        return {};
    }
    return text.substr(body + 1, close - body);
}

std::string replaceKernelInAnswer(const std::string& answer, const std::string& kernel) {
    std::string k = kernel;
    if (!k.empty() && k.back() != '\n') {
        k.push_back('\n');
    }
    const auto close = answer.rfind("\n```");
    if (close != std::string::npos && close > 0) {
        const auto open = answer.rfind("```", close - 1);
        if (open != std::string::npos) {
            const auto body = answer.find('\n', open);
            if (body != std::string::npos && body <= close) {
                return answer.substr(0, body + 1) + k + answer.substr(close + 1);
            }
        }
    }
    std::string out = answer;
    if (!out.empty()) {
        out += "\n\n";
    }
    return out + "```cuda\n" + k + "```";
}

ojson assistantMessage(const ojson& full) {
    const auto& reasoning = full["reasoning"].get_ref<const std::string&>();
    const auto& answer = full["answer_text"].get_ref<const std::string&>();
    if (reasoning.empty()) {
        return message("assistant", answer);
    }
    return message("assistant", "<think>\n" + reasoning + "\n</think>\n\n" + answer);
}

AttemptRow buildRow(const AttemptDetail& d, const std::string& dataset_version, double validation_fraction) {
    const auto& a = d.attempt;
    const json conv = parseOr(a.conversation_json, json::object());
    const json spec = parseOr(d.spec.json, json::object());
    const json settings = parseOr(a.settings_json, json::object());
    static const json kEmptyArray = json::array();
    static const json kEmptyObject = json::object();
    const json& turns =
        conv.is_object() && conv.contains("turns") && conv["turns"].is_array() ? conv["turns"] : kEmptyArray;

    // The answer is the last assistant turn; everything before it is the prompt.
    std::size_t last_assistant = turns.size();
    for (std::size_t i = turns.size(); i-- > 0;) {
        if (str(turns[i], "role") == "assistant") {
            last_assistant = i;
            break;
        }
    }
    const json& answer_turn = last_assistant < turns.size() ? turns[last_assistant] : kEmptyObject;
    ojson prompt = ojson::array();
    std::string task_prompt;
    for (std::size_t i = 0; i < std::min(last_assistant, turns.size()); ++i) {
        const auto role = str(turns[i], "role");
        const auto text = blocksText(turns[i], "text");
        if (role == "user" && task_prompt.empty()) {
            task_prompt = text;
        }
        prompt.push_back(message(role == "assistant" ? "assistant"
                                 : role == "system"  ? "system"
                                                     : "user",
                                 text));
    }

    // §5 reasoning_format.
    std::string reasoning = blocksText(answer_turn, "thinking");
    std::string reasoning_format;
    if (hasBlock(answer_turn, "redacted_thinking")) {
        reasoning_format = "redacted";
    } else if (reasoning.empty()) {
        reasoning_format = "omitted";
    } else if (thinkingDisplay(settings) == "summarized") {
        reasoning_format = "summarized";
    } else {
        reasoning_format = "full";
    }

    // The answer's kernel: the latest review's when it names one, else the teacher's.
    const ReviewRecord* latest = d.reviews.empty() ? nullptr : &d.reviews.back();
    const KernelRecord* teacher = teacherKernel(d);
    const KernelRecord* accepted = latest != nullptr ? kernelById(d, latest->kernel_id) : nullptr;
    const bool from_review = accepted != nullptr;
    if (accepted == nullptr) {
        accepted = teacher != nullptr ? teacher : (d.kernels.empty() ? nullptr : &d.kernels.back());
    }
    const bool edited =
        from_review && accepted != teacher &&
        (accepted->origin == "edited" || teacher == nullptr || teacher->source != accepted->source);
    const std::string teacher_answer = blocksText(answer_turn, "text");
    const std::string answer_text =
        edited ? replaceKernelInAnswer(teacher_answer, accepted->source) : teacher_answer;

    std::string review_status;
    if (latest != nullptr) {
        review_status = reviewStatusName(latest->status);
        if (latest->status == ReviewStatus::Accepted && edited) {
            review_status = "accepted_edited";
        }
    }
    // Agreement between reviewers: each reviewer's latest verdict against the attempt's; -1.0 with fewer than
    // two reviewers (one reviewer changing their mind is not a disagreement).
    double agreement = -1.0;
    std::map<std::string, ReviewStatus> by_reviewer;
    for (const auto& r : d.reviews) {
        by_reviewer[r.reviewer] = r.status;
    }
    if (by_reviewer.size() >= 2) {
        const auto same = std::count_if(by_reviewer.begin(), by_reviewer.end(),
                                        [&](const auto& e) { return e.second == latest->status; });
        agreement = static_cast<double>(same) / static_cast<double>(by_reviewer.size());
    }
    std::vector<std::string> tags;

    const RunRecord* run = latestRun(d, accepted);
    const json device = run != nullptr ? parseOr(run->device_json, json::object()) : json::object();

    // Template "kernel-task/1" -> id and version.
    std::string template_id = a.prompt_template;
    std::string template_version;
    if (const auto slash = template_id.rfind('/'); slash != std::string::npos) {
        template_version = template_id.substr(slash + 1);
        template_id.resize(slash);
    }

    const std::string task_id = d.spec.spec_id.empty() ? str(spec, "id") : d.spec.spec_id;
    AttemptRow row;
    row.task_id = task_id;
    row.id = rowId(task_id, a.model, template_version, answer_text);
    row.split = splitFor(task_id, validation_fraction);
    row.prompt_key = sha256Hex(prompt.dump(-1, ' ', false, ojson::error_handler_t::replace));
    row.review_status = review_status;
    row.verdict = run != nullptr ? run->verdict : "";
    row.speedup = run != nullptr ? finiteOr(run->speedup) : -1.0;

    const json& tolerance = spec.is_object() && spec.contains("tolerance") ? spec["tolerance"] : kEmptyObject;
    const json& sizes =
        spec.is_object() && spec.contains("sizes") && spec["sizes"].is_array() ? spec["sizes"] : kEmptyArray;
    std::string dtype;
    if (spec.is_object() && spec.contains("inputs") && spec["inputs"].is_array() && !spec["inputs"].empty()) {
        dtype = str(spec["inputs"][0], "dtype");
    }
    const double flops = sizes.empty() ? -1.0 : num(sizes[0], "flops");
    const double bytes = sizes.empty() ? -1.0 : num(sizes[0], "bytes");

    // Review history and runs, as JSON strings, so that an import restores what the store kept.
    json history = json::array();
    for (const auto& r : d.reviews) {
        history.push_back({{"status", reviewStatusName(r.status)},
                           {"rating", r.rating},
                           {"notes", r.notes},
                           {"reviewer", r.reviewer},
                           {"created_at", r.created_at},
                           {"kernel", kernelRole(accepted, teacher, r.kernel_id)}});
    }
    json runs = json::array();
    for (const auto& r : d.runs) {
        const auto role = kernelRole(accepted, teacher, r.kernel_id);
        if (role == "other") {
            continue; // runs of kernels that are neither the answer's nor the teacher's are not exported
        }
        runs.push_back({{"kernel", role},
                        {"device_json", r.device_json},
                        {"harness_version", r.harness_version},
                        {"events_json", r.events_json},
                        {"verdict", r.verdict},
                        {"speedup", finiteOr(r.speedup)},
                        {"speedup_finite", std::isfinite(r.speedup)},
                        {"created_at", r.created_at}});
    }

    std::string raw_sha;
    if (a.raw_stream.rfind(kImportedRawPrefix, 0) == 0) {
        raw_sha = a.raw_stream.substr(std::string(kImportedRawPrefix).size());
    } else if (!a.raw_stream.empty()) {
        raw_sha = sha256Hex(a.raw_stream);
    }

    std::string failure_reason;
    if (run != nullptr && !std::isfinite(run->speedup)) {
        failure_reason = "speedup not finite; written as -1.0";
    } else if (run != nullptr && run->verdict != "pass") {
        failure_reason = run->verdict;
    }
    std::string compile_log = str(device, "compile_log");
    if (compile_log.size() > 16384) {
        compile_log.resize(16384);
    }

    ojson f = ojson::object();
    // sft
    f["id"] = row.id;
    f["task_id"] = task_id;
    f["messages"] = ojson::array();
    f["prompt"] = prompt;
    f["completion"] = ojson::array();
    f["has_reasoning"] = !reasoning.empty();
    f["reasoning_format"] = reasoning_format;
    // dataset
    f["split"] = row.split;
    f["dataset_version"] = dataset_version;
    // task
    f["task_source"] = "internal";
    f["task_level"] = int64_t{-1}; // not kept by the store
    f["op_category"] = d.spec.category.empty() ? str(spec, "category") : d.spec.category;
    f["task_prompt"] = task_prompt;
    f["spec_json"] = d.spec.json;
    f["reference_code"] = str(spec, "reference");
    f["reference_lang"] = "cuda";
    f["shapes_json"] = dumpCompact(sizes);
    f["dtype"] = dtype;
    // teacher output
    f["reasoning"] = reasoning;
    f["reasoning_tokens"] = a.thinking_tokens;
    f["reasoning_chars"] = static_cast<int64_t>(reasoning.size());
    f["answer_text"] = answer_text;
    f["kernel_code"] = accepted != nullptr ? accepted->source : "";
    f["entry_point"] = "";        // not kept by the store
    f["launch_config_json"] = ""; // not kept by the store
    f["stop_reason"] = str(answer_turn, "stop_reason");
    f["input_tokens"] = a.input_tokens;
    f["output_tokens"] = a.output_tokens;
    // build: only what a run says; the store keeps no compiler details (sentinels).
    f["compile_ok"] = run != nullptr && run->verdict != "error";
    f["compiler"] = str(device, "compiler");
    f["compile_flags"] = "";
    f["target_arch"] = str(device, "arch");
    f["compile_log"] = compile_log;
    f["regs_per_thread"] = int64_t{-1};
    f["smem_bytes"] = int64_t{-1};
    f["spill_bytes"] = int64_t{-1};
    // correctness: verdict and the spec's tolerances; per-trial figures are in runs_json's events.
    f["correct"] = run != nullptr && run->verdict == "pass";
    f["rel_l2_worst"] = -1.0;
    f["max_abs_diff"] = -1.0;
    f["max_rel_diff"] = -1.0;
    f["rel_l2_tol"] = num(tolerance, "rel_l2");
    f["atol"] = num(tolerance, "atol");
    f["rtol"] = num(tolerance, "rtol");
    f["n_correct_trials"] = int64_t{-1};
    f["seeds"] = ojson::array();
    f["n_shapes"] = static_cast<int64_t>(sizes.size());
    f["anticheat_checks"] = ojson::array();
    f["anticheat_passed"] = false;
    f["failure_reason"] = failure_reason;
    // performance: the speedup and the device; the detailed statistics stay in runs_json's events.
    f["timing_method"] = "";
    f["runtime_median_ms"] = -1.0;
    f["runtime_iqr_ms"] = -1.0;
    f["runtime_min_ms"] = -1.0;
    f["runtime_mean_ms"] = -1.0;
    f["runtime_sem_ms"] = -1.0;
    f["n_samples"] = int64_t{-1};
    f["noise_rel"] = -1.0;
    f["converged"] = false;
    f["baseline_name"] = run != nullptr ? "reference" : "";
    f["baseline_median_ms"] = -1.0;
    f["speedup"] = row.speedup;
    f["per_shape_json"] = "";
    f["gpu_name"] = str(device, "name");
    f["sm_clock_mhz"] = num(device, "sm_clock_mhz");
    f["throttled"] = false;
    f["gpu_clock_locked"] = false;
    f["driver_version"] = str(device, "driver_version");
    f["cuda_version"] = str(device, "cuda_version");
    // roofline: formulas and headline-size figures from the spec; achieved figures are not kept.
    f["flop_formula"] = str(spec, "flops");
    f["byte_formula"] = str(spec, "bytes");
    f["flops"] = flops;
    f["bytes_algorithmic"] = bytes;
    f["bytes_measured"] = -1.0;
    f["ai_algorithmic"] = flops > 0.0 && bytes > 0.0 ? finiteOr(flops / bytes) : -1.0;
    f["ai_measured"] = -1.0;
    f["achieved_tflops"] = -1.0;
    f["achieved_gbps"] = -1.0;
    f["pct_peak_compute"] = -1.0;
    f["pct_peak_bw"] = -1.0;
    f["ceilings_profile_id"] = "";
    f["ncu_metrics_json"] = "";
    // review
    f["review_status"] = review_status;
    f["review_rating"] = latest != nullptr && latest->rating > 0 ? int64_t{latest->rating} : int64_t{-1};
    f["review_tags"] = tags;
    f["review_comment"] = latest != nullptr ? latest->notes : "";
    f["reviewer"] = latest != nullptr ? latest->reviewer : "";
    f["reviewed_at"] = latest != nullptr ? latest->created_at : "";
    f["edited"] = edited;
    f["original_answer_sha256"] = edited ? sha256Hex(teacher_answer) : "";
    f["n_reviews"] = static_cast<int64_t>(d.reviews.size());
    f["review_agreement"] = agreement;
    // provenance
    f["teacher_provider"] = a.provider;
    f["teacher_model"] = a.model;
    f["teacher_params_json"] = a.settings_json;
    f["request_id"] = str(answer_turn, "request_id");
    f["prompt_template_id"] = template_id;
    f["prompt_template_version"] = template_version;
    f["generated_at"] = a.created_at;
    f["generation_run"] = a.generation_run;
    f["raw_stream_sha256"] = raw_sha;
    f["workbench_version"] = "";
    f["harness_version"] = run != nullptr ? run->harness_version : "";
    f["parent_id"] = "";
    f["source_dataset_revision"] = "";
    // hygiene
    f["exact_hash"] = accepted != nullptr ? normalizedSourceHash(accepted->source) : "";
    f["near_dup_cluster"] = "";
    f["decontam_passed"] = false;
    f["decontam_against"] = ojson::array();
    f["license"] = "";
    f["teacher_terms"] = "";
    // KernelForge extension: what a round trip through `full` needs to restore the store's records.
    f["attempt_status"] = a.status;
    f["original_answer"] = edited ? teacher_answer : "";
    f["review_history_json"] = dumpCompact(history);
    f["runs_json"] = dumpCompact(runs);

    ojson completion = ojson::array({assistantMessage(f)});
    ojson messages = prompt;
    messages.push_back(completion[0]);
    f["messages"] = std::move(messages);
    f["completion"] = std::move(completion);
    f["has_reasoning"] = !reasoning.empty();
    row.full = std::move(f);
    return row;
}

ojson sftRow(const ojson& full) {
    ojson s = ojson::object();
    for (const char* key :
         {"id", "task_id", "messages", "prompt", "completion", "has_reasoning", "reasoning_format"}) {
        s[key] = full[key];
    }
    return s;
}

namespace {

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
