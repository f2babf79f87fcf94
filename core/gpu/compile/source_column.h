// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string_view>

namespace kf::gpu::compile {

// nvcc's front end prints the offending line after preprocessing (comments gone, whitespace runs squeezed to
// one space, tabs turned into spaces, macros expanded) and puts its caret under that text, so the caret's
// offset is not the column in the user's file. This finds the same spot in the line as the user wrote it:
// first by walking both lines over their significant characters (whitespace and comments skipped outside
// literals), then, where a macro expansion makes them differ, by finding the token under the caret in the
// original. `printed` and `caret` are without EDG's two-space indent. Returns a 1-based byte column; when
// the original line is unknown or holds no such token, the caret's own offset + 1.
int caretColumn(std::string_view printed, std::size_t caret, std::string_view original);

// The column a host compiler (gcc) reported, or 0 where it cannot be in the user's line. nvcc compiles the
// host code from its own regenerated source, so gcc's columns only hold for preprocessor messages; a column
// past the end of the line or on leading whitespace is dropped rather than shown wrong.
int plausibleColumn(int col, std::string_view original);

} // namespace kf::gpu::compile
