// SPDX-License-Identifier: MIT
#pragma once

#include "runner/run_summary.h"

#include <nlohmann/json.hpp>
#include <string>

namespace kf::cli {

// `kforge run`'s table: compile summary, per-size checks and timings, speedup and verdict.
std::string renderRunReport(const runner::RunSummary& run);

// One line of progress on stderr per event worth showing while a run goes on ("" for the others).
std::string progressLine(const nlohmann::json& event);

// `kforge calibrate`'s table: each ceiling with the datasheet figure where one is known.
std::string renderCeilings(const nlohmann::json& ceilings);

} // namespace kf::cli
