// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace kf::proc {

// One program to run to completion: what to start, with what, and how long it may take.
struct Command {
    std::vector<std::string> argv;               // argv[0] is searched in PATH when it has no '/'
    std::optional<std::vector<std::string>> env; // "KEY=VALUE" entries; nullopt: inherit the parent's
    std::string cwd;                             // empty: the parent's
    std::string stdin_data;                      // written to the child's stdin, then stdin is closed
    // When valid, the child starts at once and stdin stays open until this is ready: its value is written
    // after stdin_data, then stdin is closed (a worker that prepares itself before its input exists).
    std::shared_future<std::string> stdin_later;
    std::chrono::milliseconds timeout{0};      // 0: none. On expiry the whole process group gets SIGKILL
    const std::atomic<bool>* cancel = nullptr; // polled at least every 20 ms; set => SIGKILL the group
    std::size_t max_output = 64u << 20;        // per stream; beyond it output is dropped and truncated=true
};

struct CommandResult {
    int exit_code = -1; // when the child exited normally
    int signal = 0;     // when it was killed by a signal
    bool timed_out = false, cancelled = false, truncated = false;
    std::string out, err; // everything the child wrote to stdout / stderr
    double seconds = 0;   // wall time
    std::string
        spawn_error; // non-empty when the program could not be started ("nvcc: No such file or directory")

    // Spawned, exited with 0, not timed out or cancelled.
    bool ok() const;
    // "exited with status 2" / "killed by signal 11 (SIGSEGV)" / "timed out after 30 s" / "cancelled
    // after 1.2 s" / "could not start: nvcc: No such file or directory"; ", output truncated" is appended
    // when it was.
    std::string describe() const;
};

// Runs the command in its own process group, feeding stdin and collecting both streams at once (no deadlock
// whatever the sizes), and reaps it. Never throws for the child's faults: they are in the result.
CommandResult runCommand(const Command& cmd);

// "SIGSEGV"; "signal 42" for one without a portable name.
std::string signalName(int sig);

} // namespace kf::proc
