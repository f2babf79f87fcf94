// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kf::runner {

// What a run's events add up to, for a table or a results view: fed one event at a time as they arrive.
class RunSummary {
public:
    struct Compiled {
        std::string role;
        bool ok = false;
        bool cached = false;
        double seconds = 0;
        nlohmann::json diagnostics = nlohmann::json::array();
        nlohmann::json kernels = nlohmann::json::array();
    };
    struct SizeRow {
        int index = 0;
        nlohmann::json size = nlohmann::json::object(); // {"rows": 4096, ...}
        int checks = 0;
        int checks_ok = 0;
        std::optional<double> worst_rel_l2;
        std::vector<std::string> problems;
        nlohmann::json candidate; // `timed` event or null
        nlohmann::json baseline;
    };

    void add(const nlohmann::json& event);

    const nlohmann::json& device() const { return device_; }
    const std::string& harnessVersion() const { return harness_version_; }
    const std::vector<Compiled>& compiled() const { return compiled_; }
    const std::vector<SizeRow>& sizes() const { return sizes_; }
    const std::vector<std::string>& errors() const { return errors_; }
    const nlohmann::json& done() const { return done_; } // null until the run ends
    const nlohmann::json& ceilings() const { return ceilings_; }
    const nlohmann::json& events() const { return events_; } // every event, in order
    std::string verdict() const;                             // "pass", "fail", "error", or "" while running
    std::optional<double> speedup() const;
    std::string stage() const { return stage_; } // the stage in progress ("compile", "check", ...)

private:
    SizeRow& row(int index);

    nlohmann::json device_;
    std::string harness_version_;
    std::vector<Compiled> compiled_;
    std::vector<SizeRow> sizes_;
    std::vector<std::string> errors_;
    nlohmann::json done_;
    nlohmann::json ceilings_;
    nlohmann::json events_ = nlohmann::json::array();
    std::string stage_;
};

} // namespace kf::runner
