// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kf::gpu::compile {

// One compiler message, located in the user's own file where the compiler said where.
struct Diagnostic {
    std::string
        file;     // the user's source name; a header's path; or the tool ("ptxas", "nvlink", "ld", "nvcc")
    int line = 0; // 1-based; 0 when the tool names no line (ptxas, nvlink, the linker)
    int col = 0;  // 1-based byte column; 0 when unknown
    std::string severity; // "error" | "warning" | "note"
    std::string message;  // may span lines: instantiation contexts and argument lists are folded in
    bool operator==(const Diagnostic&) const = default;
};

// "softmax.cu:12:5: error: message" (line and col left out where unknown), as editors and teachers read it.
std::string formatDiagnostic(const Diagnostic& d);

nlohmann::json diagnosticToJson(const Diagnostic& d);
Diagnostic diagnosticFromJson(const nlohmann::json& j); // throws nlohmann::json::exception on a bad shape

} // namespace kf::gpu::compile
