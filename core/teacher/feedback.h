// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

// What a run of the teacher's kernel produced, in the form a follow-up turn needs. The runner's events map
// onto it (compiled -> diagnostics, checked -> checks, timed -> timings).
struct RunFeedback {
    struct Diagnostic {
        int line = 0; // in the kernel source, 1-based; 0 when the compiler gave none
        int col = 0;
        std::string severity; // "error", "warning"
        std::string message;
    };
    struct Check {
        std::string size; // "rows=4096, cols=8192"
        bool ok = false;
        std::string problem; // "wrong values", "unwritten outputs", "NaN", "inputs modified", "crash: ..."
        double max_abs_err = -1.0;
        double rel_l2 = -1.0;
        int64_t bad = -1;
        std::string worst; // "y[17, 4095]: got 0.12, expected 0.13"
    };
    struct Timing {
        std::string size;
        double candidate_us = -1.0;
        double baseline_us = -1.0;
        double pct_of_roof = -1.0; // of the ceiling that binds at this intensity
        std::string roof;          // "DRAM", "FP32", "BF16 tensor"
    };

    bool compiled = true;
    std::vector<Diagnostic> diagnostics;
    std::vector<Check> checks;
    std::vector<Timing> timings;
};

// The user turn that feeds a run back to the teacher: compiler diagnostics quoted with their source lines,
// failed checks with sizes and errors, timings against the baseline and the roofline, and what to do next.
std::string renderFeedback(const RunFeedback& run, std::string_view kernel_source);

} // namespace kf::teacher
