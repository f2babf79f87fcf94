// SPDX-License-Identifier: MIT
#pragma once
// What the outline needs from preprocessor lines: macros whose text holds execution-space keywords,
// which #include lines the fast path supports, and line numbers that honour #line.

#include "gpu/cuda_split/cuda_tokens.h"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::cuda_split {

// Execution-space and memory-space keywords a token stands for (directly or through a macro).
struct SpaceKeywords {
    bool global = false;
    bool host = false;
    bool device = false;
    bool constant = false;
    bool managed = false;

    SpaceKeywords& operator|=(const SpaceKeywords& o);
};

struct MacroDef {
    bool function_like = false;
    SpaceKeywords keywords;
    bool has_structure = false; // its text holds { } or ; (it may declare or define things by itself)
    bool has_launch = false;    // its text holds <<< or >>>
};

// The macros #defined so far in a translation unit, applied in source order.
class MacroTable {
public:
    // Applies a #define or #undef directive token (others are ignored).
    void apply(std::string_view src, const Token& directive);
    const MacroDef* find(std::string_view name) const;
    // The keywords an identifier token stands for: itself or the macro of that name.
    SpaceKeywords keywordsOf(std::string_view identifier) const;

private:
    std::map<std::string, MacroDef, std::less<>> macros_;
};

// The directive's name ("include", "define", ...), or empty for a null directive.
std::string_view directiveName(std::string_view src, const Token& directive);

// Empty when the #include names a supported header, else why not.
std::string checkInclude(std::string_view src, const Token& directive);

// 1-based line numbers of offsets, following `#line N` directives (so they name lines of the user's file).
class LineMap {
public:
    LineMap(std::string_view src, const std::vector<Token>& tokens);
    int line(std::size_t offset) const;

private:
    int physicalLine(std::size_t offset) const; // 0-based
    std::vector<std::size_t> newlines_;
    struct Reset {
        int physical; // 0-based physical line that follows the #line directive
        int presumed; // the line number it is given
    };
    std::vector<Reset> resets_;
};

} // namespace kf::gpu::cuda_split
