// SPDX-License-Identifier: MIT
#pragma once
// What one namespace- or class-scope declaration is, read from its tokens up to a `{` or `;`.

#include "gpu/cuda_split/code_view.h"
#include "gpu/cuda_split/directives.h"

#include <cstddef>
#include <string>

namespace kf::gpu::cuda_split {

enum class BraceKind {
    Namespace, // namespace x {, inline namespace, extern "C" {
    Class,     // class/struct/union body: recurse into it
    Function,  // the function body
    Other,     // an initializer, an enum body, a member's brace initializer: skip it
};

struct Declaration {
    BraceKind brace = BraceKind::Other;      // what a `{` at the end of the tokens opens
    std::string name;                        // the function's unqualified name when there is a parameter list
    std::size_t param_open = CodeView::npos; // the top-level `(` of the parameter list
    bool is_template = false;
    bool is_constexpr = false;
    bool deduced_return = false;
    bool has_initializer = false; // a top-level `=` before the parameter list (or no parameter list at all)
    std::string macro_issue;      // non-empty when a macro of the TU hides what is declared
};

// Reads code[start, end) (end: the `{` or `;` that ends or opens the declaration).
Declaration analyzeDeclaration(const CodeView& v, std::size_t start, std::size_t end,
                               const MacroTable& macros);

} // namespace kf::gpu::cuda_split
