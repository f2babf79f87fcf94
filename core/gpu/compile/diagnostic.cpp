// SPDX-License-Identifier: MIT
#include "diagnostic.h"

namespace kf::gpu::compile {

std::string formatDiagnostic(const Diagnostic& d) {
    std::string out = d.file;
    if (d.line > 0) {
        out += ":" + std::to_string(d.line);
        if (d.col > 0) {
            out += ":" + std::to_string(d.col);
        }
    }
    out += ": " + d.severity + ": " + d.message;
    return out;
}

nlohmann::json diagnosticToJson(const Diagnostic& d) {
    return {
        {"file", d.file}, {"line", d.line}, {"col", d.col}, {"severity", d.severity}, {"message", d.message}};
}

Diagnostic diagnosticFromJson(const nlohmann::json& j) {
    return {j.at("file").get<std::string>(), j.at("line").get<int>(), j.at("col").get<int>(),
            j.at("severity").get<std::string>(), j.at("message").get<std::string>()};
}

} // namespace kf::gpu::compile
