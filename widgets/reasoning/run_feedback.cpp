// SPDX-License-Identifier: MIT
#include "widgets/reasoning/run_feedback.h"

#include <algorithm>
#include <string>

namespace kf::widgets {

namespace {

double number(const nlohmann::json& obj, const char* key, double fallback = -1.0) {
    if (!obj.is_object()) {
        return fallback;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string text(const nlohmann::json& obj, const char* key) {
    if (!obj.is_object()) {
        return {};
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string sizeText(const nlohmann::json& size) {
    std::string s;
    for (const auto& [k, v] : size.items()) {
        s += (s.empty() ? "" : ", ") + k + "=" + v.dump();
    }
    return s.empty() ? "default size" : s;
}

// "y[17, 4095]: got 0.12, expected 0.13" from the `worst` object of a checked event.
std::string worstText(const nlohmann::json& w) {
    if (!w.is_object()) {
        return {};
    }
    std::string index;
    for (const auto& i : w.value("index", nlohmann::json::array())) {
        index += (index.empty() ? "" : ", ") + i.dump();
    }
    return text(w, "output") + "[" + index + "]: got " + w.value("got", nlohmann::json()).dump() +
           ", expected " + w.value("want", nlohmann::json()).dump();
}

} // namespace

teacher::RunFeedback runFeedbackFromSummary(const runner::RunSummary& run) {
    teacher::RunFeedback fb;
    for (const auto& c : run.compiled()) {
        if (c.role != "candidate") {
            continue;
        }
        fb.compiled = c.ok;
        for (const auto& d : c.diagnostics) {
            const auto file = text(d, "file");
            if (file.ends_with(".reference.cu") || file.ends_with(".baseline.cu")) {
                continue;
            }
            fb.diagnostics.push_back({static_cast<int>(number(d, "line", 0)),
                                      static_cast<int>(number(d, "col", 0)), text(d, "severity"),
                                      text(d, "message")});
        }
    }
    // The checked events themselves (the summary's rows merge them): each failed one, with its numbers.
    for (const auto& ev : run.events()) {
        if (text(ev, "event") != "checked") {
            continue;
        }
        teacher::RunFeedback::Check c;
        c.size = sizeText(ev.value("size", nlohmann::json::object()));
        c.ok = ev.value("ok", false);
        std::string problems;
        for (const auto& p : ev.value("problems", nlohmann::json::array())) {
            if (p.is_string()) {
                problems += (problems.empty() ? "" : "; ") + p.get<std::string>();
            }
        }
        c.problem = problems.empty() && !c.ok ? "wrong values" : problems;
        const auto phase = text(ev, "phase");
        if (!phase.empty() && phase != "check") {
            c.size += " (" + phase + " check)";
        }
        c.max_abs_err = number(ev, "max_abs_err");
        c.rel_l2 = number(ev, "rel_l2");
        c.bad = static_cast<int64_t>(number(ev, "bad"));
        c.worst = c.ok ? std::string() : worstText(ev.value("worst", nlohmann::json()));
        fb.checks.push_back(std::move(c));
    }
    const auto& ceil = run.ceilings();
    const double dram = number(ceil, "dram_gbps");
    const double fp32 = number(ceil, "fp32_tflops");
    for (const auto& r : run.sizes()) {
        if (!r.candidate.is_object() && !r.baseline.is_object()) {
            continue;
        }
        teacher::RunFeedback::Timing t;
        t.size = sizeText(r.size);
        t.candidate_us = number(r.candidate, "median_us");
        t.baseline_us = number(r.baseline, "median_us");
        // Attained / attainable = max(GB/s / DRAM roof, GFLOP/s / compute roof): the larger names the roof
        // that binds at this intensity.
        const double gbps = number(r.candidate, "gbps");
        const double gflops = number(r.candidate, "gflops");
        const double mem = dram > 0 && gbps >= 0 ? gbps / dram : -1.0;
        const double flop = fp32 > 0 && gflops >= 0 ? gflops / (fp32 * 1000.0) : -1.0;
        if (mem >= 0 || flop >= 0) {
            t.pct_of_roof = 100.0 * std::max(mem, flop);
            t.roof = mem >= flop ? "DRAM" : "FP32";
        }
        fb.timings.push_back(std::move(t));
    }
    return fb;
}

} // namespace kf::widgets
