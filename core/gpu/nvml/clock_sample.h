// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace kf::gpu {

// One reading of a device's clocks, power and temperature, and why its clocks are held down. A value NVML
// could not give is -1.
struct ClockSample {
    int sm_mhz = -1;
    int mem_mhz = -1;
    int max_sm_mhz = -1;
    double power_w = -1.0;
    int temp_c = -1;
    // "SwPowerCap", "SwThermalSlowdown", "HwSlowdown", "HwThermalSlowdown", "HwPowerBrakeSlowdown",
    // "SyncBoost", "DisplayClockSetting", "BoardLimit", "Reliability", or "Unknown0x..." for a bit this build
    // does not name. The idle and application-clock bits say nothing about throttling and are left out.
    std::vector<std::string> reasons;
    bool reasons_known = false; // false: the driver could not say, so an empty `reasons` means nothing

    bool throttled() const; // any reason that lowers clocks under load (power, thermal, hardware)
};

// {"sm_mhz":..,"mem_mhz":..,"max_sm_mhz":..,"power_w":..,"temp_c":..,"throttle":[..]}; unknowns are null.
nlohmann::json toJson(const ClockSample& s);

} // namespace kf::gpu
