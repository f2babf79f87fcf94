// SPDX-License-Identifier: MIT
#pragma once

// Reading a `full` row back into the records it stands for (the import half of a round trip). Internal to
// kf_dataset.

#include "records.h"

#include <nlohmann/json.hpp>
#include <string>

namespace kf::dataset::detail {

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

// An imported attempt keeps the sha256 of the raw stream it no longer has, after this prefix.
inline constexpr const char* kImportedRawPrefix = "kernelforge.imported-raw-stream/1 sha256=";

} // namespace kf::dataset::detail
