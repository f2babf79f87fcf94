// SPDX-License-Identifier: MIT
#pragma once

#include "command.h"

#include <chrono>
#include <csignal>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace kf::proc {

// A running child process in its own process group, with pipes on stdin, stdout and stderr, for long-lived
// children whose output is consumed as it arrives (the RunnerClient). Not thread-safe: one owner drives it.
//
// The group belongs to the child: once the child (the group leader) has exited, whatever it left running in
// its group is killed before the child is reaped, so no helper outlives it and the group id cannot be reused
// while we might still signal it. Writes to stdin never block: what the pipe does not take is kept and
// written as the child reads (during read()), so a child that ignores stdin cannot deadlock its parent.
class Child {
public:
    // Starts cmd (timeout and cancel are the caller's to enforce; max_output bounds wait()). Returns nullptr
    // and sets *error ("nvcc: No such file or directory") when it cannot start. stdin stays open; the
    // cmd.stdin_data is queued first.
    static std::unique_ptr<Child> spawn(const Command& cmd, std::string* error);

    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    ~Child(); // kills the group (SIGKILL) and reaps if still running

    pid_t pid() const { return m_pid; }

    // Queues data for the child's stdin and writes what the pipe takes now. False when the child closed its
    // stdin or closeStdin() was called (EPIPE is not fatal: SIGPIPE is blocked for the write).
    bool writeStdin(std::string_view data);
    // Closes stdin once what is queued has been written (at once when nothing is).
    void closeStdin();

    enum class Stream { Out, Err };
    // Waits up to `timeout` for output (writing queued stdin meanwhile); appends what is available to
    // out/err; returns false at EOF on both streams.
    bool read(std::chrono::milliseconds timeout, std::string& out, std::string& err);

    // Signals the whole process group; nothing once the child has been reaped.
    void kill(int sig = SIGKILL);

    // Non-blocking reap: the exit status (exit_code or signal, seconds since spawn; out/err empty) once the
    // child has exited, nullopt while it runs.
    std::optional<CommandResult> poll();

    // Blocking reap: closes stdin, reads what is left on both streams into the result (bounded by the
    // command's max_output), and returns the exit status. Output still held open by a process that escaped
    // the group is waited for at most a second after the child exited.
    CommandResult wait();

private:
    Child() = default;
    void flushStdin();
    void closeFd(int& fd);

    pid_t m_pid = -1;
    int m_stdin = -1;
    int m_stdout = -1;
    int m_stderr = -1;
    std::string m_pendingStdin;
    bool m_closeStdinWhenFlushed = false;
    bool m_stdinRefused = false; // closed by us, or EPIPE: the child will read no more
    std::size_t m_maxOutput = 0;
    std::chrono::steady_clock::time_point m_started;
    std::optional<CommandResult> m_status; // set once reaped
};

} // namespace kf::proc
