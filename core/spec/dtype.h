// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::spec {

// Element types a spec's tensors may have. fp8 comes later.
enum class DType { F64, F32, F16, BF16, I64, I32, I8, U8 };

struct Tolerance {
    double rel_l2 = 0.0; // pass threshold on ||out - ref|| / ||ref||
    double rtol = 0.0;   // elementwise: |out - ref| <= atol + rtol * |ref|
    double atol = 0.0;
    bool operator==(const Tolerance&) const = default;
};

std::string_view dtypeName(DType t);           // "bf16"
std::string_view dtypeCType(DType t);          // "__nv_bfloat16"
std::optional<DType> parseDType(std::string_view name);
const std::vector<std::string>& dtypeNames(); // every name, in declaration order
int dtypeBytes(DType t);
bool isFloating(DType t);
Tolerance defaultTolerance(DType t); // ../docs/spec-format.md lists these

} // namespace kf::spec
