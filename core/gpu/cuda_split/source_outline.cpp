// SPDX-License-Identifier: MIT
#include "source_outline.h"

#include "code_view.h"
#include "cuda_tokens.h"
#include "declaration.h"
#include "directives.h"

#include <algorithm>
#include <array>

namespace kf::gpu::cuda_split {
namespace {

// Runtime calls on device symbols, or on kernels by a route the fast build's runtime (gpu/compile/
// fast_host_runtime) does not map to the NVRTC-built kernel.
constexpr std::array<std::string_view, 11> kUnsupportedApis = {
    "cudaMemcpyToSymbol",           "cudaMemcpyFromSymbol", "cudaMemcpyToSymbolAsync",
    "cudaMemcpyFromSymbolAsync",    "cudaGetSymbolAddress", "cudaGetSymbolSize",
    "cudaGetFuncBySymbol",          "cudaGetKernel",        "cudaGraphAddKernelNode",
    "cudaGraphKernelNodeSetParams", "__managed__"};

// Token-level checks that need no structure: literals, banned identifiers, #include lines, launch macros.
void checkTokens(std::string_view src, const std::vector<Token>& tokens, std::vector<Issue>& issues) {
    MacroTable macros;
    auto checkIdentifier = [&](const Token& t) {
        const std::string_view name = t.text(src);
        for (const std::string_view api : kUnsupportedApis)
            if (name == api)
                issues.push_back({t.begin, "uses " + std::string(name)});
        if (const MacroDef* m = macros.find(name); m && m->has_launch)
            issues.push_back({t.begin, "the macro " + std::string(name) + " hides a <<<...>>> launch"});
    };
    for (const Token& t : tokens) {
        if (!t.complete)
            issues.push_back({t.begin, t.kind == TokenKind::Comment ? "an unterminated comment"
                                                                    : "an unterminated literal"});
        if (t.kind == TokenKind::Identifier)
            checkIdentifier(t);
        if (t.kind != TokenKind::Directive)
            continue;
        const std::string_view name = directiveName(src, t);
        if (name == "include") {
            if (std::string why = checkInclude(src, t); !why.empty())
                issues.push_back({t.begin, std::move(why)});
            continue;
        }
        for (const Token& inner : tokenizeRange(src, t.begin + 1, t.end))
            if (inner.kind == TokenKind::Identifier)
                checkIdentifier(inner);
        macros.apply(src, t);
    }
}

ExecSpace spaceOf(const SpaceKeywords& k) {
    if (k.global)
        return ExecSpace::Global;
    if (k.device)
        return k.host ? ExecSpace::HostDevice : ExecSpace::Device;
    return ExecSpace::Host;
}

class OutlineBuilder {
public:
    OutlineBuilder(const CodeView& view, const std::vector<Token>& tokens, std::vector<Issue>& issues,
                   SourceOutline& out)
        : v_(view)
        , tokens_(tokens)
        , issues_(issues)
        , out_(out) {}

    void scanScope(std::size_t i, std::size_t end, bool class_scope) {
        while (i < end)
            i = scanDeclaration(i, end, class_scope);
    }

private:
    // Scans one declaration starting at code[i]; returns the index after it.
    std::size_t scanDeclaration(std::size_t i, std::size_t end, bool class_scope) {
        std::size_t start = i;
        for (std::size_t j = i; j < end; ++j) {
            if (j != start && v_.after_directive[j])
                start = j; // a declaration starts after a directive line
            if (class_scope && j == start && j + 1 < end && v_.punct(j + 1, ":") &&
                (v_.ident(j, "public") || v_.ident(j, "private") || v_.ident(j, "protected"))) {
                start = j + 2; // an access specifier is not part of the next declaration
                ++j;
                continue;
            }
            if (v_.punct(j, ";")) {
                checkVariable(start, j);
                return j + 1;
            }
            if (v_.punct(j, "(") || v_.punct(j, "[")) {
                j = v_.match[j];
                continue;
            }
            if (!v_.punct(j, "{"))
                continue;
            const std::size_t close = v_.match[j];
            const Declaration d = analyzeDeclaration(v_, start, j, macrosAt(v_.code[j].begin));
            switch (d.brace) {
            case BraceKind::Namespace:
                scanScope(j + 1, close, false);
                return close + 1;
            case BraceKind::Class:
                scanScope(j + 1, close, true);
                break; // the declaration goes on to its `;`
            case BraceKind::Function:
                addFunction(d, start, j);
                return close + 1;
            case BraceKind::Other:
                if (!d.macro_issue.empty())
                    issues_.push_back({v_.code[start].begin, d.macro_issue});
                break; // an initializer, an enum body or a member's brace initializer
            }
            j = close;
        }
        return end;
    }

