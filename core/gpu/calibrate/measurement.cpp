// SPDX-License-Identifier: MIT
#include "measurement.h"

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace kf::gpu::calibration {
namespace {

double rate(double work, double ms, RateUnit u) {
    if (ms <= 0.0) {
        return 0.0;
    }
    const double scale = u == RateUnit::GBps ? 1e9 : 1e12;
    return work / (ms * 1e-3) / scale;
}

// Numbers go into JSON only when finite (JSON has no NaN); whole numbers (sizes, algorithm ids) as integers.
nlohmann::json number(double v) {
    if (!std::isfinite(v)) {
        return nullptr;
    }
    if (v == std::floor(v) && std::fabs(v) < 9.0e15) {
        return static_cast<std::int64_t>(v);
    }
    return v;
}

// measurement.md §3.7: below 75 % of the maximum SM clock, or a power/thermal reason, a figure is suspect.
std::vector<std::string> flags(const TimedRun& run) {
    std::vector<std::string> f;
    if (!run.has_clocks) {
        return f;
    }
    const ClockSample& a = run.after;
    if (a.sm_mhz > 0 && a.max_sm_mhz > 0 && a.sm_mhz < 0.75 * a.max_sm_mhz) {
        f.emplace_back("clock<75%");
    }
    if (a.throttled()) {
        f.emplace_back("throttled");
    }
    return f;
}

} // namespace

double Measurement::medianRate() const {
    return rate(work_per_rep, run.medianMs(), unit);
}

double Measurement::bestRate() const {
    return rate(work_per_rep, run.bestMs(), unit);
}

void CeilingResult::pick() {
    value = 0.0;
    from.clear();
    for (const Measurement& m : measurements) {
        if (m.counts_for_ceiling && m.medianRate() > value) {
            value = m.medianRate();
            from = m.name;
        }
    }
}

const char* unitKey(RateUnit u) {
    return u == RateUnit::GBps ? "gbps" : "tflops";
}

nlohmann::json toJson(const Measurement& m) {
    const std::string key = unitKey(m.unit);
    nlohmann::json j;
    j["name"] = m.name;
    j["median_" + key] = number(m.medianRate());
    j["best_" + key] = number(m.bestRate());
    j["counts_for_ceiling"] = m.counts_for_ceiling;
    j["work_per_rep"] = number(m.work_per_rep);
    j["work_unit"] = m.unit == RateUnit::GBps ? "bytes" : "flop";
    for (const auto& [name, value] : m.params) {
        j[name] = number(value);
    }
    for (const auto& [name, text] : m.notes) {
        j[name] = text;
    }
    j["reps"] = m.run.ms.size();
    j["launches_per_rep"] = m.run.launches_per_rep;
    j["median_ms"] = number(m.run.medianMs());
    j["best_ms"] = number(m.run.bestMs());
    j["max_ms"] = number(m.run.maxMs());
    j["warmup_s"] = number(m.run.warmup_s);
    j["warmup_launches"] = m.run.warmup_launches;
    j["clocks"] = m.run.has_clocks
                      ? nlohmann::json{{"before", toJson(m.run.before)}, {"after", toJson(m.run.after)}}
                      : nlohmann::json(nullptr);
    j["flags"] = flags(m.run);
    return j;
}

nlohmann::json toJson(const CeilingResult& c) {
    const std::string key = c.measurements.empty() ? "gbps" : unitKey(c.measurements.front().unit);
    nlohmann::json list = nlohmann::json::array();
    for (const Measurement& m : c.measurements) {
        list.push_back(toJson(m));
    }
    return {{"ceiling_" + key, number(c.value)}, {"ceiling_from", c.from}, {"measurements", std::move(list)}};
}

} // namespace kf::gpu::calibration
