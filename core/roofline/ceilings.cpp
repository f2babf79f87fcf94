// SPDX-License-Identifier: MIT
#include "ceilings.h"

#include <algorithm>
#include <cmath>

namespace kf::roofline {

bool isBandwidthRoof(Roof r) {
    return r == Roof::Dram || r == Roof::L2;
}

std::string_view roofKey(Roof r) {
    switch (r) {
    case Roof::Dram:
        return "dram_gbps";
    case Roof::L2:
        return "l2_gbps";
    case Roof::Fp64:
        return "fp64_tflops";
    case Roof::Fp32:
        return "fp32_tflops";
    case Roof::Tf32:
        return "tf32_tflops";
    case Roof::Fp16:
        return "fp16_tflops";
    case Roof::Bf16:
        return "bf16_tflops";
    }
    return "";
}

std::string_view roofLabel(Roof r) {
    switch (r) {
    case Roof::Dram:
        return "DRAM";
    case Roof::L2:
        return "L2";
    case Roof::Fp64:
        return "FP64";
    case Roof::Fp32:
        return "FP32";
    case Roof::Tf32:
        return "TF32 tensor";
    case Roof::Fp16:
        return "FP16 tensor";
    case Roof::Bf16:
        return "BF16 tensor";
    }
    return "";
}

std::optional<double> Ceilings::value(Roof r) const {
    const auto it = values.find(r);
    return it == values.end() ? std::nullopt : std::optional<double>(it->second);
}

std::vector<Roof> Ceilings::computeRoofs() const {
    std::vector<Roof> roofs;
    for (const auto& [roof, v] : values) {
        if (!isBandwidthRoof(roof)) {
            roofs.push_back(roof);
        }
    }
    std::stable_sort(roofs.begin(), roofs.end(),
                     [this](Roof a, Roof b) { return values.at(a) < values.at(b); });
    return roofs;
}

std::optional<Ceilings> parseCeilings(const nlohmann::json& ev, std::string* error) {
    auto fail = [&](const std::string& why) -> std::optional<Ceilings> {
        if (error != nullptr) {
            *error = why;
        }
        return std::nullopt;
    };
    if (!ev.is_object()) {
        return fail("the ceilings are not a JSON object (got " + std::string(ev.type_name()) + ")");
    }
    Ceilings c;
    if (const auto dev = ev.find("device"); dev != ev.end() && dev->is_object()) {
        c.device_name = dev->value("name", std::string());
        c.device_uuid = dev->value("uuid", std::string());
    }
    for (const Roof r : kAllRoofs) {
        const std::string key(roofKey(r));
        const auto it = ev.find(key);
        if (it == ev.end() || it->is_null()) {
            continue; // not measured
        }
        if (!it->is_number()) {
            return fail(key + ": expected a number, got " + it->dump());
        }
        const double v = it->get<double>();
        if (!std::isfinite(v) || v <= 0) {
            return fail(key + ": expected a positive number, got " + it->dump());
        }
        c.values[r] = isBandwidthRoof(r) ? v : v * 1e3; // TFLOP/s -> GFLOP/s
    }
    if (!c.has(Roof::Dram)) {
        return fail("the ceilings have no DRAM bandwidth (dram_gbps); run `kforge calibrate` on the GPU");
    }
    return c;
}

std::optional<Roof> computeRoofFor(spec::DType t) {
    switch (t) {
    case spec::DType::F64:
        return Roof::Fp64;
    case spec::DType::F32:
        return Roof::Fp32;
    case spec::DType::F16:
        return Roof::Fp16;
    case spec::DType::BF16:
        return Roof::Bf16;
    default:
        return std::nullopt;
    }
}

std::optional<Roof> computeRoofFor(const spec::Spec& spec) {
    if (spec.outputs.empty()) {
        return std::nullopt;
    }
    return computeRoofFor(spec.outputs.front().dtype);
}

} // namespace kf::roofline
