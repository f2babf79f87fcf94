// SPDX-License-Identifier: MIT
#include "perf_point.h"

#include "roofline_model.h"

#include <cmath>
#include <cstdio>
#include <limits>

namespace kf::roofline {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double numberAt(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) {
        return kNaN;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number() ? it->get<double>() : kNaN;
}

std::string microseconds(double us) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%g us", us);
    return buf;
}

// Rates from the per-call work and the median where the runner did not report them.
void fillRates(PerfPoint& p) {
    const bool timed = std::isfinite(p.median_us) && p.median_us > 0;
    if (std::isnan(p.gflops) && timed && std::isfinite(p.flops)) {
        p.gflops = p.flops / p.median_us / 1e3;
    }
    if (std::isnan(p.gbps) && timed && std::isfinite(p.bytes)) {
        p.gbps = p.bytes / p.median_us / 1e3;
    }
    // And the work from the rates, for a point read without its spec.
    if (std::isnan(p.flops) && timed && std::isfinite(p.gflops)) {
        p.flops = p.gflops * p.median_us * 1e3;
    }
    if (std::isnan(p.bytes) && timed && std::isfinite(p.gbps)) {
        p.bytes = p.gbps * p.median_us * 1e3;
    }
}

} // namespace

std::string_view pointRoleName(PointRole r) {
    switch (r) {
    case PointRole::Candidate:
        return "candidate";
    case PointRole::Baseline:
        return "baseline";
    case PointRole::Reference:
        return "reference";
    case PointRole::Version:
        return "version";
    }
    return "";
}

PerfPoint::PerfPoint()
    : median_us(kNaN)
    , flops(kNaN)
    , bytes(kNaN)
    , gflops(kNaN)
    , gbps(kNaN) {}

double PerfPoint::intensity() const {
    return arithmeticIntensity(flops, bytes);
}

std::string sizeLabel(const nlohmann::json& size, const spec::Spec* spec) {
    std::string label;
    auto add = [&](const std::string& key, const nlohmann::json& v) {
        label += (label.empty() ? "" : " ") + key + "=" + v.dump();
    };
    if (!size.is_object()) {
        return label;
    }
    if (spec != nullptr && !spec->params.empty()) {
        for (const auto& p : spec->params) {
            if (const auto it = size.find(p); it != size.end()) {
                add(p, *it);
            }
        }
        return label;
    }
    for (const auto& [k, v] : size.items()) {
        add(k, v);
    }
    return label;
}

std::string sizeLabel(const spec::Spec& spec, int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= spec.sizes.size()) {
        return {};
    }
    const spec::SizeCase& s = spec.sizes[static_cast<std::size_t>(index)];
    nlohmann::json size = nlohmann::json::object();
    for (std::size_t i = 0; i < spec.params.size() && i < s.values.size(); ++i) {
        size[spec.params[i]] = s.values[i];
    }
    return sizeLabel(size, &spec);
}

PerfPoint pointFromTimed(const nlohmann::json& ev, const spec::Spec* spec,
                         const std::string& candidate_name) {
    PerfPoint p;
    const bool baseline = ev.value("who", std::string()) == "baseline";
    if (baseline) {
        const bool reference = spec != nullptr && spec->baseline.is_reference;
        p.role = reference ? PointRole::Reference : PointRole::Baseline;
        p.kernel = reference ? "reference" : "baseline";
    } else {
        p.role = PointRole::Candidate;
        p.kernel = candidate_name.empty() ? "candidate" : candidate_name;
    }
    const double index = numberAt(ev, "size_index");
    p.size_index = std::isfinite(index) ? static_cast<int>(index) : 0;
    p.size_label = sizeLabel(ev.value("size", nlohmann::json::object()), spec);
    p.median_us = numberAt(ev, "median_us");
    p.gflops = numberAt(ev, "gflops");
    p.gbps = numberAt(ev, "gbps");
    if (spec != nullptr && p.size_index >= 0 && static_cast<std::size_t>(p.size_index) < spec->sizes.size()) {
        const spec::SizeCase& s = spec->sizes[static_cast<std::size_t>(p.size_index)];
        p.flops = s.flops;
        p.bytes = s.bytes;
    }
    fillRates(p);
    return p;
}

std::vector<PerfPoint> pointsFromEvents(const nlohmann::json& events, const spec::Spec* spec,
                                        const std::string& candidate_name) {
    std::vector<PerfPoint> points;
    if (!events.is_array()) {
        return points;
    }
    for (const auto& ev : events) {
        if (ev.is_object() && ev.value("event", std::string()) == "timed") {
            points.push_back(pointFromTimed(ev, spec, candidate_name));
        }
    }
    return points;
}

PerfPoint pointFromMedian(PointRole role, std::string kernel, const spec::Spec& spec, int size_index,
                          double median_us) {
    PerfPoint p;
    p.role = role;
    p.kernel = std::move(kernel);
    p.size_index = size_index;
    p.median_us = median_us;
    if (size_index >= 0 && static_cast<std::size_t>(size_index) < spec.sizes.size()) {
        const spec::SizeCase& s = spec.sizes[static_cast<std::size_t>(size_index)];
        p.flops = s.flops;
        p.bytes = s.bytes;
        p.size_label = sizeLabel(spec, size_index);
    }
    fillRates(p);
    return p;
}

std::optional<std::string> whyNoBandwidth(const PerfPoint& p) {
    if (std::isnan(p.median_us)) {
        return std::string("no time was measured");
    }
    if (p.median_us <= 0) {
        return "its time is " + microseconds(p.median_us) + ", not positive";
    }
    if (!std::isfinite(p.median_us)) {
        return std::string("its time is not finite");
    }
    if (std::isnan(p.gbps) || std::isnan(p.bytes)) {
        return std::string("its bytes moved are unknown");
    }
    if (!(p.gbps > 0) || !std::isfinite(p.gbps)) {
        return std::string("it moved no bytes");
    }
    return std::nullopt;
}

std::optional<std::string> whyNotOnLogAxes(const PerfPoint& p) {
    if (auto why = whyNoBandwidth(p)) {
        return why;
    }
    if (std::isnan(p.flops) && std::isnan(p.gflops)) {
        return std::string("its FLOP count is unknown");
    }
    if (p.flops == 0 || p.gflops == 0) {
        return std::string("the spec counts no FLOPs (bandwidth only)");
    }
    if (p.flops < 0 || p.gflops < 0) {
        return std::string("its FLOP count is negative");
    }
    if (!std::isfinite(p.flops) || !std::isfinite(p.gflops)) {
        return std::string("its FLOP count is not finite");
    }
    return std::nullopt;
}

} // namespace kf::roofline
