// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>

namespace kf::cli {

// `kforge ask SPEC`: streams a teacher's reasoning (stderr) and answer (stdout), saves the kernel and the
// conversation.
void addAskCommand(CLI::App& app, int& exit_code);

} // namespace kf::cli
