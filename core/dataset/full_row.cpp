// SPDX-License-Identifier: MIT
// The `full` row: every column of ../shared/docs/dataset-format.md, in its fixed order, each with one type
// (sentinels instead of nulls). The sft columns come first, so an sft row is the head of a full row.
#include "export_rows.h"
#include "import_rows.h"
#include "json_writer.h"
#include "sha256.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace kf::dataset::detail {

namespace {

const char* kernelRoleOf(const Outcome& o, std::optional<int64_t> id) {
    if (!id) {
        return "";
    }
    if (o.accepted != nullptr && o.accepted->id == *id) {
        return "accepted";
    }
    if (o.teacher != nullptr && o.teacher->id == *id) {
        return "teacher";
    }
    return "other";
}

// Agreement between reviewers: each reviewer's latest verdict against the attempt's; -1.0 with fewer than two
// reviewers (one reviewer changing their mind is not a disagreement).
double agreementOf(const AttemptDetail& d, const Outcome& o) {
    std::map<std::string, ReviewStatus> by_reviewer;
    for (const auto& r : d.reviews) {
        by_reviewer[r.reviewer] = r.status;
    }
    if (by_reviewer.size() < 2) {
        return -1.0;
    }
    const auto same = std::count_if(by_reviewer.begin(), by_reviewer.end(),
                                    [&](const auto& e) { return e.second == o.latest->status; });
    return static_cast<double>(same) / static_cast<double>(by_reviewer.size());
}

// Review history and runs, as JSON text (keys in sorted order, as nlohmann::json keeps them), so that an
// import restores what the store kept.
void appendHistoryJson(std::string& out, const AttemptDetail& d, const Outcome& o) {
    JsonWriter w(out);
    w.beginArray();
    for (const auto& r : d.reviews) {
        w.beginObject()
            .member("created_at", r.created_at)
            .member("kernel", kernelRoleOf(o, r.kernel_id))
            .member("notes", r.notes)
            .memberInt("rating", r.rating)
            .member("reviewer", r.reviewer)
            .member("status", reviewStatusName(r.status))
            .endObject();
    }
    w.endArray();
}

void appendRunsJson(std::string& out, const AttemptDetail& d, const Outcome& o) {
    JsonWriter w(out);
    w.beginArray();
    for (const auto& r : d.runs) {
        const char* role = kernelRoleOf(o, r.kernel_id);
        if (std::string_view(role) == "other") {
            continue; // runs of kernels that are neither the answer's nor the teacher's are not exported
        }
        w.beginObject()
            .member("created_at", r.created_at)
            .member("device_json", r.device_json)
            .member("events_json", r.events_json)
            .member("harness_version", r.harness_version)
            .member("kernel", role)
            .memberReal("speedup", finiteOr(r.speedup))
            .memberBool("speedup_finite", std::isfinite(r.speedup))
            .member("verdict", r.verdict)
            .endObject();
    }
    w.endArray();
}

} // namespace

