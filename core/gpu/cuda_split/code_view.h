// SPDX-License-Identifier: MIT
#pragma once
// The tokens of a translation unit that the outline walks: code only (no comments, no directives), with the
// matching bracket of every ( [ { ) ] }.

#include "gpu/cuda_split/cuda_tokens.h"
#include "gpu/cuda_split/source_outline.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::cuda_split {

// A construct the fast path does not handle, at a byte offset of the translation unit.
struct Issue {
    std::size_t offset;
    std::string why;
};

struct CodeView {
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    std::string_view src;
    std::vector<Token> code;           // no comments, no directives
    std::vector<std::size_t> match;    // index of the matching bracket, or npos for other tokens
    std::vector<bool> after_directive; // a directive line lies between code[i - 1] and code[i]
    bool balanced = true;

    std::string_view text(std::size_t i) const { return code[i].text(src); }
    bool punct(std::size_t i, std::string_view p) const {
        return i < code.size() && isPunct(code[i], src, p);
    }
    bool ident(std::size_t i, std::string_view n) const {
        return i < code.size() && isIdent(code[i], src, n);
    }
    bool isIdentifier(std::size_t i) const {
        return i < code.size() && code[i].kind == TokenKind::Identifier;
    }
};

// Builds the view; an unmatched bracket is reported in issues and leaves balanced false.
CodeView buildCodeView(std::string_view src, const std::vector<Token>& tokens, std::vector<Issue>& issues);

// Finds every <<<...>>> launch; a launch whose callee, config or arguments cannot be delimited is an issue.
std::vector<LaunchSite> findLaunches(const CodeView& view, std::vector<Issue>& issues);

} // namespace kf::gpu::cuda_split
