// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <fstream>
#include <string>
#include <sys/types.h>
#include <thread>

namespace kf::test {

// True once pid no longer runs: gone, or a zombie waiting for its (new) parent to reap it. Waits up to
// `patience` for a SIGKILL to land.
inline bool processEnded(pid_t pid, std::chrono::milliseconds patience = std::chrono::milliseconds(3000)) {
    const auto until = std::chrono::steady_clock::now() + patience;
    for (;;) {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string line;
        if (!stat || !std::getline(stat, line)) {
            return true;
        }
        // "pid (comm) S ...": the state follows the last ')' (comm may hold spaces and parentheses).
        const auto close = line.rfind(')');
        if (close != std::string::npos && close + 2 < line.size() &&
            (line[close + 2] == 'Z' || line[close + 2] == 'X')) {
            return true;
        }
        if (std::chrono::steady_clock::now() >= until) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

} // namespace kf::test
