// SPDX-License-Identifier: MIT
#include "feedback.h"

#include <algorithm>
#include <cstdio>

namespace kf::teacher {
namespace {

std::string sourceLine(std::string_view source, int line) {
    if (line < 1) {
        return {};
    }
    std::size_t pos = 0;
    for (int i = 1; i < line; ++i) {
        pos = source.find('\n', pos);
        if (pos == std::string_view::npos) {
            return {};
        }
        ++pos;
    }
    const auto end = source.find('\n', pos);
    std::string text(source.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    text.erase(0, text.find_first_not_of(" \t"));
    return text;
}

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

} // namespace

std::string renderFeedback(const RunFeedback& run, std::string_view kernel_source) {
    std::string out = "Your kernel was compiled and run on the GPU. Results:\n\n";
    const bool any_error = std::any_of(run.diagnostics.begin(), run.diagnostics.end(),
                                       [](const auto& d) { return d.severity == "error"; });
    if (!run.compiled || any_error) {
        out += "## Compilation failed\n\n";
    } else if (!run.diagnostics.empty()) {
        out += "## Compiler warnings\n\n";
    }
    for (const auto& d : run.diagnostics) {
        out += "- line " + std::to_string(d.line) + (d.col > 0 ? ":" + std::to_string(d.col) : "") + ": " +
               d.severity + ": " + d.message + "\n";
        const auto code = sourceLine(kernel_source, d.line);
        if (!code.empty()) {
            out += "  `" + code + "`\n";
        }
    }
    if (!run.diagnostics.empty()) {
        out += "\n";
    }
    const auto failed =
        std::count_if(run.checks.begin(), run.checks.end(), [](const auto& c) { return !c.ok; });
    if (!run.checks.empty()) {
        out += failed ? "## Correctness: " + std::to_string(failed) + " of " +
                            std::to_string(run.checks.size()) + " checks failed\n\n"
                      : "## Correctness: all " + std::to_string(run.checks.size()) + " checks passed\n\n";
        for (const auto& c : run.checks) {
            if (c.ok) {
                continue;
            }
            out += "- " + c.size + ": " + c.problem;
            if (c.rel_l2 >= 0) {
                out += fmt(", relative L2 error %.3g", c.rel_l2);
            }
            if (c.max_abs_err >= 0) {
                out += fmt(", max abs error %.3g", c.max_abs_err);
            }
            if (c.bad >= 0) {
                out += ", " + std::to_string(c.bad) + " elements out of tolerance";
            }
            if (!c.worst.empty()) {
                out += "; worst " + c.worst;
            }
            out += "\n";
        }
        if (failed) {
            out += "\n";
        }
    }
    if (!run.timings.empty()) {
        out += "## Timing (median, L2 flushed before each run)\n\n| size | yours (us) | baseline (us) | "
               "speedup | % of roof |\n"
               "|---|---|---|---|---|\n";
        for (const auto& t : run.timings) {
            const bool both = t.candidate_us > 0 && t.baseline_us > 0;
            out += "| " + t.size + " | " + (t.candidate_us > 0 ? fmt("%.2f", t.candidate_us) : "-") + " | " +
                   (t.baseline_us > 0 ? fmt("%.2f", t.baseline_us) : "-") + " | " +
                   (both ? fmt("%.2fx", t.baseline_us / t.candidate_us) : "-") + " | " +
                   (t.pct_of_roof >= 0 ? fmt("%.0f%%", t.pct_of_roof) + (t.roof.empty() ? "" : " " + t.roof)
                                       : "-") +
                   " |\n";
        }
        out += "\n";
    }
    if (!run.compiled || any_error) {
        out += "Fix the compilation errors.";
    } else if (failed) {
        out += "Find and fix the cause of the failed checks; the kernel must be correct at every size.";
    } else {
        out += "It is correct. Make it faster where the roofline shows room, without breaking correctness.";
    }
    out += " Reply with the complete translation unit in one ```cuda block that defines kf_launch.\n";
    return out;
}

} // namespace kf::teacher
