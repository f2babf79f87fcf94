// SPDX-License-Identifier: MIT
#include "run_report.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

namespace kf::cli {

namespace {

std::string fmt(const char* f, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

std::string numberOr(const nlohmann::json& obj, const char* key, const char* f, const char* dash = "-") {
    if (!obj.is_object()) {
        return dash;
    }
    const auto it = obj.find(key);
    return it != obj.end() && it->is_number() ? fmt(f, it->get<double>()) : std::string(dash);
}

std::string sizeText(const nlohmann::json& size) {
    std::string s;
    for (const auto& [k, v] : size.items()) {
        s += (s.empty() ? "" : " ") + k + "=" + v.dump();
    }
    return s;
}

// Left-aligned columns, two spaces apart.
std::string table(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> w;
    for (const auto& r : rows) {
        w.resize(std::max(w.size(), r.size()));
        for (std::size_t i = 0; i < r.size(); ++i) {
            w[i] = std::max(w[i], r[i].size());
        }
    }
    std::string out;
    for (const auto& r : rows) {
        std::string line;
        for (std::size_t i = 0; i < r.size(); ++i) {
            line += r[i] + (i + 1 < r.size() ? std::string(w[i] - r[i].size() + 2, ' ') : "");
        }
        out += line + "\n";
    }
    return out;
}

} // namespace

std::string renderRunReport(const runner::RunSummary& run) {
    std::ostringstream out;
    const auto& dev = run.device();
    if (dev.is_object()) {
        out << "device: " << dev.value("name", "?") << " (" << dev.value("arch", "?") << ", CUDA "
            << dev.value("cuda", "?") << ", driver " << dev.value("driver", "?") << ")\n";
    }
    for (const auto& c : run.compiled()) {
        out << "compile " << c.role << ": " << (c.ok ? "ok" : "FAILED") << (c.cached ? " (cached)" : "")
            << ", " << fmt("%.2f s", c.seconds);
        for (const auto& k : c.kernels) {
            out << "\n  kernel " << k.value("name", "?") << ": " << k.value("registers", 0) << " registers, "
                << k.value("smem_static", 0) << " B smem, " << k.value("stack", 0) << " B stack, "
                << k.value("spill_stores", 0) << "/" << k.value("spill_loads", 0) << " B spill st/ld";
        }
        for (const auto& d : c.diagnostics) {
            out << "\n  " << d.value("file", "") << ":" << d.value("line", 0) << ":" << d.value("col", 0)
                << ": " << d.value("severity", "") << ": " << d.value("message", "");
        }
        out << "\n";
    }
    if (!run.sizes().empty()) {
        std::vector<std::vector<std::string>> rows = {{"size", "checks", "rel-L2", "kernel us", "IQR",
                                                       "base us", "speedup", "GB/s", "GFLOP/s", "flags"}};
        for (const auto& r : run.sizes()) {
            std::string flags;
            if (r.candidate.is_object()) {
                for (const auto& f : r.candidate.value("flags", nlohmann::json::array())) {
                    flags += (flags.empty() ? "" : ",") + f.get<std::string>();
                }
            }
            rows.push_back(
                {sizeText(r.size), std::to_string(r.checks_ok) + "/" + std::to_string(r.checks),
                 r.worst_rel_l2 ? fmt("%.1e", *r.worst_rel_l2) : "-",
                 numberOr(r.candidate, "median_us", "%.2f"), numberOr(r.candidate, "iqr_us", "%.2f"),
                 numberOr(r.baseline, "median_us", "%.2f"), numberOr(r.candidate, "speedup", "%.2fx"),
                 numberOr(r.candidate, "gbps", "%.0f"), numberOr(r.candidate, "gflops", "%.0f"), flags});
        }
        out << "\n" << table(rows);
        for (const auto& r : run.sizes()) {
            for (const auto& p : r.problems) {
                out << "  " << sizeText(r.size) << ": " << p << "\n";
            }
        }
    }
    for (const auto& e : run.errors()) {
        out << "error: " << e << "\n";
    }
    const auto& d = run.done();
    out << "\nverdict: " << (run.verdict().empty() ? "none (the run did not finish)" : run.verdict());
    if (const auto s = run.speedup()) {
        out << fmt(", speedup %.2fx", *s) << " at the headline size";
        if (d.contains("speedup_geomean") && d["speedup_geomean"].is_number()) {
            out << fmt(" (geomean %.2fx)", d["speedup_geomean"].get<double>());
        }
    }
    out << "\n";
    if (d.is_object()) {
        for (const auto& r : d.value("reasons", nlohmann::json::array())) {
            out << "  " << r.get<std::string>() << "\n";
        }
    }
    return out.str();
}

std::string progressLine(const nlohmann::json& ev) {
    const std::string kind = ev.value("event", "");
    if (kind == "stage") {
        return "[" + ev.value("stage", std::string("?")) +
               (ev.contains("size_index") ? " size " + ev["size_index"].dump() : "") + "]";
    }
    if (kind == "compiled") {
        return "compiled " + ev.value("role", std::string("?")) + ": " +
               (ev.value("ok", false) ? "ok" : "FAILED") + (ev.value("cached", false) ? " (cached)" : "") +
               fmt(" in %.2f s", ev.value("seconds", 0.0));
    }
    if (kind == "checked") {
        return "checked " + sizeText(ev.value("size", nlohmann::json::object())) + " " +
               ev.value("phase", "") + ": " + (ev.value("ok", false) ? "ok" : "FAILED");
    }
    if (kind == "timed") {
        return "timed " + ev.value("who", std::string("?")) + " " +
               sizeText(ev.value("size", nlohmann::json::object())) + ": " +
               numberOr(ev, "median_us", "%.2f us") + " median of " +
               ev.value("samples", nlohmann::json(0)).dump();
    }
    if (kind == "error") {
        return "error (" + ev.value("stage", std::string("?")) + "): " + ev.value("message", std::string());
    }
    return {};
}

std::string renderCeilings(const nlohmann::json& c) {
    struct Row {
        const char* key;
        const char* label;
        const char* unit;
    };
    const Row rows[] = {{"dram_gbps", "DRAM bandwidth", "GB/s"},   {"l2_gbps", "L2 bandwidth", "GB/s"},
                        {"fp32_tflops", "FP32 (FFMA)", "TFLOP/s"}, {"fp64_tflops", "FP64 (DFMA)", "TFLOP/s"},
                        {"tf32_tflops", "TF32 tensor", "TFLOP/s"}, {"bf16_tflops", "BF16 tensor", "TFLOP/s"},
                        {"fp16_tflops", "FP16 tensor", "TFLOP/s"}};
    std::vector<std::vector<std::string>> t = {{"ceiling", "measured", "unit"}};
    for (const auto& r : rows) {
        t.push_back({r.label, numberOr(c, r.key, "%.1f"), r.unit});
    }
    std::string head;
    if (c.contains("device") && c["device"].is_object()) {
        head = "device: " + c["device"].value("name", std::string("?")) + " (" +
               c["device"].value("uuid", std::string()) + ")\n";
    }
    return head + table(t);
}

} // namespace kf::cli
