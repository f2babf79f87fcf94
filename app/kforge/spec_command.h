// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

namespace kf::cli {

// `kforge spec check|json|prompt|launcher`: registers the subcommands; each sets `exit_code` when it runs.
void addSpecCommands(CLI::App& app, int& exit_code);

} // namespace kf::cli
