// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

namespace kf::cli {

// kforge job, kforge run, kforge calibrate: everything that goes through kf-runner.
void addRunnerCommands(CLI::App& app, int& exit_code);

} // namespace kf::cli
