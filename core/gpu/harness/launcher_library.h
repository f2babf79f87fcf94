// SPDX-License-Identifier: MIT
#pragma once

#include "spec/launcher.h"
#include "spec/spec.h"

#include <cuda_runtime.h>
#include <memory>
#include <string>
#include <vector>

namespace kf::gpu {

// C++ appended to every translation unit the runner builds: one fixed-signature entry point per role that
// unpacks an argument array into the spec's launcher ABI. The runner then calls any spec's kernel through the
// same function type, with no assumptions about the platform's calling convention.
std::string callShimSource(const spec::Spec& spec, spec::Role role);

// The launcher arguments of one call: tensor pointers (inputs, then outputs), then the params.
struct LaunchArgs {
    std::vector<void*> tensors;
    std::vector<std::int64_t> params;
};

// A compiled role's shared object, loaded with dlopen, and its call shim.
class LauncherLibrary {
public:
    // Throws std::runtime_error naming the file and dlerror() when it cannot be loaded.
    LauncherLibrary(const std::string& so_path, spec::Role role);
    ~LauncherLibrary();
    LauncherLibrary(const LauncherLibrary&) = delete;
    LauncherLibrary& operator=(const LauncherLibrary&) = delete;

    // Calls the role's launcher with `args` on `stream`. Does not synchronize.
    void call(const LaunchArgs& args, cudaStream_t stream) const;
    spec::Role role() const { return role_; }

private:
    using CallFn = void (*)(void* const*, cudaStream_t);
    void* handle_ = nullptr;
    CallFn fn_ = nullptr;
    spec::Role role_;
};

} // namespace kf::gpu
