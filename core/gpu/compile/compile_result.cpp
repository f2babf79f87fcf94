// SPDX-License-Identifier: MIT
#include "compile_result.h"

#include <cmath>

namespace kf::gpu::compile {
namespace {

nlohmann::json diagnosticsToJson(const std::vector<Diagnostic>& diagnostics) {
    auto out = nlohmann::json::array();
    for (const auto& d : diagnostics) {
        out.push_back(diagnosticToJson(d));
    }
    return out;
}

nlohmann::json kernelsToJson(const std::vector<KernelResources>& kernels) {
    auto out = nlohmann::json::array();
    for (const auto& k : kernels) {
        out.push_back(kernelResourcesToJson(k));
    }
    return out;
}

// NaN and infinities are not JSON (the protocol writes null for them).
nlohmann::json finite(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

} // namespace

std::string_view roleName(spec::Role role) {
    switch (role) {
    case spec::Role::Reference:
        return "reference";
    case spec::Role::Baseline:
        return "baseline";
    case spec::Role::Candidate:
        break;
    }
    return "candidate";
}

nlohmann::json compiledEvent(spec::Role role, const CompileResult& result) {
    nlohmann::json event = {{"event", "compiled"},
                            {"role", roleName(role)},
                            {"ok", result.ok},
                            {"cached", result.cached},
                            {"seconds", finite(result.seconds)},
                            {"diagnostics", diagnosticsToJson(result.diagnostics)},
                            {"log", result.log},
                            {"kernels", kernelsToJson(result.kernels)}};
    if (!result.notes.empty()) {
        event["notes"] = result.notes;
    }
    return event;
}

nlohmann::json compileResultToJson(const CompileResult& result) {
    return {{"ok", result.ok},
            {"seconds", finite(result.seconds)},
            {"diagnostics", diagnosticsToJson(result.diagnostics)},
            {"log", result.log},
            {"kernels", kernelsToJson(result.kernels)},
            {"command", result.command}};
}

CompileResult compileResultFromJson(const nlohmann::json& j) {
    CompileResult r;
    r.ok = j.at("ok").get<bool>();
    r.seconds = j.at("seconds").is_null() ? 0.0 : j.at("seconds").get<double>();
    for (const auto& d : j.at("diagnostics")) {
        r.diagnostics.push_back(diagnosticFromJson(d));
    }
    r.log = j.at("log").get<std::string>();
    for (const auto& k : j.at("kernels")) {
        r.kernels.push_back(kernelResourcesFromJson(k));
    }
    r.command = j.at("command").get<std::string>();
    return r;
}

} // namespace kf::gpu::compile
