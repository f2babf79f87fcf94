// SPDX-License-Identifier: MIT
#include "command.h"

#include <csignal>
#include <cstdio>

namespace kf::proc {

namespace {

// "30 s", "1.2 s": whole seconds once the decimal no longer matters to a reader.
std::string formatSeconds(double s) {
    char buf[32];
    if (s >= 10) {
        std::snprintf(buf, sizeof buf, "%.0f s", s);
    } else {
        std::snprintf(buf, sizeof buf, "%.1f s", s);
    }
    return buf;
}

} // namespace

bool CommandResult::ok() const {
    return spawn_error.empty() && exit_code == 0 && signal == 0 && !timed_out && !cancelled;
}

std::string CommandResult::describe() const {
    std::string text;
    if (!spawn_error.empty()) {
        text = "could not start: " + spawn_error;
    } else if (timed_out) {
        text = "timed out after " + formatSeconds(seconds);
    } else if (cancelled) {
        text = "cancelled after " + formatSeconds(seconds);
    } else if (signal != 0) {
        text = "killed by signal " + std::to_string(signal) + " (" + signalName(signal) + ")";
    } else {
        text = "exited with status " + std::to_string(exit_code);
    }
    if (truncated) {
        text += ", output truncated";
    }
    return text;
}

std::string signalName(int sig) {
    switch (sig) {
    case SIGHUP:
        return "SIGHUP";
    case SIGINT:
        return "SIGINT";
    case SIGQUIT:
        return "SIGQUIT";
    case SIGILL:
        return "SIGILL";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGABRT:
        return "SIGABRT";
    case SIGBUS:
        return "SIGBUS";
    case SIGFPE:
        return "SIGFPE";
    case SIGKILL:
        return "SIGKILL";
    case SIGUSR1:
        return "SIGUSR1";
    case SIGSEGV:
        return "SIGSEGV";
    case SIGUSR2:
        return "SIGUSR2";
    case SIGPIPE:
        return "SIGPIPE";
    case SIGALRM:
        return "SIGALRM";
    case SIGTERM:
        return "SIGTERM";
    case SIGCHLD:
        return "SIGCHLD";
    case SIGCONT:
        return "SIGCONT";
    case SIGSTOP:
        return "SIGSTOP";
    case SIGTSTP:
        return "SIGTSTP";
    case SIGTTIN:
        return "SIGTTIN";
    case SIGTTOU:
        return "SIGTTOU";
    case SIGURG:
        return "SIGURG";
    case SIGXCPU:
        return "SIGXCPU";
    case SIGXFSZ:
        return "SIGXFSZ";
    case SIGVTALRM:
        return "SIGVTALRM";
    case SIGPROF:
        return "SIGPROF";
    case SIGSYS:
        return "SIGSYS";
    default:
        return "signal " + std::to_string(sig);
    }
}

} // namespace kf::proc
