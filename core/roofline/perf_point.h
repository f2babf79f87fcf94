// SPDX-License-Identifier: MIT
#pragma once

#include "spec/spec.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kf::roofline {

// Who a point on the roofline measures. The runner times the candidate and the baseline; the baseline is the
// spec's reference unless the spec brings its own, so a `who: baseline` point is a Reference point then.
// Version points are earlier versions of the same attempt (the trail).
enum class PointRole { Candidate, Baseline, Reference, Version };

std::string_view pointRoleName(PointRole r); // "candidate", "baseline", "reference", "version"

// One kernel timed at one size. Achieved rates come from the runner's `timed` event when it reports them,
// otherwise from the spec's FLOPs and bytes at that size and the median. Unknown values are NaN.
struct PerfPoint {
    PointRole role = PointRole::Candidate;
    std::string kernel;     // "softmax.cu", "reference", "v3"
    int size_index = 0;     // into the spec's sizes
    std::string size_label; // "rows=4096 cols=8192"
    double median_us;
    double flops; // per call
    double bytes; // per call
    double gflops;
    double gbps;

    PerfPoint();
    double intensity() const; // FLOP/byte
};

// A point from one `timed` event (docs/runner-protocol.md). `spec`, when given, supplies the size's FLOPs
// and bytes, the parameter order of the label and whether the baseline is the reference.
PerfPoint pointFromTimed(const nlohmann::json& timed, const spec::Spec* spec,
                         const std::string& candidate_name);

// Every `timed` event of a run's event list (RunSummary::events()), in order.
std::vector<PerfPoint> pointsFromEvents(const nlohmann::json& events, const spec::Spec* spec,
                                        const std::string& candidate_name);

// A point from a median alone (an earlier version kept in the dataset): rates from the spec's size.
PerfPoint pointFromMedian(PointRole role, std::string kernel, const spec::Spec& spec, int size_index,
                          double median_us);

// Why a point cannot go on log-log roofline axes, or nullopt when it can. A point without FLOPs (a
// bandwidth-only spec) belongs in the bandwidth view instead; one with a zero, negative or missing time or
// traffic has no position at all.
std::optional<std::string> whyNotOnLogAxes(const PerfPoint& p);

// Why a point cannot go in the bandwidth view (GB/s alone), or nullopt when it can.
std::optional<std::string> whyNoBandwidth(const PerfPoint& p);

// "rows=4096 cols=8192": the size's parameters in the spec's order (the JSON's otherwise).
std::string sizeLabel(const nlohmann::json& size, const spec::Spec* spec);
// The label of the spec's size `index` ("" when it has none).
std::string sizeLabel(const spec::Spec& spec, int index);

} // namespace kf::roofline
