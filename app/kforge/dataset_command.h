// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

namespace kf::cli {

// `kforge dataset list|show|accept|reject|needs-work|export|import|stats`.
void addDatasetCommands(CLI::App& app, int& exit_code);

} // namespace kf::cli
