// SPDX-License-Identifier: MIT
#pragma once
// The outline of one CUDA translation unit: its function definitions with their execution spaces, its
// kernel launches, and the first construct the fast (g++ + NVRTC) build cannot handle.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::cuda_split {

enum class ExecSpace { Host, Device, HostDevice, Global };

struct FunctionDef {
    std::string name; // unqualified: "softmax_small_rows", "operator+", "S" for a ctor, "~S"
    ExecSpace space = ExecSpace::Host;
    bool is_template = false;  // the declaration begins with `template <...>` (explicit specialisations too)
    bool is_constexpr = false; // constexpr or consteval
    bool deduced_return = false; // `auto`/`decltype(auto)` return type without a trailing `-> T`
    std::size_t decl_begin = 0;  // first token of the declaration
    std::size_t body_begin = 0;  // the body's `{`
    std::size_t body_end = 0;    // one past the matching `}`
};

struct LaunchSite {
    std::size_t callee_begin = 0; // first char of the launched expression (`ns::k<1, T>` or `(ptr)`)
    std::size_t open = 0;         // offset of `<<<`
    std::size_t close = 0;        // offset of `>>>`
};

struct SourceOutline {
    // Every function definition at namespace, extern "C" {} or class scope (recursing into namespaces and
    // class/struct/union bodies), in source order; not lambdas or local classes inside function bodies.
    std::vector<FunctionDef> functions;
    std::vector<LaunchSite> launches; // every <<<...>>> launch, in source order
    std::vector<std::string>
        kernel_names;        // names of the __global__ functions, unique, in order of appearance
    std::string unsupported; // empty, or "line N: why" for the first construct the fast path does not handle
};

// Line numbers in `unsupported` follow `#line` directives, so they name lines of the user's file.
SourceOutline outlineCudaSource(std::string_view tu);

} // namespace kf::gpu::cuda_split
