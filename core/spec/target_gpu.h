// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace kf::spec {

// What the teacher is told about the GPU it writes for. Datasheet figures (dense, no sparsity) until a
// calibration of the real device replaces them.
struct TargetGpu {
    std::string key;  // "h100-sxm"
    std::string name; // "NVIDIA H100 SXM5 80 GB"
    std::string arch; // "sm_90a"
    int sms = 0;
    double l2_mib = 0.0;
    double smem_per_block_kib = 0.0; // opt-in maximum
    double dram_tbps = 0.0;
    double fp32_tflops = 0.0;
    double bf16_tflops = 0.0; // dense tensor-core rate

    std::string describe() const; // a short paragraph for the prompt
};

const std::vector<TargetGpu>& knownTargetGpus();
std::optional<TargetGpu> findTargetGpu(const std::string& key);

} // namespace kf::spec
