// SPDX-License-Identifier: MIT
#include "directives.h"

#include <algorithm>
#include <charconv>

namespace kf::gpu::cuda_split {
namespace {

constexpr std::string_view kSupportedHeaders[] = {
    "cstdint",
    "stdint.h",
    "cmath",
    "math.h",
    "cfloat",
    "float.h",
    "climits",
    "limits.h",
    "cstddef",
    "stddef.h",
    "cstdio",
    "stdio.h",
    "cstdlib",
    "stdlib.h",
    "cstring",
    "string.h",
    "cassert",
    "assert.h",
    "algorithm",
    "utility",
    "type_traits",
    "limits",
    "array",
    "cuda_runtime.h",
    "cuda.h",
    "cuda_fp16.h",
    "cuda_bf16.h",
    "cuda_fp8.h",
    "mma.h",
    "cooperative_groups.h",
    "cooperative_groups/reduce.h",
    "cuda_pipeline.h",
    "cuda/barrier",
    "cuda/pipeline",
    "cuda/ptx",
    "cuda_awbarrier.h",
    "cublas_v2.h",
    "cublasLt.h",
    "vector",
    "string",
    "iostream",
    "memory",
    "stdexcept",
    "mutex",
    "cuda/std/",
    "cub/"}; // a trailing '/' admits every header under that folder

bool isSupportedHeader(std::string_view name) {
    for (const std::string_view h : kSupportedHeaders) {
        if (h.back() == '/' ? (name.size() > h.size() && name.substr(0, h.size()) == h) : name == h)
            return true;
    }
    return false;
}

// The tokens of a directive after `#`.
std::vector<Token> directiveTokens(std::string_view src, const Token& directive) {
    return tokenizeRange(src, directive.begin + 1, directive.end);
}

bool isCode(const Token& t) {
    return t.kind != TokenKind::Comment;
}

} // namespace

SpaceKeywords& SpaceKeywords::operator|=(const SpaceKeywords& o) {
    global |= o.global;
    host |= o.host;
    device |= o.device;
    constant |= o.constant;
    managed |= o.managed;
    return *this;
}

std::string_view directiveName(std::string_view src, const Token& directive) {
    for (const Token& t : directiveTokens(src, directive))
        return t.kind == TokenKind::Identifier ? t.text(src) : std::string_view{};
    return {};
}

void MacroTable::apply(std::string_view src, const Token& directive) {
    std::vector<Token> toks = directiveTokens(src, directive);
    std::erase_if(toks, [](const Token& t) { return !isCode(t); });
    if (toks.size() < 2 || toks[1].kind != TokenKind::Identifier)
        return;
    const std::string_view kind = toks[0].text(src);
    const std::string name(toks[1].text(src));
    if (kind == "undef") {
        macros_.erase(name);
        return;
    }
    if (kind != "define")
        return;
    MacroDef def;
    std::size_t i = 2;
    // Function-like only when `(` follows the name with no space between.
    if (i < toks.size() && toks[i].begin == toks[1].end && isPunct(toks[i], src, "(")) {
        def.function_like = true;
        while (i < toks.size() && !isPunct(toks[i], src, ")"))
            ++i;
        ++i;
    }
    for (; i < toks.size(); ++i) {
        const Token& t = toks[i];
        if (t.kind == TokenKind::Identifier && t.text(src) != name)
            def.keywords |= keywordsOf(t.text(src));
        if (isPunct(t, src, "{") || isPunct(t, src, "}") || isPunct(t, src, ";"))
            def.has_structure = true;
        if (isPunct(t, src, "<<<") || isPunct(t, src, ">>>"))
            def.has_launch = true;
        if (t.kind == TokenKind::Identifier) {
            if (const MacroDef* inner = find(t.text(src))) {
                def.has_structure |= inner->has_structure;
                def.has_launch |= inner->has_launch;
            }
        }
    }
    macros_[name] = def;
}

const MacroDef* MacroTable::find(std::string_view name) const {
    const auto it = macros_.find(name);
    return it == macros_.end() ? nullptr : &it->second;
}

SpaceKeywords MacroTable::keywordsOf(std::string_view identifier) const {
    SpaceKeywords k;
    if (identifier == "__global__")
        k.global = true;
    else if (identifier == "__host__")
        k.host = true;
    else if (identifier == "__device__")
        k.device = true;
    else if (identifier == "__constant__")
        k.constant = true;
    else if (identifier == "__managed__")
        k.managed = true;
    else if (const MacroDef* m = find(identifier))
        k = m->keywords;
    return k;
}

std::string checkInclude(std::string_view src, const Token& directive) {
    const std::vector<Token> toks = directiveTokens(src, directive);
    if (toks.size() < 2)
        return "an #include without a header name";
    const Token& target = toks[1];
    if (target.kind == TokenKind::String)
        return "#include " + std::string(target.text(src)) + " of a local file";
    if (!isPunct(target, src, "<"))
        return "#include of a macro";
    const std::size_t close = src.find('>', target.end);
    if (close == std::string_view::npos || close >= directive.end)
        return "an #include <...> without its closing >";
    const std::string_view name = src.substr(target.end, close - target.end);
    if (!isSupportedHeader(name))
        return "#include <" + std::string(name) + ">, a header the fast path does not support";
    return {};
}

LineMap::LineMap(std::string_view src, const std::vector<Token>& tokens) {
    for (std::size_t i = 0; i < src.size(); ++i)
        if (src[i] == '\n')
            newlines_.push_back(i);
    for (const Token& t : tokens) {
        if (t.kind != TokenKind::Directive || directiveName(src, t) != "line")
            continue;
        const std::vector<Token> toks = directiveTokens(src, t);
        if (toks.size() < 2 || toks[1].kind != TokenKind::Number)
            continue;
        const std::string_view digits = toks[1].text(src);
        int value = 0;
        if (std::from_chars(digits.data(), digits.data() + digits.size(), value).ec != std::errc{})
            continue;
        resets_.push_back({physicalLine(t.end) + 1, value});
    }
}

int LineMap::physicalLine(std::size_t offset) const {
    return static_cast<int>(std::lower_bound(newlines_.begin(), newlines_.end(), offset) - newlines_.begin());
}

int LineMap::line(std::size_t offset) const {
    const int physical = physicalLine(offset);
    for (auto it = resets_.rbegin(); it != resets_.rend(); ++it)
        if (it->physical <= physical)
            return it->presumed + (physical - it->physical);
    return physical + 1;
}

} // namespace kf::gpu::cuda_split
