// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace kf::gpu {

struct CalibrateOptions {
    bool quick = false; // 10 repetitions and 50 ms warm-ups instead of 50 and 300 ms; no sustained GEMM run
    std::function<void(const std::string&)> progress; // one line per step, for a human
};

// Measures the current CUDA device's ceilings (measurement.md §5) and returns the payload of the `ceilings`
// event of docs/runner-protocol.md without "event" and "device" (the caller adds both):
//   {"dram_gbps","l2_gbps","fp32_tflops","fp64_tflops","bf16_tflops","fp16_tflops","tf32_tflops","details"}
// Each ceiling is the median of its timed repetitions (the best measurement's, where there are several);
// "details" holds every measurement with its sizes, median, best, repetitions, NVML clocks before and after,
// and for GEMMs the cuBLASLt algorithm. Estimated at 7-10 s on an H100 or H200 (quick: 2-3 s), most of it
// warm-ups; details.seconds says what it took.
// Throws std::runtime_error naming the failed CUDA or cuBLASLt call and its error.
nlohmann::json calibrate(const CalibrateOptions& options);

} // namespace kf::gpu
