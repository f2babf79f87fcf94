// SPDX-License-Identifier: MIT
#include "event_writer.h"

#include <cstdio>

namespace kf::runner_app {

void EventWriter::emit(const std::string& name, nlohmann::json fields) {
    nlohmann::json line = {{"event", name}};
    for (auto& [k, v] : fields.items()) {
        line[k] = std::move(v);
    }
    // Invalid UTF-8 in compiler output must not make the line unparseable.
    const std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    const std::lock_guard lock(mutex_);
    if (done_) {
        return; // nothing follows `done`
    }
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    done_ = name == "done";
}

void EventWriter::error(const std::string& stage, const std::string& message) {
    emit("error", {{"stage", stage}, {"message", message}});
}

void EventWriter::done(const std::string& verdict, const std::vector<std::string>& reasons,
                       const nlohmann::json& speedup, const std::vector<std::string>& flags,
                       const nlohmann::json& extra) {
    nlohmann::json ev = {
        {"verdict", verdict},
        {"speedup", speedup},
        {"reasons", reasons},
        {"flags", flags},
        {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count()}};
    for (const auto& [k, v] : extra.items()) {
        ev[k] = v;
    }
    emit("done", std::move(ev));
}

void EventWriter::fail(const std::string& stage, const std::string& message) {
    error(stage, message);
    done("error", {message});
}

bool EventWriter::doneWritten() const {
    const std::lock_guard lock(mutex_);
    return done_;
}

} // namespace kf::runner_app
