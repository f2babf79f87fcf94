// SPDX-License-Identifier: MIT
#pragma once
// A tokenizer for CUDA C++ source text that is just good enough to find declarations, bodies and kernel
// launches: every token carries its kind and byte range, so callers can edit the text in place.

#include <cstddef>
#include <string_view>
#include <vector>

namespace kf::gpu::cuda_split {

enum class TokenKind {
    Identifier, // includes keywords
    Number,     // a preprocessing number: 0x1f, 1.5e-3f, 1'000
    String,     // "..." with optional prefix u8/L/u/U, and raw strings R"d(...)d"
    Char,       // '...' with optional prefix
    Punct,      // operators and punctuators, longest match: <<< >>> :: -> >> << ...
    Directive,  // a whole preprocessor line `#...`, backslash continuations included
    Comment,    // // ... or /* ... */
};

struct Token {
    TokenKind kind;
    std::size_t begin;    // byte offset of the first character
    std::size_t end;      // one past the last character
    bool complete = true; // false for an unterminated literal or block comment

    std::string_view text(std::string_view src) const { return src.substr(begin, end - begin); }
};

// Tokenizes a whole translation unit. Whitespace is skipped; `#` as the first non-blank character of a line
// starts a Directive token that runs to the end of the line (continuations and block comments included).
std::vector<Token> tokenizeCuda(std::string_view src);

// Tokenizes src[begin, end) (for example the inside of a directive line) without recognising directives;
// backslash-newline counts as whitespace. Offsets are into src.
std::vector<Token> tokenizeRange(std::string_view src, std::size_t begin, std::size_t end);

bool isPunct(const Token& t, std::string_view src, std::string_view p);
bool isIdent(const Token& t, std::string_view src, std::string_view name);

} // namespace kf::gpu::cuda_split
