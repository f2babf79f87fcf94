// SPDX-License-Identifier: MIT
#pragma once

#include "spec.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kf::spec {

inline constexpr const char* kSpecJsonFormat = "kernelforge.spec/1";

// Thrown by specFromJson with the JSON path of the offending value ("sizes[2].shapes.x").
class SpecJsonError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The normalized form a kf-runner job carries (docs/spec-format.md): defaults applied, sizes evaluated,
// keys in a fixed order.
nlohmann::ordered_json specToJson(const Spec& spec);

// Reads specToJson's output back. Checks structure and types, not semantics (the YAML validator does that
// where the spec is written; a job that reaches the runner was produced from a validated spec).
Spec specFromJson(const nlohmann::json& j);

} // namespace kf::spec
