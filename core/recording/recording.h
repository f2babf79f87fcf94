// SPDX-License-Identifier: MIT
#pragma once

#include "dataset/store.h"
#include "runner/job.h"
#include "runner/run_summary.h"
#include "spec/spec.h"
#include "teacher/code_extraction.h"
#include "teacher/conversation.h"
#include "teacher/streaming_call.h"
#include "teacher/teacher_settings.h"

#include <cstdint>
#include <optional>
#include <string>

namespace kf::recording {

// Puts the spec (by content hash) and returns its hash.
std::string putSpec(dataset::Store& store, const spec::Spec& spec);

struct RecordedAttempt {
    std::int64_t attempt_id = 0;
    std::int64_t kernel_id = 0; // 0 when the answer held no kernel
};

// Keeps a teacher attempt: every attempt, failed and cancelled ones too, since a rejected answer is a
// preference negative and a failure is data about the teacher. The key never reaches the store (the base URL
// is redacted, the settings carry no key). Throws dataset::StoreError.
RecordedAttempt recordAttempt(dataset::Store& store, const spec::Spec& spec,
                              const teacher::TeacherSettings& s, const teacher::Conversation& conversation,
                              const teacher::CallResult& result, const teacher::ExtractedKernel& kernel,
                              const std::string& generation_run);

struct RecordedRun {
    std::int64_t run_id = 0;
    std::int64_t kernel_id = 0;
};

// Keeps a finished run with all its events. The kernel is the newest stored one with the same normalised
// source for this spec (a teacher's answer when it was one); otherwise a new kernel, hand-written, tied to
// `attempt_id` when the engineer edited an attempt's kernel. Throws dataset::StoreError.
RecordedRun recordRun(dataset::Store& store, const runner::Job& job, const runner::RunSummary& run,
                      std::optional<std::int64_t> attempt_id = std::nullopt);

} // namespace kf::recording
