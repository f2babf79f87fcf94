// SPDX-License-Identifier: MIT
// kf-calibrate-probe [--quick] [--json FILE]
//
// Runs kf::gpu::calibrate() on the current CUDA device, prints the device, each ceiling beside its datasheet
// value (H100 SXM / H100 PCIe / H200, dense, from measurement.md §5.2) with the percentage, every individual
// measurement, and writes the full JSON payload to FILE (or stdout when FILE is "-"). Progress goes to
// stderr. Exit status: 0 measured, 1 a CUDA/cuBLAS error (the message names the call), 2 bad usage.

#include "gpu/calibrate/calibrate.h"

#include <cstdio>
#include <cstring>
#include <cuda_runtime_api.h>
#include <exception>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

namespace {

// Datasheet figures (dense, no sparsity). FP16 here is the tensor-core rate with fp32 accumulate, as
// measured; a non-tensor FP16 figure is not listed (the 133.8 TFLOP/s datasheet value did not reproduce:
// §5.3).
struct Datasheet {
    const char* name;
    double dram_gbps, fp32, fp64, tf32, bf16, fp16;
};

constexpr Datasheet kH100Sxm{"H100 SXM5 datasheet", 3350, 66.9, 33.5, 494.7, 989.4, 989.4};
constexpr Datasheet kH100Pcie{"H100 PCIe datasheet", 2000, 51.0, 26.0, 378.0, 756.0, 756.0};
constexpr Datasheet kH200{"H200 SXM datasheet", 4800, 66.9, 33.5, 494.7, 989.4, 989.4};

std::optional<Datasheet> datasheetFor(const std::string& name) {
    if (name.find("H200") != std::string::npos) {
        return kH200;
    }
    if (name.find("H100") != std::string::npos) {
        if (name.find("PCIe") != std::string::npos) {
            return kH100Pcie;
        }
        if (name.find("NVL") == std::string::npos) { // "NVIDIA H100 80GB HBM3" is the SXM5 part
            return kH100Sxm;
        }
    }
    return std::nullopt;
}

void usage(const char* argv0) {
    std::fprintf(stderr,
                 "usage: %s [--quick] [--json FILE]\n"
                 "  Measures the current CUDA device's ceilings and prints them beside the datasheet.\n"
                 "  --quick      10 repetitions and short warm-ups (2-3 s instead of 7-10 s)\n"
                 "  --json FILE  write the ceilings payload (JSON) to FILE; '-' for stdout (the report then "
                 "goes to stderr)\n",
                 argv0);
}

std::string fixed(double v, int decimals) {
    char text[64];
    std::snprintf(text, sizeof text, "%.*f", decimals, v);
    return text;
}

// A number from the payload as text; "null" where the payload has none (the probe must never die printing).
std::string num(const nlohmann::json& j, const std::string& key, int decimals) {
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? fixed(it->get<double>(), decimals) : "null";
}

void row(std::FILE* out, const char* what, const char* unit, const nlohmann::json& payload, const char* key,
         std::optional<double> sheet, int decimals) {
    const auto it = payload.find(key);
    const bool known = it != payload.end() && it->is_number();
    std::string sheet_text = "unknown";
    std::string percent = "-";
    if (sheet.has_value() && *sheet > 0.0) {
        sheet_text = fixed(*sheet, decimals);
        if (known) {
            percent = fixed(100.0 * it->get<double>() / *sheet, 1) + " %";
        }
    }
    std::fprintf(out, "  %-6s %-8s %12s %12s %9s\n", what, unit, num(payload, key, decimals).c_str(),
                 sheet_text.c_str(), percent.c_str());
}

void printMeasurements(std::FILE* out, const char* title, const nlohmann::json& block,
                       const std::string& unit_key) {
    std::fprintf(out, "  %s:\n", title);
    for (const auto& m : block.value("measurements", nlohmann::json::array())) {
        std::string flags;
        for (const auto& f : m.value("flags", nlohmann::json::array())) {
            flags += " [" + f.get<std::string>() + "]";
        }
        std::string clocks;
        const nlohmann::json clock_pair = m.value("clocks", nlohmann::json()); // null without NVML
        const nlohmann::json after =
            clock_pair.is_object() ? clock_pair.value("after", nlohmann::json()) : nullptr;
        if (after.is_object()) {
            clocks = "  after: SM " + num(after, "sm_mhz", 0) + " of " + num(after, "max_sm_mhz", 0) +
                     " MHz, " + num(after, "power_w", 0) + " W, " + num(after, "temp_c", 0) + " C";
        }
        std::fprintf(out, "    %-56s median %9s  best %9s  %3s reps%s%s%s\n", m.value("name", "?").c_str(),
                     num(m, "median_" + unit_key, 1).c_str(), num(m, "best_" + unit_key, 1).c_str(),
                     num(m, "reps", 0).c_str(),
                     m.value("counts_for_ceiling", true) ? "" : " (not in ceiling)", clocks.c_str(),
                     flags.c_str());
    }
}

struct DeviceLine {
    std::string name;
    int cc_major = 0, cc_minor = 0, sms = 0;
    double l2_mib = 0.0, mem_gib = 0.0;
};

void printReport(std::FILE* out, const DeviceLine& device, const nlohmann::json& payload) {
    const nlohmann::json& d = payload.at("details");
    const std::optional<Datasheet> sheet = datasheetFor(device.name);
    std::fprintf(out, "device: %s (cc %d.%d, %d SMs, L2 %.1f MiB, %.1f GiB); %s calibration took %s s\n",
                 device.name.c_str(), device.cc_major, device.cc_minor, device.sms, device.l2_mib,
                 device.mem_gib, d.value("quick", false) ? "quick" : "full", num(d, "seconds", 1).c_str());
    std::fprintf(out, "datasheet column: %s\n\n", sheet ? sheet->name : "unknown for this device");
    std::fprintf(out, "  %-6s %-8s %12s %12s %9s\n", "", "unit", "measured", "datasheet", "of sheet");
    auto s = [&](double Datasheet::*field) {
        return sheet ? std::optional<double>((*sheet).*field) : std::nullopt;
    };
    row(out, "DRAM", "GB/s", payload, "dram_gbps", s(&Datasheet::dram_gbps), 0);
    row(out, "L2", "GB/s", payload, "l2_gbps", std::nullopt, 0);
    row(out, "FP32", "TFLOP/s", payload, "fp32_tflops", s(&Datasheet::fp32), 1);
    row(out, "FP64", "TFLOP/s", payload, "fp64_tflops", s(&Datasheet::fp64), 1);
    row(out, "TF32", "TFLOP/s", payload, "tf32_tflops", s(&Datasheet::tf32), 1);
    row(out, "BF16", "TFLOP/s", payload, "bf16_tflops", s(&Datasheet::bf16), 1);
    row(out, "FP16", "TFLOP/s", payload, "fp16_tflops", s(&Datasheet::fp16), 1);
    std::fprintf(
        out, "\n  Each ceiling is a median over timed repetitions. DRAM: the best copy, read + write bytes.\n"
             "  L2: the best working set (no datasheet figure). FP32/FP64: FMA chains, 2 FLOP per FMA.\n"
             "  TF32/BF16/FP16: cuBLASLt 8192^3 on random data, tensor cores with fp32 accumulate.\n\n");

    std::fprintf(out, "measurements (%s reps each after a %s s warm-up):\n",
                 num(d.value("plan", nlohmann::json::object()), "reps", 0).c_str(),
                 num(d.value("plan", nlohmann::json::object()), "warmup_s", 2).c_str());
    printMeasurements(out, "DRAM, GB/s", d.at("dram"), "gbps");
    printMeasurements(out, "L2, GB/s", d.at("l2"), "gbps");
    printMeasurements(out, "FP32, TFLOP/s", d.at("fp32"), "tflops");
    printMeasurements(out, "FP64, TFLOP/s", d.at("fp64"), "tflops");
    printMeasurements(out, "BF16, TFLOP/s", d.at("bf16"), "tflops");
    printMeasurements(out, "FP16, TFLOP/s", d.at("fp16"), "tflops");
    printMeasurements(out, "TF32, TFLOP/s", d.at("tf32"), "tflops");
    if (d.value("bf16_sustained", nlohmann::json()).is_object()) {
        printMeasurements(out, "BF16 sustained, TFLOP/s", d.at("bf16_sustained"), "tflops");
    }
    std::fprintf(out, "\ncuBLASLt algorithms (heuristic's first):\n");
    for (const char* key : {"bf16", "fp16", "tf32"}) {
        const nlohmann::json& m = d.at(key).at("measurements").at(0);
        std::fprintf(out,
                     "  %-5s id %s, tile %s, stages %s, split-K %s, swizzle %s, cluster %s, workspace %s B\n",
                     key, num(m, "algo_id", 0).c_str(), num(m, "algo_tile_id", 0).c_str(),
                     num(m, "algo_stages_id", 0).c_str(), num(m, "algo_splitk_num", 0).c_str(),
                     num(m, "algo_cta_swizzling", 0).c_str(), num(m, "algo_cluster_shape_id", 0).c_str(),
                     num(m, "algo_workspace_bytes", 0).c_str());
    }
    const nlohmann::json nvml = d.value("nvml", nlohmann::json::object());
    const std::string nvml_text =
        nvml.value("available", false)
            ? "available, " + nvml.value("uuid", std::string("?"))
            : "unavailable (" + nvml.value("why_not", std::string("?")) + "): no clocks or power recorded";
    std::fprintf(out, "NVML: %s\n", nvml_text.c_str());
    std::fprintf(out, "CUDA runtime %s, driver %s, cuBLASLt %s\n",
                 d.value("cuda_runtime", std::string("?")).c_str(),
                 d.value("cuda_driver", std::string("?")).c_str(), num(d, "cublaslt_version", 0).c_str());
}

// Writes the payload first, so a calibration is kept even if printing fails.
bool writeJson(const std::string& path, const nlohmann::json& payload) {
    const std::string text = payload.dump(2) + "\n";
    if (path == "-") {
        std::fputs(text.c_str(), stdout);
        return true;
    }
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
        std::fprintf(stderr, "kf-calibrate-probe: cannot write %s\n", path.c_str());
        return false;
    }
    std::fprintf(stderr, "kf-calibrate-probe: JSON written to %s\n", path.c_str());
    return true;
}

} // namespace

