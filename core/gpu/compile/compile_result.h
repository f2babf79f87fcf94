// SPDX-License-Identifier: MIT
#pragma once

#include "diagnostic.h"
#include "kernel_resources.h"
#include "spec/launcher.h"

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// What compiling one role's translation unit gave.
struct CompileResult {
    bool ok = false;
    bool cached = false; // taken from the compile cache: nvcc did not run
    double seconds = 0;  // wall time of this call (a cache hit's is the lookup's)
    std::vector<Diagnostic> diagnostics;
    std::string log; // nvcc's whole output, bounded (head and tail kept)
    std::vector<KernelResources> kernels;
    std::string so_path;            // the shared library to dlopen; empty unless ok
    std::string command;            // the nvcc command line, as run in its temporary directory
    std::vector<std::string> notes; // about the compile rather than the code ("compile cache off: ...")
};

std::string_view roleName(spec::Role role); // "candidate" | "reference" | "baseline"

// The `compiled` event of docs/runner-protocol.md: role, ok, cached, seconds, diagnostics, log, kernels, and
// "notes" when there are any.
nlohmann::json compiledEvent(spec::Role role, const CompileResult& result);

// What the compile cache stores: ok, seconds (of the compile that produced it), diagnostics, log, kernels,
// command. Not so_path, cached or notes, which belong to one call.
nlohmann::json compileResultToJson(const CompileResult& result);
CompileResult compileResultFromJson(const nlohmann::json& j); // throws nlohmann::json::exception

} // namespace kf::gpu::compile