RowSummary RowBuilder::appendFullRow(std::string& line, const AttemptDetail& d, std::string_view raw_stream,
                                     const SpecInfo& spec, const Outcome& o, const ConversationParts& c,
                                     const RowText& t) {
    const auto& a = d.attempt;
    const RunRecord* run = o.run;
    const Device& dev = device(run);
    const bool has_reasoning = !c.reasoning.empty();
    RowSummary summary;
    summary.gpu_name = dev.name;
    if (c.redacted) {
        summary.reasoning_format = "redacted";
    } else if (!has_reasoning) {
        summary.reasoning_format = "omitted";
    } else if (thinkingDisplay(a.settings_json) == "summarized") {
        summary.reasoning_format = "summarized";
    } else {
        summary.reasoning_format = "full";
    }
    const auto [template_id, template_version] = templateParts(a.prompt_template);

    JsonWriter w(line);
    w.beginObject();
    // sft
    w.member("id", t.id).member("task_id", spec.task_id);
    w.key("messages").beginArray(); // the prompt's messages, then the answer
    if (t.prompt_json.size() > 2) {
        w.raw(std::string_view(t.prompt_json).substr(1, t.prompt_json.size() - 2));
    }
    w.raw(t.assistant_json).endArray();
    w.memberRaw("prompt", t.prompt_json);
    w.key("completion").beginArray().raw(t.assistant_json).endArray();
    w.memberBool("has_reasoning", has_reasoning).member("reasoning_format", summary.reasoning_format);
    summary.sft_bytes = line.size();
    // dataset
    w.member("split", spec.split).member("dataset_version", m_dataset_version);
    // task
    w.member("task_source", "internal").memberInt("task_level", -1); // not kept by the store
    w.member("op_category", spec.op_category).memberEscaped("task_prompt", c.task_prompt);
    w.member("spec_json", d.spec.json).member("reference_code", spec.reference_code);
    w.member("reference_lang", "cuda").member("shapes_json", spec.shapes_json).member("dtype", spec.dtype);
    // teacher output
    w.memberEscaped("reasoning", c.reasoning).memberInt("reasoning_tokens", a.thinking_tokens);
    w.memberInt("reasoning_chars", static_cast<int64_t>(c.reasoning_bytes))
        .memberEscaped("answer_text", t.answer);
    w.member("kernel_code",
             o.accepted != nullptr ? std::string_view(o.accepted->source) : std::string_view());
    w.member("entry_point", "").member("launch_config_json", ""); // not kept by the store
    w.member("stop_reason", c.stop_reason).memberInt("input_tokens", a.input_tokens);
    w.memberInt("output_tokens", a.output_tokens);
    // build: only what a run says; the store keeps no compiler details (sentinels).
    w.memberBool("compile_ok", run != nullptr && run->verdict != "error").member("compiler", dev.compiler);
    w.member("compile_flags", "").member("target_arch", dev.arch).member("compile_log", dev.compile_log);
    w.memberInt("regs_per_thread", -1).memberInt("smem_bytes", -1).memberInt("spill_bytes", -1);
    // correctness: verdict and the spec's tolerances; per-trial figures are in runs_json's events.
    w.memberBool("correct", run != nullptr && run->verdict == "pass");
    w.memberReal("rel_l2_worst", -1.0).memberReal("max_abs_diff", -1.0).memberReal("max_rel_diff", -1.0);
    w.memberReal("rel_l2_tol", spec.rel_l2_tol).memberReal("atol", spec.atol).memberReal("rtol", spec.rtol);
    w.memberInt("n_correct_trials", -1).memberRaw("seeds", "[]").memberInt("n_shapes", spec.n_shapes);
    w.memberRaw("anticheat_checks", "[]").memberBool("anticheat_passed", false);
    if (run != nullptr && !std::isfinite(run->speedup)) {
        w.member("failure_reason", "speedup not finite; written as -1.0");
    } else {
        w.member("failure_reason",
                 run != nullptr && run->verdict != "pass" ? std::string_view(run->verdict) : "");
    }
    // performance: the speedup and the device; the detailed statistics stay in runs_json's events.
    w.member("timing_method", "").memberReal("runtime_median_ms", -1.0).memberReal("runtime_iqr_ms", -1.0);
    w.memberReal("runtime_min_ms", -1.0)
        .memberReal("runtime_mean_ms", -1.0)
        .memberReal("runtime_sem_ms", -1.0);
    w.memberInt("n_samples", -1).memberReal("noise_rel", -1.0).memberBool("converged", false);
    w.member("baseline_name", run != nullptr ? "reference" : "").memberReal("baseline_median_ms", -1.0);
    w.memberReal("speedup", o.speedup).member("per_shape_json", "").member("gpu_name", dev.name);
    w.memberReal("sm_clock_mhz", dev.sm_clock_mhz).memberBool("throttled", false);
    w.memberBool("gpu_clock_locked", false).member("driver_version", dev.driver_version);
    w.member("cuda_version", dev.cuda_version);
    // roofline: formulas and headline-size figures from the spec; achieved figures are not kept.
    w.member("flop_formula", spec.flop_formula).member("byte_formula", spec.byte_formula);
    w.memberReal("flops", spec.flops).memberReal("bytes_algorithmic", spec.bytes);
    w.memberReal("bytes_measured", -1.0);
    w.memberReal("ai_algorithmic",
                 spec.flops > 0.0 && spec.bytes > 0.0 ? finiteOr(spec.flops / spec.bytes) : -1.0);
    w.memberReal("ai_measured", -1.0).memberReal("achieved_tflops", -1.0).memberReal("achieved_gbps", -1.0);
    w.memberReal("pct_peak_compute", -1.0).memberReal("pct_peak_bw", -1.0);
    w.member("ceilings_profile_id", "").member("ncu_metrics_json", "");
    // review
    const ReviewRecord* latest = o.latest;
    w.member("review_status", o.review_status);
    w.memberInt("review_rating",
                latest != nullptr && latest->rating > 0 ? int64_t{latest->rating} : int64_t{-1});
    w.memberRaw("review_tags", "[]");
    w.member("review_comment", latest != nullptr ? std::string_view(latest->notes) : "");
    w.member("reviewer", latest != nullptr ? std::string_view(latest->reviewer) : "");
    w.member("reviewed_at", latest != nullptr ? std::string_view(latest->created_at) : "");
    w.memberBool("edited", o.edited);
    w.member("original_answer_sha256", o.edited ? sha256Of(unescape(c.answer)) : "");
    w.memberInt("n_reviews", static_cast<int64_t>(d.reviews.size()));
    w.memberReal("review_agreement", agreementOf(d, o));
    // provenance
    w.member("teacher_provider", a.provider).member("teacher_model", a.model);
    w.member("teacher_params_json", a.settings_json).member("request_id", c.request_id);
    w.member("prompt_template_id", template_id).member("prompt_template_version", template_version);
    w.member("generated_at", a.created_at).member("generation_run", a.generation_run);
    const std::string_view prefix(kImportedRawPrefix);
    if (raw_stream.substr(0, prefix.size()) == prefix) {
        w.member("raw_stream_sha256", raw_stream.substr(prefix.size()));
    } else {
        w.member("raw_stream_sha256", raw_stream.empty() ? "" : sha256Of(raw_stream));
    }
    w.member("workbench_version", "");
    w.member("harness_version", run != nullptr ? std::string_view(run->harness_version) : "");
    w.member("parent_id", "").member("source_dataset_revision", "");
    // hygiene
    w.member("exact_hash", o.accepted != nullptr ? normalizedSourceHash(o.accepted->source) : "");
    w.member("near_dup_cluster", "").memberBool("decontam_passed", false).memberRaw("decontam_against", "[]");
    w.member("license", "").member("teacher_terms", "");
    // KernelForge extension: what a round trip through `full` needs to restore the store's records.
    w.member("attempt_status", a.status).memberEscaped("original_answer", o.edited ? c.answer : "");
    m_scratch.clear();
    appendHistoryJson(m_scratch, d, o);
    w.member("review_history_json", m_scratch);
    m_scratch.clear();
    appendRunsJson(m_scratch, d, o);
    w.member("runs_json", m_scratch);
    w.endObject();
    return summary;
}

} // namespace kf::dataset::detail
