// SPDX-License-Identifier: MIT
#pragma once

#include "spec/dtype.h"
#include "spec/spec.h"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::roofline {

// The roofs a calibration measures (docs/runner-protocol.md, the `ceilings` event): two bandwidth roofs and
// the compute roofs of each arithmetic. Ordered as they are drawn: bandwidth first, then compute, lowest
// first on a Hopper GPU.
enum class Roof { Dram, L2, Fp64, Fp32, Tf32, Fp16, Bf16 };

inline constexpr Roof kAllRoofs[] = {Roof::Dram, Roof::L2,   Roof::Fp64, Roof::Fp32,
                                     Roof::Tf32, Roof::Fp16, Roof::Bf16};

bool isBandwidthRoof(Roof r);
std::string_view roofKey(Roof r);   // the event's key: "dram_gbps", "fp32_tflops"
std::string_view roofLabel(Roof r); // for people: "DRAM", "L2", "FP32", "TF32 tensor"

// The roofs of one GPU, in the units a roofline is drawn in: GB/s for bandwidth roofs, GFLOP/s for compute
// roofs (the event carries TFLOP/s). A roof the calibration could not measure is absent.
struct Ceilings {
    std::string device_name; // "NVIDIA H200"; "" when the event names none
    std::string device_uuid;
    std::map<Roof, double> values;

    std::optional<double> value(Roof r) const;
    bool has(Roof r) const { return values.count(r) != 0; }
    // The measured compute roofs, lowest first.
    std::vector<Roof> computeRoofs() const;
};

// Reads a `ceilings` event (or a profile stored by CeilingsStore). Every roof key is optional and may be
// null (not measured); one that is present must be a positive finite number. The DRAM roof is required:
// without it no point can be placed. Returns nullopt and says what is wrong, and where, in `error`.
std::optional<Ceilings> parseCeilings(const nlohmann::json& event, std::string* error);

// The compute roof that binds a kernel working in `t`: FP64, FP32, FP16 or BF16 arithmetic; none for
// integer types. TF32 never binds by type: it is a tensor-core mode that fp32 specs forbid unless they say
// otherwise, so it is drawn for reference only.
std::optional<Roof> computeRoofFor(spec::DType t);
// The compute roof of a spec: its first output's type, as the runner's review flags decide it.
std::optional<Roof> computeRoofFor(const spec::Spec& spec);

} // namespace kf::roofline
