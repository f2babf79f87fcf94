// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

// A `ceilings` event as kf-runner's calibration writes it, with an H200's measured values.
inline nlohmann::json h200CeilingsEvent() {
    return {{"event", "ceilings"},
            {"device", {{"name", "NVIDIA H200"}, {"uuid", "GPU-5f1c0c7e-h200"}, {"cc", "9.0"}}},
            {"dram_gbps", 4272.0},
            {"l2_gbps", 9812.0},
            {"fp32_tflops", 64.7},
            {"fp64_tflops", 33.4},
            {"tf32_tflops", 353.0},
            {"fp16_tflops", 640.0},
            {"bf16_tflops", 690.0},
            {"details", {{"quick", false}}}};
}
