// SPDX-License-Identifier: MIT
#include "split_sources.h"

#include "cuda_tokens.h"

#include <algorithm>
#include <vector>

namespace kf::gpu::cuda_split {
namespace {

// One edit of the input: replace [begin, end) by text. A blanking edit writes text and then keeps the
// removed range's line structure: the rest of its first line and every later line become spaces.
struct Edit {
    std::size_t begin;
    std::size_t end;
    std::string text;
    bool blank = false;
};

void appendBlanked(std::string& out, std::string_view removed, std::size_t written) {
    const std::size_t first_newline = std::min(removed.find('\n'), removed.size());
    if (first_newline > written)
        out.append(first_newline - written, ' ');
    for (std::size_t i = first_newline; i < removed.size(); ++i)
        out += removed[i] == '\n' ? '\n' : ' ';
}

std::string applyEdits(std::string_view tu, std::vector<Edit> edits) {
    std::stable_sort(edits.begin(), edits.end(),
                     [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    std::string out;
    out.reserve(tu.size() + 64 * edits.size());
    std::size_t pos = 0;
    for (const Edit& e : edits) {
        if (e.begin < pos)
            continue; // inside a range already replaced (a launch inside a removed body)
        out.append(tu.substr(pos, e.begin - pos));
        out += e.text;
        if (e.blank)
            appendBlanked(out, tu.substr(e.begin, e.end - e.begin), e.text.size());
        pos = e.end;
    }
    out.append(tu.substr(pos));
    return out;
}

Edit replaceBody(const FunctionDef& f, std::string text) {
    return {f.body_begin, f.body_end, std::move(text), true};
}

// In a kernel's declaration, for g++: `static` (the host stub must link like the other functions) and the
// launch-configuration attributes that only nvcc knows: __launch_bounds__(...), __cluster_dims__(...), ...
void blankKernelOnlySpecifiers(std::string_view tu, const FunctionDef& f, std::vector<Edit>& edits) {
    const std::vector<Token> toks = tokenizeRange(tu, f.decl_begin, f.body_begin);
    for (std::size_t i = 0; i < toks.size(); ++i) {
        const Token& t = toks[i];
        if (isIdent(t, tu, "static")) {
            edits.push_back({t.begin, t.end, "", true});
            continue;
        }
        if (!(isIdent(t, tu, "__launch_bounds__") || isIdent(t, tu, "__cluster_dims__") ||
              isIdent(t, tu, "__maxnreg__")) ||
            i + 1 >= toks.size() || !isPunct(toks[i + 1], tu, "("))
            continue;
        int depth = 0;
        for (std::size_t j = i + 1; j < toks.size(); ++j) {
            depth += isPunct(toks[j], tu, "(") ? 1 : isPunct(toks[j], tu, ")") ? -1 : 0;
            if (depth == 0) {
                edits.push_back({t.begin, toks[j].end, "", true});
                i = j;
                break;
            }
        }
    }
}

// NVRTC allows no host functions and rejects an explicit __host__; the device pass compiles the host-only
// functions left (bodies removed) as device functions, so their __host__ goes.
void blankHostKeyword(std::string_view tu, const FunctionDef& f, std::vector<Edit>& edits) {
    for (const Token& t : tokenizeRange(tu, f.decl_begin, f.body_begin)) {
        if (isIdent(t, tu, "__host__"))
            edits.push_back({t.begin, t.end, "", true});
    }
}

} // namespace

std::string hostSource(std::string_view tu, const SourceOutline& outline) {
    std::vector<Edit> edits;
    for (const FunctionDef& f : outline.functions) {
        if (f.space == ExecSpace::Global)
            blankKernelOnlySpecifiers(tu, f, edits);
        if (f.space == ExecSpace::Global || f.space == ExecSpace::Device)
            edits.push_back(replaceBody(f, "{}"));
    }
    for (const LaunchSite& l : outline.launches) {
        edits.push_back({l.callee_begin, l.callee_begin, "::kf_rt::launcher("});
        edits.push_back({l.open, l.open + 3, ", ::kf_rt::Config("});
        edits.push_back({l.close, l.close + 3, "))"});
    }
    return applyEdits(tu, std::move(edits));
}

std::string deviceSource(std::string_view tu, const SourceOutline& outline,
                         const std::function<bool(const FunctionDef&)>& keep_kernel) {
    std::vector<Edit> edits;
    for (const FunctionDef& f : outline.functions) {
        if (f.space == ExecSpace::Host)
            blankHostKeyword(tu, f, edits);
        if (f.space == ExecSpace::Host && !f.is_constexpr && !f.deduced_return)
            edits.push_back(replaceBody(f, "{ kf_removed_host_body(); }"));
        else if (f.space == ExecSpace::Global && keep_kernel && !keep_kernel(f))
            edits.push_back(replaceBody(f, ";"));
    }
    return applyEdits(tu, std::move(edits));
}

} // namespace kf::gpu::cuda_split
