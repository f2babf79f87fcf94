// SPDX-License-Identifier: MIT
#include "clock_sample.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace kf::gpu {

bool ClockSample::throttled() const {
    for (const std::string& r : reasons) {
        if (r == "SwPowerCap" || r == "SwThermalSlowdown" || r == "HwSlowdown" || r == "HwThermalSlowdown" ||
            r == "HwPowerBrakeSlowdown") {
            return true;
        }
    }
    return false;
}

nlohmann::json toJson(const ClockSample& s) {
    auto orNull = [](int v) { return v < 0 ? nlohmann::json(nullptr) : nlohmann::json(v); };
    nlohmann::json j;
    j["sm_mhz"] = orNull(s.sm_mhz);
    j["mem_mhz"] = orNull(s.mem_mhz);
    j["max_sm_mhz"] = orNull(s.max_sm_mhz);
    j["power_w"] =
        (s.power_w < 0.0 || !std::isfinite(s.power_w)) ? nlohmann::json(nullptr) : nlohmann::json(s.power_w);
    j["temp_c"] = orNull(s.temp_c);
    j["throttle"] = s.reasons_known ? nlohmann::json(s.reasons) : nlohmann::json(nullptr);
    return j;
}

} // namespace kf::gpu
