// SPDX-License-Identifier: MIT
#pragma once

#include "diagnostic.h"
#include "source_map.h"
#include "spec.h"

#include <string>
#include <string_view>
#include <vector>

namespace kf::spec {

struct LoadedSpec {
    Spec spec;
    SourceMap positions;
    std::vector<Diagnostic> diagnostics; // errors and warnings, in the order found
    bool ok = false;                     // no errors: the spec is complete and every size evaluated
};

// Parse and validate YAML text; `file` names it in diagnostics.
LoadedSpec loadSpecText(std::string_view text, const std::string& file);

// Same, from a file; an unreadable file is one diagnostic, never an exception.
LoadedSpec loadSpecFile(const std::string& path);

} // namespace kf::spec
