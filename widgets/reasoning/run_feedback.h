// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/run_summary.h"
#include "core/teacher/feedback.h"

namespace kf::widgets {

// The follow-up turn's view of a runner run: the candidate's compile diagnostics (its own file only; the
// reference's and baseline's are not the teacher's business), every failed check per size, and per size the
// candidate's and baseline's median times with the fraction of the binding roof (DRAM bandwidth or FP32 peak,
// from the run's `ceilings` event when it has one).
teacher::RunFeedback runFeedbackFromSummary(const runner::RunSummary& run);

} // namespace kf::widgets
