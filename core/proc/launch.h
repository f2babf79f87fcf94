// SPDX-License-Identifier: MIT
#pragma once

#include "command.h"

#include <optional>
#include <string>
#include <sys/types.h>

namespace kf::proc::detail {

// The parent's side of a freshly started child: its pid (also its process group) and pipe ends.
struct Launched {
    pid_t pid = -1;
    int stdinWrite = -1, stdoutRead = -1, stderrRead = -1;
};

// Forks and execs cmd.argv (looked up in the child's PATH) in a new process group, with cmd.env and cmd.cwd,
// default signal handling, pipes on 0, 1, 2 and no other fd of ours. Returns nullopt and sets `why`
// ("nvcc: No such file or directory") when the program cannot be started; the failed child is reaped.
std::optional<Launched> launch(const Command& cmd, std::string& why);

std::string errnoText(int e);
void closeQuietly(int& fd);

} // namespace kf::proc::detail
