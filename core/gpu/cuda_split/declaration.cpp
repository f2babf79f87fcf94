// SPDX-License-Identifier: MIT
#include "declaration.h"

#include <array>

namespace kf::gpu::cuda_split {
namespace {

// Identifiers whose `(...)` is never a parameter list.
constexpr std::array<std::string_view, 40> kNotDeclarators = {"__launch_bounds__",
                                                              "__attribute__",
                                                              "__declspec",
                                                              "alignas",
                                                              "_Alignas",
                                                              "__align__",
                                                              "__builtin_align__",
                                                              "decltype",
                                                              "__typeof__",
                                                              "typeof",
                                                              "sizeof",
                                                              "alignof",
                                                              "noexcept",
                                                              "throw",
                                                              "static_assert",
                                                              "requires",
                                                              "__cluster_dims__",
                                                              "__maxnreg__",
                                                              "__grid_constant__",
                                                              "operator",
                                                              "void",
                                                              "bool",
                                                              "char",
                                                              "short",
                                                              "int",
                                                              "long",
                                                              "float",
                                                              "double",
                                                              "signed",
                                                              "unsigned",
                                                              "auto",
                                                              "const",
                                                              "volatile",
                                                              "__restrict__",
                                                              "return",
                                                              "if",
                                                              "while",
                                                              "for",
                                                              "switch",
                                                              "explicit"};

bool oneOf(std::string_view s, std::initializer_list<std::string_view> set) {
    for (const std::string_view x : set)
        if (s == x)
            return true;
    return false;
}

int closerDepth(const CodeView& v, std::size_t i) {
    if (v.code[i].kind != TokenKind::Punct)
        return 0;
    const std::string_view t = v.text(i);
    return t == ">" ? 1 : t == ">>" ? 2 : t == ">>>" ? 3 : 0;
}

// code[open] is the `<` of a template parameter list; returns its closing token, or npos.
std::size_t closeAngle(const CodeView& v, std::size_t open, std::size_t end) {
    int depth = 0;
    for (std::size_t j = open; j < end; ++j) {
        if (v.match[j] != CodeView::npos) {
            j = v.match[j];
            continue;
        }
        if (v.punct(j, "<"))
            ++depth;
        depth -= closerDepth(v, j);
        if (depth <= 0)
            return j;
    }
    return CodeView::npos;
}

// The name declared right before the `(` at code[open], or empty when that `(` is no parameter list.
std::string declaratorName(const CodeView& v, std::size_t open, std::size_t first, const MacroTable& macros) {
    if (open <= first)
        return {};
    std::size_t j = open - 1;
    if (closerDepth(v, j) > 0) { // f<int>(...): an explicit specialisation
        int depth = 0;
        for (;; --j) {
            if (v.match[j] != CodeView::npos)
                j = v.match[j];
            depth += closerDepth(v, j);
            if (v.punct(j, "<") && --depth == 0)
                break;
            if (j == first)
                return {};
        }
        if (j == first)
            return {};
        --j;
    }
    if (!v.isIdentifier(j))
        return {};
    const std::string_view name = v.text(j);
    for (const std::string_view k : kNotDeclarators)
        if (name == k)
            return {};
    if (const MacroDef* m = macros.find(name); m && m->function_like)
        return {};
    return (j > first && v.punct(j - 1, "~") ? "~" : "") + std::string(name);
}

// code[op] is `operator`: reads the operator's name; returns the `(` of its parameter list or npos.
std::size_t operatorName(const CodeView& v, std::size_t op, std::size_t end, std::string& name) {
    name = "operator";
    std::size_t j = op + 1;
    if (v.punct(j, "(") && v.punct(j + 1, ")")) {
        name += "()";
        j += 2;
    }
    for (; j < end && !v.punct(j, "("); ++j) {
        if (v.punct(j, "[") && v.match[j] != CodeView::npos) {
            name += "[]";
            j = v.match[j];
            continue;
        }
        if (v.isIdentifier(j) || v.code[j].kind == TokenKind::Number)
            name += ' ';
        name += v.text(j);
    }
    return j < end ? j : CodeView::npos;
}

} // namespace

Declaration analyzeDeclaration(const CodeView& v, std::size_t start, std::size_t end,
                               const MacroTable& macros) {
    Declaration d;
    std::size_t k = start;
    while (k + 1 < end && v.ident(k, "template") && v.punct(k + 1, "<")) {
        d.is_template = true;
        const std::size_t close = closeAngle(v, k + 1, end);
        if (close == CodeView::npos)
            break;
        k = close + 1;
    }
    if (v.ident(k, "namespace") || (v.ident(k, "inline") && v.ident(k + 1, "namespace")) ||
        (v.ident(k, "extern") && k + 2 == end && v.code[k + 1].kind == TokenKind::String)) {
        d.brace = BraceKind::Namespace;
        return d;
    }
    std::string_view class_key;
    bool saw_auto = false, trailing_return = false, ctor_init = false, brace_group = false;
    int angle = 0;
    for (std::size_t j = k; j < end; ++j) {
        const std::string_view t = v.text(j);
        if (const MacroDef* m = v.isIdentifier(j) ? macros.find(t) : nullptr;
            m && m->has_structure && d.macro_issue.empty())
            d.macro_issue = "the macro " + std::string(t) + " may declare things the splitter cannot see";
        if (v.match[j] != CodeView::npos) {
            if (v.punct(j, "{"))
                brace_group = true;
            if (v.punct(j, "(") && d.param_open == CodeView::npos && angle == 0) {
                d.name = declaratorName(v, j, k, macros);
                if (!d.name.empty())
                    d.param_open = j;
            }
            j = v.match[j];
            continue;
        }
        if (d.param_open != CodeView::npos) { // after the parameter list
            if (v.punct(j, ":"))
                ctor_init = true;
            else if (v.punct(j, "->"))
                trailing_return = true;
            continue;
        }
        if (v.ident(j, "operator")) {
            const std::size_t open = operatorName(v, j, end, d.name);
            if (open == CodeView::npos)
                break;
            d.param_open = open;
            j = v.match[open];
            continue;
        }
        if (v.punct(j, "<"))
            ++angle;
        angle = std::max(0, angle - closerDepth(v, j));
        if (angle > 0)
            continue;
        if (v.punct(j, "="))
            d.has_initializer = true;
        else if (class_key.empty() && v.isIdentifier(j) && oneOf(t, {"struct", "class", "union", "enum"}))
            class_key = t;
        else if (oneOf(t, {"constexpr", "consteval"}))
            d.is_constexpr = true;
        else if (t == "auto")
            saw_auto = true;
    }
    d.deduced_return = saw_auto && !trailing_return;
    if (d.param_open == CodeView::npos)
        d.has_initializer = true;
    if (end >= v.code.size() || !v.punct(end, "{"))
        return d;
    if (d.param_open == CodeView::npos) {
        if (!class_key.empty() && class_key != "enum" && !brace_group)
            d.brace = BraceKind::Class;
        else if (class_key.empty() && d.macro_issue.empty())
            for (std::size_t j = start; j < end && d.macro_issue.empty(); ++j)
                if (const MacroDef* m = v.isIdentifier(j) ? macros.find(v.text(j)) : nullptr;
                    m && m->function_like)
                    d.macro_issue = "cannot tell what the macro " + std::string(v.text(j)) + " declares";
        return d;
    }
    if (d.has_initializer)
        return d; // auto f = [](int) {...}, T x = g(1) {...}: an initializer
    const bool member_initializer = ctor_init && (v.isIdentifier(end - 1) || closerDepth(v, end - 1) > 0);
    d.brace = member_initializer ? BraceKind::Other : BraceKind::Function;
    return d;
}

} // namespace kf::gpu::cuda_split
