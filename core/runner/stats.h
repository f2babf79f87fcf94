// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace kf::runner {

// Summary of one kernel's timed samples (microseconds), as measurement.md 3.3 asks to store and show.
struct SampleStats {
    std::size_t n = 0;
    double median = 0, q1 = 0, q3 = 0, iqr = 0, min = 0, max = 0, mean = 0;
    double sem = 0;            // standard error of the mean
    double rel_std = 0;        // std / mean
    double rel_sem_median = 0; // 1.2533 * std / sqrt(n) / median: the stop rule's noise measure
    std::size_t outliers = 0;  // outside [q1 - 1.5 iqr, q3 + 1.5 iqr]
};

// Quartiles by linear interpolation between order statistics (the "inclusive" method). Empty input: all zero.
SampleStats summarize(std::span<const double> samples);

enum class Budget { Interactive, Thorough };
std::string_view budgetName(Budget b);

// When to stop taking samples (nvbench's stdrel rule, measurement.md 3.2).
struct StopRule {
    std::size_t min_samples = 10;
    std::size_t max_samples = 200;
    double warmup_s = 0.05;       // by time, before the first sample of the job's first timed size
    double later_warmup_s = 0.01; // at later sizes: clocks, module loads and caches were warmed by then
    double max_rel_sem = 0.01;    // stop once the median's relative SEM is below this
    double time_cap_s = 0.25;     // accumulated wall time per kernel and size; then stop as "timeout"
};
StopRule stopRuleFor(Budget budget);

enum class StopReason { None, Converged, Timeout, MaxSamples };
std::string_view stopReasonName(StopReason r); // "converged", "timeout", "max-samples"

// `elapsed_s` is the wall time spent sampling this kernel so far. A fixed sample count (options.samples) is a
// rule with min_samples == max_samples.
StopReason shouldStop(const StopRule& rule, std::span<const double> samples, double elapsed_s);

} // namespace kf::runner
