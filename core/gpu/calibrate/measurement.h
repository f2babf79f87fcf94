// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/calibrate/timing.h"

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

namespace kf::gpu::calibration {

enum class RateUnit { GBps, TFLOPs }; // 1e9 bytes/s; 1e12 FLOP/s

// One measured rate: what ran, how much work one repetition does, and its timings.
struct Measurement {
    std::string name; // "cudaMemcpy device-to-device"
    RateUnit unit = RateUnit::GBps;
    double work_per_rep = 0.0; // bytes (read + write) or FLOPs in one repetition (all its launches)
    std::vector<std::pair<std::string, double>> params;     // sizes and settings, for the details
    std::vector<std::pair<std::string, std::string>> notes; // how the work is counted, and the like
    bool counts_for_ceiling = true; // false: reported beside the ceiling, not part of it
    TimedRun run;

    double medianRate() const; // from the median repetition: the headline figure
    double bestRate() const;   // from the fastest repetition
};

// A ceiling: the best median of the measurements that count for it, and all of them.
struct CeilingResult {
    double value = 0.0;
    std::string from; // the measurement the value comes from
    std::vector<Measurement> measurements;

    void pick(); // sets value and from
};

// {"name":..,"median_gbps":..,"best_gbps":..,"reps":..,"median_ms":..,..,"clocks":{"before","after"},"flags":[..]}
nlohmann::json toJson(const Measurement& m);
// {"ceiling_gbps":..,"ceiling_from":..,"measurements":[..]}
nlohmann::json toJson(const CeilingResult& c);

const char* unitKey(RateUnit u); // "gbps", "tflops"

} // namespace kf::gpu::calibration
