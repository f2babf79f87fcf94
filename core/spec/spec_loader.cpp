// SPDX-License-Identifier: MIT
#include "spec_loader.h"

#include "spec_parser.h"
#include "spec_validator.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace kf::spec {

LoadedSpec loadSpecText(std::string_view text, const std::string& file) {
    Diagnostics diags(file);
    ParsedSpec parsed = parseSpecYaml(text, diags);
    if (parsed.yaml_ok) {
        validateSpec(parsed, diags);
    }
    LoadedSpec out;
    out.spec = std::move(parsed.spec);
    out.positions = std::move(parsed.positions);
    out.diagnostics = diags.all();
    out.ok = !diags.hasErrors();
    return out;
}

LoadedSpec loadSpecFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        LoadedSpec out;
        out.diagnostics.push_back({path, {}, Severity::Error, std::string("cannot open: ") + std::strerror(errno)});
        return out;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        LoadedSpec out;
        out.diagnostics.push_back({path, {}, Severity::Error, std::string("cannot read: ") + std::strerror(errno)});
        return out;
    }
    return loadSpecText(text.str(), path);
}

} // namespace kf::spec
