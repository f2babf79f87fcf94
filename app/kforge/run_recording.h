// SPDX-License-Identifier: MIT
#pragma once

#include "runner/job.h"
#include "runner/run_summary.h"

#include <string>

namespace kf::cli {

// Keeps a finished run in the dataset: the spec, the kernel (the teacher's when `kforge ask` recorded the
// same source for this spec, else a hand-written one) and the run with all its events. Says on stderr what it
// did. Returns 0, or 1 when the dataset could not take it.
int recordRun(const std::string& db_path, const runner::Job& job, const runner::RunSummary& run);

} // namespace kf::cli
