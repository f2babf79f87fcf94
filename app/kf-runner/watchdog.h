// SPDX-License-Identifier: MIT
#pragma once

#include "event_writer.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace kf::runner_app {

// Ends the process when a stage outlives its deadline: a hung kernel never returns control to the harness, so
// only another thread can report it. Writes `error` (stage "timeout") and `done`, then _exit(4).
class Watchdog {
public:
    explicit Watchdog(EventWriter& out);
    ~Watchdog();
    Watchdog(const Watchdog&) = delete;
    Watchdog& operator=(const Watchdog&) = delete;

    // Starts a stage: emits the `stage` event and arms the deadline. `what` names it in the timeout message.
    void stage(const std::string& name, double deadline_s, int size_index = -1, const std::string& what = {});
    void disarm();

private:
    void loop();

    EventWriter& out_;
    std::mutex mutex_;
    std::condition_variable cv_;
    bool armed_ = false, stopping_ = false;
    std::chrono::steady_clock::time_point deadline_;
    double deadline_s_ = 0;
    std::string what_;
    std::thread thread_;
};

} // namespace kf::runner_app