int main(int argc, char** argv) {
    kf::gpu::CalibrateOptions options;
    std::string json_path;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) {
            options.quick = true;
        } else if (std::strcmp(argv[i], "--json") == 0 && i + 1 < argc) {
            json_path = argv[++i];
        } else if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
            usage(argv[0]);
            return 0;
        } else {
            std::fprintf(stderr, "kf-calibrate-probe: unknown argument '%s'\n", argv[i]);
            usage(argv[0]);
            return 2;
        }
    }
    options.progress = [](const std::string& line) { std::fprintf(stderr, "calibrate: %s\n", line.c_str()); };

    int device = 0;
    cudaDeviceProp prop{};
    if (const cudaError_t e = cudaGetDevice(&device); e != cudaSuccess) {
        std::fprintf(stderr, "kf-calibrate-probe: cudaGetDevice failed: %s (%s)\n", cudaGetErrorName(e),
                     cudaGetErrorString(e));
        return 1;
    }
    if (const cudaError_t e = cudaGetDeviceProperties(&prop, device); e != cudaSuccess) {
        std::fprintf(stderr, "kf-calibrate-probe: cudaGetDeviceProperties failed: %s (%s)\n",
                     cudaGetErrorName(e), cudaGetErrorString(e));
        return 1;
    }

    nlohmann::json payload;
    try {
        payload = kf::gpu::calibrate(options);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kf-calibrate-probe: calibration failed: %s\n", e.what());
        return 1;
    }

    if (!json_path.empty() && !writeJson(json_path, payload)) {
        return 1;
    }
    DeviceLine line{prop.name,
                    prop.major,
                    prop.minor,
                    prop.multiProcessorCount,
                    prop.l2CacheSize / 1048576.0,
                    static_cast<double>(prop.totalGlobalMem) / 1073741824.0};
    try {
        printReport(json_path == "-" ? stderr : stdout, line, payload); // keep stdout pure JSON for "-"
    } catch (const std::exception& e) {
        std::fprintf(stderr, "kf-calibrate-probe: cannot print the report (%s); the JSON has everything\n",
                     e.what());
        return 1;
    }
    return 0;
}
