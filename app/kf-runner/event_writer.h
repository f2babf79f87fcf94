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
    bool doneWritten() const;

private:
    mutable std::mutex mutex_;
    bool done_ = false;
};

} // namespace kf::runner_app
