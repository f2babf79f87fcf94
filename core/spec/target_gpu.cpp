// SPDX-License-Identifier: MIT
#include "target_gpu.h"

#include <cstdio>

namespace kf::spec {

// Datasheet values from docs/measurement.md §5.2 (shared docs): dense rates, no sparsity.
const std::vector<TargetGpu>& knownTargetGpus() {
    static const std::vector<TargetGpu> gpus = {
        {"h100-sxm", "NVIDIA H100 SXM5 80 GB", "sm_90a", 132, 50.0, 227.0, 3.35, 66.9, 989.4},
        {"h100-pcie", "NVIDIA H100 PCIe 80 GB", "sm_90a", 114, 50.0, 227.0, 2.0, 51.0, 756.0},
        {"h200", "NVIDIA H200 SXM 141 GB", "sm_90a", 132, 60.0, 227.0, 4.8, 66.9, 989.4},
    };
    return gpus;
}

std::optional<TargetGpu> findTargetGpu(const std::string& key) {
    for (const auto& g : knownTargetGpus()) {
        if (g.key == key) {
            return g;
        }
    }
    return std::nullopt;
}

std::string TargetGpu::describe() const {
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "%s (compute capability 9.0, compiled for %s): %d SMs, %.0f MiB L2, up to %.0f KiB shared memory "
                  "per block (opt-in), %.2f TB/s DRAM, %.1f TFLOP/s FP32, %.0f TFLOP/s dense BF16 tensor core "
                  "(datasheet figures).",
                  name.c_str(), arch.c_str(), sms, l2_mib, smem_per_block_kib, dram_tbps, fp32_tflops, bf16_tflops);
    return buf;
}

} // namespace kf::spec
