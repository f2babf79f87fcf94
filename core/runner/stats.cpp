// SPDX-License-Identifier: MIT
#include "stats.h"

#include <algorithm>
#include <cmath>

namespace kf::runner {

namespace {

double quantile(const std::vector<double>& sorted, double q) {
    const double pos = q * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

} // namespace

SampleStats summarize(std::span<const double> samples) {
    SampleStats s;
    s.n = samples.size();
    if (s.n == 0) {
        return s;
    }
    std::vector<double> sorted(samples.begin(), samples.end());
    std::sort(sorted.begin(), sorted.end());
    s.min = sorted.front();
    s.max = sorted.back();
    s.median = quantile(sorted, 0.5);
    s.q1 = quantile(sorted, 0.25);
    s.q3 = quantile(sorted, 0.75);
    s.iqr = s.q3 - s.q1;
    double sum = 0;
    for (const double v : sorted) {
        sum += v;
    }
    s.mean = sum / static_cast<double>(s.n);
    double ss = 0;
    for (const double v : sorted) {
        ss += (v - s.mean) * (v - s.mean);
    }
    const double std = s.n > 1 ? std::sqrt(ss / static_cast<double>(s.n - 1)) : 0.0;
    const double root_n = std::sqrt(static_cast<double>(s.n));
    s.sem = std / root_n;
    s.rel_std = s.mean > 0 ? std / s.mean : 0.0;
    // The median's standard error is about sqrt(pi/2) times the mean's for near-normal samples.
    s.rel_sem_median = s.median > 0 ? 1.2533 * std / root_n / s.median : 0.0;
    const double lo = s.q1 - 1.5 * s.iqr;
    const double hi = s.q3 + 1.5 * s.iqr;
    s.outliers = static_cast<std::size_t>(
        std::count_if(sorted.begin(), sorted.end(), [&](double v) { return v < lo || v > hi; }));
    return s;
}

std::string_view budgetName(Budget b) {
    return b == Budget::Thorough ? "thorough" : "interactive";
}

StopRule stopRuleFor(Budget budget) {
    if (budget == Budget::Thorough) {
        // 0.1 %: five thorough runs of one kernel agree within 0.5 % (tests/bench/gpu/fidelity.py).
        return StopRule{.min_samples = 30,
                        .max_samples = 5000,
                        .warmup_s = 0.5,
                        .later_warmup_s = 0.5,
                        .max_rel_sem = 0.001,
                        .time_cap_s = 3.0};
    }
    return StopRule{};
}

std::string_view stopReasonName(StopReason r) {
    switch (r) {
    case StopReason::Converged:
        return "converged";
    case StopReason::Timeout:
        return "timeout";
    case StopReason::MaxSamples:
        return "max-samples";
    case StopReason::None:
        break;
    }
    return "none";
}

StopReason shouldStop(const StopRule& rule, std::span<const double> samples, double elapsed_s) {
    const std::size_t n = samples.size();
    if (n >= rule.max_samples) {
        return StopReason::MaxSamples;
    }
    if (n < rule.min_samples) {
        // A kernel so slow that even the minimum does not fit the cap still stops, with at least 3 samples.
        return (elapsed_s > rule.time_cap_s && n >= 3) ? StopReason::Timeout : StopReason::None;
    }
    if (summarize(samples).rel_sem_median < rule.max_rel_sem) {
        return StopReason::Converged;
    }
    return elapsed_s > rule.time_cap_s ? StopReason::Timeout : StopReason::None;
}

} // namespace kf::runner
