// SPDX-License-Identifier: MIT
#pragma once

#include "ceilings.h"

#include <optional>

namespace kf::roofline {

// Roofline arithmetic. Units throughout: FLOP/byte for intensity, GFLOP/s for compute, GB/s for bandwidth
// (GB/s x FLOP/byte = GFLOP/s).

// flops / bytes; NaN when either is not a finite number or bytes is not positive.
double arithmeticIntensity(double flops, double bytes);

// What a kernel of intensity `ai` can reach under one compute roof and one bandwidth roof.
double attainableGflops(double peak_gflops, double bandwidth_gbps, double ai);

// The intensity where the bandwidth roof meets the compute roof: left of it a kernel is memory-bound.
double ridgePoint(double peak_gflops, double bandwidth_gbps);

// Where a measured point sits: the roof that binds it and how close it comes.
struct Placement {
    Roof roof = Roof::Dram;
    double attainable =
        0;              // the binding roof's value at the point: GFLOP/s, or GB/s for bandwidth-only points
    double percent = 0; // achieved / attainable, in percent
    bool above_dram =
        false; // the point beats the DRAM roof, so its data came from L2 (hot mode, small sizes)
};

// A point with FLOPs: `gflops` achieved at intensity `ai`, under the compute roof `compute` (nullopt, or a
// roof the calibration lacks: only bandwidth binds). The DRAM roof binds left of the ridge and the compute
// roof right of it; a point above the DRAM roof is measured against the L2 roof where one was calibrated.
// nullopt when the point has no place on a roofline (non-positive or non-finite ai or gflops).
std::optional<Placement> placePoint(const Ceilings& ceilings, std::optional<Roof> compute, double ai,
                                    double gflops);

// A bandwidth-only point (a spec with no FLOPs): achieved GB/s against DRAM, or against L2 above DRAM.
std::optional<Placement> placeBandwidth(const Ceilings& ceilings, double gbps);

} // namespace kf::roofline
