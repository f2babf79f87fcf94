// SPDX-License-Identifier: MIT
#pragma once

#include "diagnostic.h"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// The texts nvcc compiled, by the file name its messages use (the `#line` name of the user's source, the
// translation unit's own name): they turn printed carets into columns of the user's file.
using SourceTexts = std::map<std::string, std::string, std::less<>>;

// Every diagnostic in nvcc's output, in order, duplicates dropped. Understands the front end (EDG:
// `file(12): error: ...`, the printed line and caret, folded continuation lines such as "detected during
// instantiation of ..." and argument lists), the host compiler (gcc: `file:12:5: error: ...`, its "In
// function" context and "required from" lines), ptxas / nvlink / nvcc (`ptxas error   : ...`, mangled names
// demangled) and the host linker (`undefined reference to ...`). `ptxas info` lines are resources, not
// diagnostics (see kernel_resources.h). Lines it does not know are left to the log.
std::vector<Diagnostic> parseDiagnostics(std::string_view log, const SourceTexts& sources = {});

} // namespace kf::gpu::compile
