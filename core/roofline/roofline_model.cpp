// SPDX-License-Identifier: MIT
#include "roofline_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kf::roofline {

namespace {

bool positive(double v) {
    return std::isfinite(v) && v > 0;
}

} // namespace

double arithmeticIntensity(double flops, double bytes) {
    if (!std::isfinite(flops) || !positive(bytes)) {
        return std::numeric_limits<double>::quiet_NaN();
    }
    return flops / bytes;
}

double attainableGflops(double peak_gflops, double bandwidth_gbps, double ai) {
    return std::min(peak_gflops, bandwidth_gbps * ai);
}

double ridgePoint(double peak_gflops, double bandwidth_gbps) {
    return peak_gflops / bandwidth_gbps;
}

std::optional<Placement> placePoint(const Ceilings& c, std::optional<Roof> compute, double ai,
                                    double gflops) {
    const auto dram = c.value(Roof::Dram);
    if (!dram || !positive(ai) || !positive(gflops)) {
        return std::nullopt;
    }
    std::optional<double> peak;
    if (compute && !isBandwidthRoof(*compute)) {
        peak = c.value(*compute);
    }
    const double ceiling = peak.value_or(std::numeric_limits<double>::infinity());
    // Under one bandwidth roof: that roof binds left of its ridge, the compute roof right of it.
    auto under = [&](Roof bandwidth, double gbps) {
        Placement p;
        const bool memoryBound = gbps * ai < ceiling;
        p.roof = memoryBound || !compute ? bandwidth : *compute;
        p.attainable = attainableGflops(ceiling, gbps, ai);
        p.percent = gflops / p.attainable * 100.0;
        return p;
    };
    Placement p = under(Roof::Dram, *dram);
    if (p.roof == Roof::Dram && p.percent > 100.0) {
        if (const auto l2 = c.value(Roof::L2); l2 && *l2 > *dram) {
            p = under(Roof::L2, *l2);
            p.above_dram = true;
        }
    }
    return p;
}

std::optional<Placement> placeBandwidth(const Ceilings& c, double gbps) {
    const auto dram = c.value(Roof::Dram);
    if (!dram || !positive(gbps)) {
        return std::nullopt;
    }
    Placement p;
    p.roof = Roof::Dram;
    p.attainable = *dram;
    if (const auto l2 = c.value(Roof::L2); gbps > *dram && l2 && *l2 > *dram) {
        p.roof = Roof::L2;
        p.attainable = *l2;
        p.above_dram = true;
    }
    p.percent = gbps / p.attainable * 100.0;
    return p;
}

} // namespace kf::roofline