    void addFunction(const Declaration& d, std::size_t start, std::size_t brace) {
        const MacroTable& macros = macrosAt(v_.code[brace].begin);
        const SpaceKeywords k = keywordsIn(start, brace, macros);
        FunctionDef f;
        f.name = d.name;
        f.space = spaceOf(k);
        f.is_template = d.is_template;
        f.is_constexpr = d.is_constexpr;
        f.deduced_return = d.deduced_return;
        f.decl_begin = v_.code[start].begin;
        f.body_begin = v_.code[brace].begin;
        f.body_end = v_.code[v_.match[brace]].end;
        if (!d.macro_issue.empty())
            issues_.push_back({f.decl_begin, d.macro_issue});
        if (f.space == ExecSpace::Global &&
            std::find(out_.kernel_names.begin(), out_.kernel_names.end(), f.name) == out_.kernel_names.end())
            out_.kernel_names.push_back(f.name);
        out_.functions.push_back(std::move(f));
    }

    // A namespace- or class-scope declaration that ends in `;`: __device__ / __constant__ variables are not
    // supported (the host side cannot reach them without the symbol APIs).
    void checkVariable(std::size_t start, std::size_t semicolon) {
        if (start >= semicolon)
            return;
        const MacroTable& macros = macrosAt(v_.code[semicolon].begin);
        const SpaceKeywords k = keywordsIn(start, semicolon, macros);
        if (!k.device && !k.constant)
            return;
        const Declaration d = analyzeDeclaration(v_, start, semicolon, macros);
        if (d.param_open == CodeView::npos || d.has_initializer)
            issues_.push_back({v_.code[start].begin, k.constant
                                                         ? "a __constant__ variable at namespace scope"
                                                         : "a __device__ variable at namespace scope"});
        else if (!d.macro_issue.empty())
            issues_.push_back({v_.code[start].begin, d.macro_issue});
    }

    // The keywords of code[begin, end), outside brace groups (class bodies, initializers).
    SpaceKeywords keywordsIn(std::size_t begin, std::size_t end, const MacroTable& macros) const {
        SpaceKeywords k;
        for (std::size_t j = begin; j < end; ++j) {
            if (v_.punct(j, "{"))
                j = v_.match[j];
            else if (v_.isIdentifier(j))
                k |= macros.keywordsOf(v_.text(j));
        }
        return k;
    }

    // The macro table as of `offset`; offsets asked for only grow.
    const MacroTable& macrosAt(std::size_t offset) {
        while (next_directive_ < tokens_.size() && tokens_[next_directive_].begin < offset) {
            if (tokens_[next_directive_].kind == TokenKind::Directive)
                macros_.apply(v_.src, tokens_[next_directive_]);
            ++next_directive_;
        }
        return macros_;
    }

    const CodeView& v_;
    const std::vector<Token>& tokens_;
    std::vector<Issue>& issues_;
    SourceOutline& out_;
    MacroTable macros_;
    std::size_t next_directive_ = 0;
};

const FunctionDef* enclosingFunction(const SourceOutline& o, std::size_t offset) {
    for (const FunctionDef& f : o.functions)
        if (f.body_begin < offset && offset < f.body_end)
            return &f;
    return nullptr;
}

} // namespace

SourceOutline outlineCudaSource(std::string_view tu) {
    SourceOutline out;
    const std::vector<Token> tokens = tokenizeCuda(tu);
    std::vector<Issue> issues;
    checkTokens(tu, tokens, issues);
    const CodeView view = buildCodeView(tu, tokens, issues);
    if (view.balanced) {
        OutlineBuilder(view, tokens, issues, out).scanScope(0, view.code.size(), false);
        out.launches = findLaunches(view, issues);
        for (const LaunchSite& l : out.launches) {
            const FunctionDef* f = enclosingFunction(out, l.open);
            if (f == nullptr)
                issues.push_back({l.open, "a <<<...>>> launch outside a function body"});
            else if (f->space != ExecSpace::Host)
                issues.push_back({l.open, "a <<<...>>> launch in device code (dynamic parallelism)"});
        }
    }
    if (!issues.empty()) {
        const auto first = std::min_element(
            issues.begin(), issues.end(), [](const Issue& a, const Issue& b) { return a.offset < b.offset; });
        const LineMap lines(tu, tokens);
        out.unsupported = "line " + std::to_string(lines.line(first->offset)) + ": " + first->why;
    }
    return out;
}

} // namespace kf::gpu::cuda_split
