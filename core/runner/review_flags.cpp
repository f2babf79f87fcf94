// SPDX-License-Identifier: MIT
#include "review_flags.h"

namespace kf::runner {

namespace {

double ceiling(const nlohmann::json& ceilings, const char* key) {
    if (!ceilings.is_object()) {
        return 0;
    }
    const auto it = ceilings.find(key);
    return it != ceilings.end() && it->is_number() ? it->get<double>() : 0;
}

// The compute roof that binds a kernel whose outputs have this type.
const char* computeRoof(spec::DType t) {
    switch (t) {
    case spec::DType::F64:
        return "fp64_tflops";
    case spec::DType::F32:
        return "fp32_tflops";
    case spec::DType::F16:
        return "fp16_tflops";
    case spec::DType::BF16:
        return "bf16_tflops";
    default:
        return nullptr;
    }
}

} // namespace

std::vector<std::string> reviewFlags(const spec::Spec& spec, const spec::SizeCase& size, double median_us,
                                     double speedup, const nlohmann::json& ceilings) {
    std::vector<std::string> flags;
    if (speedup > 10.0) {
        flags.push_back("speedup>10x");
    }
    if (median_us <= 0) {
        return flags;
    }
    const double gbps = size.bytes / median_us / 1e3;
    const double dram = ceiling(ceilings, "dram_gbps");
    if (dram > 0 && gbps > 0.95 * dram) {
        flags.push_back(">95%-of-roof:dram");
    }
    if (const char* roof = computeRoof(spec.outputs.front().dtype); roof != nullptr && size.flops > 0) {
        const double tflops = size.flops / median_us / 1e6;
        const double peak = ceiling(ceilings, roof);
        if (peak > 0 && tflops > 0.95 * peak) {
            flags.push_back(std::string(">95%-of-roof:") + roof);
        }
    }
    return flags;
}

} // namespace kf::runner
