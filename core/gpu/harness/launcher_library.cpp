// SPDX-License-Identifier: MIT
#include "launcher_library.h"

#include <dlfcn.h>
#include <stdexcept>

namespace kf::gpu {

namespace {

std::string shimSymbol(spec::Role role) {
    return "kf__call_" + std::string(spec::roleSymbol(role));
}

} // namespace

std::string callShimSource(const spec::Spec& spec, spec::Role role) {
    std::string s = "\n#line 1 \"<kf-runner call shim>\"\nextern \"C\" void " + shimSymbol(role) +
                    "(void* const* kf_args, cudaStream_t kf_stream) {\n    " +
                    std::string(spec::roleSymbol(role)) + "(";
    std::size_t i = 0;
    for (const auto* t : spec.tensors()) {
        const bool is_input = i < spec.inputs.size();
        s += "(" + std::string(is_input ? "const " : "") + std::string(spec::dtypeCType(t->dtype)) +
             "*)kf_args[" + std::to_string(i) + "], ";
        ++i;
    }
    for (std::size_t p = 0; p < spec.params.size(); ++p, ++i) {
        s += "*(const int64_t*)kf_args[" + std::to_string(i) + "], ";
    }
    s += "kf_stream);\n}\n";
    return s;
}

LauncherLibrary::LauncherLibrary(const std::string& so_path, spec::Role role)
    : role_(role) {
    handle_ = dlopen(so_path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle_ == nullptr) {
        const char* why = dlerror();
        throw std::runtime_error("cannot load " + so_path + ": " + (why ? why : "unknown dlopen error"));
    }
    const std::string symbol = shimSymbol(role);
    fn_ = reinterpret_cast<CallFn>(dlsym(handle_, symbol.c_str()));
    if (fn_ == nullptr) {
        dlclose(handle_);
        throw std::runtime_error(so_path + " has no " + symbol + " (was it built by kf-runner?)");
    }
    // A fast build (gpu/compile/fast_build.h) carries its kernels as CUBINs, loaded here, on the current
    // device; nvcc's libraries register theirs when loaded.
    using LoadFn = int (*)(char*, unsigned long);
    if (const auto load = reinterpret_cast<LoadFn>(dlsym(handle_, "kf_rt_load")); load != nullptr) {
        char error[512] = {};
        if (load(error, sizeof error) != 0) {
            cudaGetLastError(); // the failed load is reported here, not by the next launch check
            throw std::runtime_error("cannot load the kernels of " + so_path + ": " + error);
        }
    }
}

LauncherLibrary::~LauncherLibrary() {
    // Not dlclose'd: a kernel module unloaded while the CUDA context lives can leave dangling registrations,
    // and the process ends after the job anyway.
}

void LauncherLibrary::call(const LaunchArgs& args, cudaStream_t stream) const {
    std::vector<void*> packed;
    packed.reserve(args.tensors.size() + args.params.size());
    for (void* t : args.tensors) {
        packed.push_back(t);
    }
    for (const std::int64_t& p : args.params) {
        packed.push_back(const_cast<std::int64_t*>(&p));
    }
    fn_(packed.data(), stream);
}

} // namespace kf::gpu
