// SPDX-License-Identifier: MIT
#pragma once

#include "diagnostic.h"
#include "source_map.h"
#include "spec.h"

#include <string_view>

namespace kf::spec {

struct ParsedSpec {
    Spec spec;           // what could be read; fields with errors keep their defaults
    SourceMap positions; // where each value was written
    bool yaml_ok = false;         // the text is YAML and its top level a mapping
    bool structurally_ok = false; // and every required key, tensor and size could be read
};

// Reads YAML text into a Spec: syntax, keys (unknown, duplicate, missing), types, dtypes, init, tolerance,
// sizes. Semantic checks that need the whole spec (names, formulas, evaluation) are validateSpec's.
ParsedSpec parseSpecYaml(std::string_view text, Diagnostics& diags);

} // namespace kf::spec
