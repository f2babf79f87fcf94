// SPDX-License-Identifier: MIT
#include "launcher.h"

namespace kf::spec {

std::string_view roleSymbol(Role role) {
    switch (role) {
    case Role::Reference:
        return "kf_reference";
    case Role::Baseline:
        return "kf_baseline";
    case Role::Candidate:
        break;
    }
    return "kf_launch";
}

std::string launcherArgs(const Spec& spec) {
    std::string args;
    const auto append = [&args](std::string_view piece) {
        if (!args.empty()) {
            args += ", ";
        }
        args += piece;
    };
    for (const auto& t : spec.inputs) {
        append("const " + std::string(dtypeCType(t.dtype)) + "* " + t.name);
    }
    for (const auto& t : spec.outputs) {
        append(std::string(dtypeCType(t.dtype)) + "* " + t.name);
    }
    for (const auto& p : spec.params) {
        append("int64_t " + p);
    }
    append("cudaStream_t stream");
    return args;
}

std::string launcherPrototype(const Spec& spec, Role role) {
    return "extern \"C\" void " + std::string(roleSymbol(role)) + "(" + launcherArgs(spec) + ");";
}

std::string_view translationUnitPrelude() {
    return "#include <cstdint>\n"
           "#include <cuda_runtime.h>\n"
           "#include <cuda_fp16.h>\n"
           "#include <cuda_bf16.h>\n";
}

std::string translationUnit(const Spec& spec, Role role, std::string_view source, std::string_view source_name) {
    std::string tu(translationUnitPrelude());
    tu += launcherPrototype(spec, role);
    tu += "\n#line 1 \"";
    for (const char c : source_name) {
        if (c == '"' || c == '\\') {
            tu += '\\';
        }
        tu += c;
    }
    tu += "\"\n";
    tu += source;
    if (!source.empty() && source.back() != '\n') {
        tu += '\n';
    }
    return tu;
}

} // namespace kf::spec
