// SPDX-License-Identifier: MIT
#include "watchdog.h"

#include <cstdio>
#include <unistd.h>

namespace kf::runner_app {

Watchdog::Watchdog(EventWriter& out)
    : out_(out)
    , thread_([this] { loop(); }) {}

Watchdog::~Watchdog() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    cv_.notify_all();
    thread_.join();
}

void Watchdog::stage(const std::string& name, double deadline_s, int size_index, const std::string& what) {
    nlohmann::json ev = {{"stage", name}, {"deadline_s", deadline_s}};
    if (size_index >= 0) {
        ev["size_index"] = size_index;
    }
    out_.emit("stage", ev);
    {
        const std::lock_guard lock(mutex_);
        armed_ = true;
        deadline_s_ = deadline_s;
        deadline_ = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(static_cast<long long>(deadline_s * 1000.0));
        what_ = "stage '" + name + "'" +
                (size_index >= 0 ? " (size " + std::to_string(size_index) + ")" : "") +
                (what.empty() ? "" : ", " + what);
    }
    cv_.notify_all();
}

void Watchdog::disarm() {
    const std::lock_guard lock(mutex_);
    armed_ = false;
}

void Watchdog::loop() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        if (!armed_) {
            cv_.wait(lock);
            continue;
        }
        if (cv_.wait_until(lock, deadline_) == std::cv_status::timeout && armed_ && !stopping_ &&
            std::chrono::steady_clock::now() >= deadline_) {
            char secs[32];
            std::snprintf(secs, sizeof secs, "%.0f", deadline_s_);
            const std::string msg = "kf-runner did not finish " + what_ + " within " + secs +
                                    " s: a kernel hangs or is far too slow; the process ends here";
            lock.unlock();
            out_.fail("timeout", msg);
            std::fflush(stdout);
            _exit(4); // the GPU may be wedged in a kernel: no destructors, no CUDA teardown
        }
    }
}

} // namespace kf::runner_app
