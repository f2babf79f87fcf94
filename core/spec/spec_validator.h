// SPDX-License-Identifier: MIT
#pragma once

#include "diagnostic.h"
#include "spec_parser.h"

namespace kf::spec {

// Checks what needs the whole spec: id, identifiers and their clashes, formulas (syntax and names), every
// shape and formula evaluated at every size (filling SizeCase::flops, bytes and dims), sources that define
// their entry points, and bytes against the tensors' footprint (a warning). Runs after parseSpecYaml.
void validateSpec(ParsedSpec& parsed, Diagnostics& diags);

} // namespace kf::spec
