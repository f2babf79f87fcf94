// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kf::roofline {

// The measured ceilings of each GPU this machine has calibrated (one `ceilings` event per device, kept as
// JSON files named by the device's UUID), so a run can be placed on the roofline of the GPU it ran on.
class CeilingsStore {
public:
    explicit CeilingsStore(std::string dir);
    static std::string defaultDir(); // $XDG_DATA_HOME/kernelforge/ceilings (~/.local/share/...)

    // Writes the profile atomically; returns "" or what went wrong. The event must carry device.uuid.
    std::string save(const nlohmann::json& ceilings_event) const;
    std::optional<nlohmann::json> forDevice(const std::string& uuid) const;
    // Every stored profile, most recently measured first.
    std::vector<nlohmann::json> all() const;
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
};

} // namespace kf::roofline
