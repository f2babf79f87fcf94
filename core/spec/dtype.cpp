// SPDX-License-Identifier: MIT
#include "dtype.h"

#include <array>

namespace kf::spec {
namespace {

struct DTypeInfo {
    DType type;
    std::string_view name;
    std::string_view ctype;
    int bytes;
    bool floating;
    Tolerance tolerance;
};

// Defaults follow measurement.md §2.1: rel-L2 thresholds sit clearly above the rounding error of the output
// type; integers must match exactly.
constexpr std::array<DTypeInfo, 8> kInfo{{
    {DType::F64, "f64", "double", 8, true, {1e-12, 1e-7, 1e-7}},
    {DType::F32, "f32", "float", 4, true, {1e-5, 1e-4, 1e-4}},
    {DType::F16, "f16", "__half", 2, true, {2e-3, 1e-2, 1e-2}},
    {DType::BF16, "bf16", "__nv_bfloat16", 2, true, {1e-2, 1e-2, 1e-2}},
    {DType::I64, "i64", "int64_t", 8, false, {0.0, 0.0, 0.0}},
    {DType::I32, "i32", "int32_t", 4, false, {0.0, 0.0, 0.0}},
    {DType::I8, "i8", "int8_t", 1, false, {0.0, 0.0, 0.0}},
    {DType::U8, "u8", "uint8_t", 1, false, {0.0, 0.0, 0.0}},
}};

const DTypeInfo& info(DType t) {
    for (const auto& i : kInfo) {
        if (i.type == t) {
            return i;
        }
    }
    return kInfo[1];
}

} // namespace

std::string_view dtypeName(DType t) { return info(t).name; }
std::string_view dtypeCType(DType t) { return info(t).ctype; }
int dtypeBytes(DType t) { return info(t).bytes; }
bool isFloating(DType t) { return info(t).floating; }
Tolerance defaultTolerance(DType t) { return info(t).tolerance; }

std::optional<DType> parseDType(std::string_view name) {
    for (const auto& i : kInfo) {
        if (i.name == name) {
            return i.type;
        }
    }
    return std::nullopt;
}

const std::vector<std::string>& dtypeNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> n;
        for (const auto& i : kInfo) {
            n.emplace_back(i.name);
        }
        return n;
    }();
    return names;
}

} // namespace kf::spec
