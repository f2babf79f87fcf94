// SPDX-License-Identifier: MIT
#include "code_view.h"

#include "source_outline.h"

#include <array>
#include <optional>

namespace kf::gpu::cuda_split {
namespace {

constexpr std::array<std::string_view, 15> kNotNames = {
    "return",    "else",     "case",     "throw",  "do",       "new",      "delete",  "goto",
    "co_return", "co_await", "co_yield", "sizeof", "operator", "typename", "template"};

bool isName(const CodeView& v, std::size_t i) {
    if (!v.isIdentifier(i))
        return false;
    for (const std::string_view k : kNotNames)
        if (v.text(i) == k)
            return false;
    return true;
}

bool isCloser(const CodeView& v, std::size_t i) {
    return v.punct(i, ">") || v.punct(i, ">>") || v.punct(i, ">>>");
}

// code[i] closes a template argument list; returns the index of its `<`.
std::optional<std::size_t> templateArgsOpen(const CodeView& v, std::size_t i) {
    int depth = 0;
    for (std::size_t j = i + 1; j-- > 0;) {
        const std::string_view t = v.text(j);
        if (v.punct(j, ")") || v.punct(j, "]")) {
            if (v.match[j] == CodeView::npos)
                return std::nullopt;
            j = v.match[j];
        } else if (v.code[j].kind == TokenKind::Punct && (t == ">" || t == ">>" || t == ">>>")) {
            depth += static_cast<int>(t.size());
        } else if (v.punct(j, "<")) {
            if (--depth == 0)
                return j;
        } else if (v.punct(j, ";") || v.punct(j, "{") || v.punct(j, "}") || v.punct(j, "(") ||
                   v.punct(j, "[")) {
            return std::nullopt;
        }
    }
    return std::nullopt;
}

// The first token of a qualified name (`a::b<T>::template c<1, 2>`, `::c`) that ends at code[i].
std::optional<std::size_t> qualifiedNameStart(const CodeView& v, std::size_t i) {
    std::size_t j = i;
    while (true) {
        if (isCloser(v, j)) {
            const auto open = templateArgsOpen(v, j);
            if (!open || *open == 0)
                return std::nullopt;
            j = *open - 1;
        }
        if (!isName(v, j))
            return std::nullopt;
        std::size_t start = j;
        if (start > 0 && v.ident(start - 1, "template"))
            --start;
        if (start == 0 || !v.punct(start - 1, "::"))
            return start;
        --start;
        if (start == 0 || !(isName(v, start - 1) || isCloser(v, start - 1)))
            return start;
        j = start - 1;
    }
}

// The first token of the launched expression that ends right before the `<<<` at code[i].
std::optional<std::size_t> calleeStart(const CodeView& v, std::size_t i) {
    if (i == 0)
        return std::nullopt;
    std::size_t j = i - 1;
    while (v.punct(j, "]")) { // kernels[i]<<<...>>>
        if (v.match[j] == CodeView::npos || v.match[j] == 0)
            return std::nullopt;
        j = v.match[j] - 1;
    }
    if (v.punct(j, ")"))
        return v.match[j] == CodeView::npos ? std::nullopt : std::optional(v.match[j]);
    return qualifiedNameStart(v, j);
}

} // namespace

CodeView buildCodeView(std::string_view src, const std::vector<Token>& tokens, std::vector<Issue>& issues) {
    CodeView v;
    v.src = src;
    bool directive = false;
    for (const Token& t : tokens) {
        if (t.kind == TokenKind::Directive)
            directive = true;
        if (t.kind == TokenKind::Directive || t.kind == TokenKind::Comment)
            continue;
        v.code.push_back(t);
        v.after_directive.push_back(directive);
        directive = false;
    }
    v.match.assign(v.code.size(), CodeView::npos);
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < v.code.size() && v.balanced; ++i) {
        const std::string_view t = v.text(i);
        if (v.code[i].kind != TokenKind::Punct || t.size() != 1)
            continue;
        if (t == "(" || t == "[" || t == "{") {
            open.push_back(i);
        } else if (t == ")" || t == "]" || t == "}") {
            const char want = t == ")" ? '(' : t == "]" ? '[' : '{';
            if (open.empty() || v.text(open.back())[0] != want) {
                issues.push_back({v.code[i].begin, "unbalanced '" + std::string(t) + "'"});
                v.balanced = false;
                break;
            }
            v.match[i] = open.back();
            v.match[open.back()] = i;
            open.pop_back();
        }
    }
    if (v.balanced && !open.empty()) {
        issues.push_back(
            {v.code[open.back()].begin, "'" + std::string(v.text(open.back())) + "' never closed"});
        v.balanced = false;
    }
    return v;
}

std::vector<LaunchSite> findLaunches(const CodeView& v, std::vector<Issue>& issues) {
    std::vector<LaunchSite> out;
    for (std::size_t i = 0; i < v.code.size(); ++i) {
        if (!v.punct(i, "<<<"))
            continue;
        const auto callee = calleeStart(v, i);
        if (!callee) {
            issues.push_back({v.code[i].begin, "a <<< launch whose kernel expression cannot be delimited"});
            continue;
        }
        std::size_t close = CodeView::npos;
        for (std::size_t k = i + 1; k < v.code.size(); ++k) {
            if (v.match[k] != CodeView::npos && (v.punct(k, "(") || v.punct(k, "[") || v.punct(k, "{"))) {
                k = v.match[k];
            } else if (v.punct(k, ">>>")) {
                close = k;
                break;
            } else if (v.punct(k, ";") || v.punct(k, "<<<") || v.match[k] != CodeView::npos) {
                break; // a statement end or a closing bracket before >>>
            }
        }
        if (close == CodeView::npos) {
            issues.push_back({v.code[i].begin, "a <<< launch without its >>>"});
            continue;
        }
        if (!v.punct(close + 1, "(")) {
            issues.push_back({v.code[close].begin, "a <<<...>>> launch without an argument list"});
            continue;
        }
        out.push_back({v.code[*callee].begin, v.code[i].begin, v.code[close].begin});
    }
    return out;
}

} // namespace kf::gpu::cuda_split
