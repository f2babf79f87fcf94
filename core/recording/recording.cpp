// SPDX-License-Identifier: MIT
#include "recording.h"

#include "spec/prompt.h"
#include "spec/spec_json.h"
#include "teacher/request_builder.h"

namespace kf::recording {

std::string putSpec(dataset::Store& store, const spec::Spec& spec) {
    const auto spec_json = spec::specToJson(spec).dump();
    const dataset::SpecRecord sr{dataset::sha256Hex(spec_json), spec.id, spec_json, spec.category};
    return store.putSpec(sr);
}

RecordedAttempt recordAttempt(dataset::Store& store, const spec::Spec& spec,
                              const teacher::TeacherSettings& s, const teacher::Conversation& conversation,
                              const teacher::CallResult& result, const teacher::ExtractedKernel& kernel,
                              const std::string& generation_run) {
    const std::string spec_hash = putSpec(store, spec);
    const auto& turn = result.turn;
    dataset::AttemptRecord a;
    a.spec_hash = spec_hash;
    a.provider = teacher::providerName(s.provider);
    a.model = turn.model.empty() ? s.model : turn.model;
    a.settings_json =
        nlohmann::json{{"model_requested", s.model},       {"effort", s.effort},
                       {"budget_tokens", s.budget_tokens}, {"max_tokens", s.max_tokens},
                       {"show_thinking", s.show_thinking}, {"base_url", teacher::redactUrl(s.base_url)}}
            .dump();
    a.conversation_json =
        conversation.toJson().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    a.raw_stream = result.raw_bytes;
    a.prompt_template = std::string(spec::kPromptTemplateId) + "/" + spec::kPromptTemplateVersion;
    a.status = turn.status == teacher::TurnStatus::Complete    ? "complete"
               : turn.status == teacher::TurnStatus::Cancelled ? "cancelled"
                                                               : "failed";
    a.input_tokens = turn.usage.input_tokens;
    a.output_tokens = turn.usage.output_tokens;
    a.thinking_tokens = turn.usage.thinking_tokens;
    a.created_at = dataset::utcNow();
    a.generation_run = generation_run;
    RecordedAttempt out;
    out.attempt_id = store.addAttempt(a);
    if (kernel.ok) {
        dataset::KernelRecord k;
        k.attempt_id = out.attempt_id;
        k.spec_hash = spec_hash;
        k.source = kernel.source;
        k.origin = "teacher";
        k.created_at = a.created_at;
        out.kernel_id = store.addKernel(k);
    }
    return out;
}

RecordedRun recordRun(dataset::Store& store, const runner::Job& job, const runner::RunSummary& run,
                      std::optional<std::int64_t> attempt_id) {
    const std::string spec_hash = putSpec(store, *job.spec);
    const std::string hash = dataset::normalizedSourceHash(job.candidate_source);
    RecordedRun out;
    for (const auto& k : store.kernelsForSpec(spec_hash)) {
        if (k.source_hash == hash) {
            out.kernel_id = k.id; // the newest kernel with this source: a teacher's answer if it was one
        }
    }
    if (out.kernel_id == 0) {
        dataset::KernelRecord k;
        k.spec_hash = spec_hash;
        k.source = job.candidate_source;
        k.origin = "human";
        if (attempt_id) {
            k.attempt_id = *attempt_id;
        }
        k.created_at = dataset::utcNow();
        out.kernel_id = store.addKernel(k);
    }
    dataset::RunRecord r;
    r.kernel_id = out.kernel_id;
    r.device_json = run.device().dump();
    r.harness_version = run.harnessVersion();
    r.events_json = run.events().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    r.verdict = run.verdict();
    const auto& done = run.done();
    r.speedup = done.contains("speedup_geomean") && done["speedup_geomean"].is_number()
                    ? done["speedup_geomean"].get<double>()
                    : -1.0;
    r.created_at = dataset::utcNow();
    out.run_id = store.addRun(r);
    return out;
}

} // namespace kf::recording
