// SPDX-License-Identifier: MIT
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace kf::runner_app {

// Writes protocol events to stdout, one JSON object per line, flushed at once. Thread-safe: the watchdog
// writes from its own thread.
class EventWriter {
public:
    void emit(const std::string& name, nlohmann::json fields);
    void error(const std::string& stage, const std::string& message);
    // The last event. `seconds` counts from this writer's creation (the start of the job).
    void done(const std::string& verdict, const std::vector<std::string>& reasons,
              const nlohmann::json& speedup = nullptr, const std::vector<std::string>& flags = {},
              const nlohmann::json& extra = nlohmann::json::object());
    // An `error` event, then `done` with verdict error and the message as its reason.
    void fail(const std::string& stage, const std::string& message);
    bool doneWritten() const;

private:
    mutable std::mutex mutex_;
    bool done_ = false;
    const std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

} // namespace kf::runner_app
