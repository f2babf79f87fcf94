// SPDX-License-Identifier: MIT
#include "fast_host_runtime.h"

namespace kf::gpu::compile {

std::string fastHostRuntime() {
    // Compiled by g++ in front of the role's translation unit (which includes cuda_runtime.h again, to no
    // effect). The table and the CUBINs come from fastBlobAssembly(); kf_rt_load() is called by the runner
    // after dlopen, with a current device.
    return R"KF(// ---- kf_rt: launches of NVRTC-built kernels through their g++ stubs (KernelForge fast build) ----
#include <cuda_runtime.h>
#include <cstdio>
// nvcc's cuda_runtime.h brings <cmath> and <cstdlib> into every host pass; <algorithm>, which most kernel files
// include, is here so that the precompiled header holds it.
#include <algorithm>
#include <cmath>
#include <cstdlib>
// Kernel annotations that cuda_runtime.h defines only for nvcc.
#ifndef __launch_bounds__
#define __launch_bounds__(...)
#endif
#ifndef __cluster_dims__
#define __cluster_dims__(...)
#endif
#ifndef __maxnreg__
#define __maxnreg__(...)
#endif
// cooperative_groups.h declares its namespace only for nvcc; host code may still alias it (device bodies
// that use it are cut from the host pass).
namespace cooperative_groups {}
// nvcc's math headers give host code min and max over the integer and floating types; g++ has only std::.
#define KF_RT_MINMAX(T)                                                                                         \
    inline T min(T a, T b) { return b < a ? b : a; }                                                            \
    inline T max(T a, T b) { return a < b ? b : a; }
KF_RT_MINMAX(int) KF_RT_MINMAX(unsigned int) KF_RT_MINMAX(long) KF_RT_MINMAX(unsigned long)
KF_RT_MINMAX(long long) KF_RT_MINMAX(unsigned long long) KF_RT_MINMAX(float) KF_RT_MINMAX(double)
#undef KF_RT_MINMAX
inline unsigned int min(int a, unsigned int b) { return min(static_cast<unsigned int>(a), b); }
inline unsigned int min(unsigned int a, int b) { return min(a, static_cast<unsigned int>(b)); }
inline unsigned int max(int a, unsigned int b) { return max(static_cast<unsigned int>(a), b); }
inline unsigned int max(unsigned int a, int b) { return max(a, static_cast<unsigned int>(b)); }
inline unsigned long min(long a, unsigned long b) { return min(static_cast<unsigned long>(a), b); }
inline unsigned long min(unsigned long a, long b) { return min(a, static_cast<unsigned long>(b)); }
inline unsigned long max(long a, unsigned long b) { return max(static_cast<unsigned long>(a), b); }
inline unsigned long max(unsigned long a, long b) { return max(a, static_cast<unsigned long>(b)); }
inline double min(float a, double b) { return min(static_cast<double>(a), b); }
inline double min(double a, float b) { return min(a, static_cast<double>(b)); }
inline double max(float a, double b) { return max(static_cast<double>(a), b); }
inline double max(double a, float b) { return max(a, static_cast<double>(b)); }
extern "C" {
struct kf_rt_entry { const void* stub; const char* lowered; unsigned long cubin; };
struct kf_rt_image { const void* data; unsigned long size; };
extern const struct kf_rt_entry kf_rt_entries[] __attribute__((visibility("hidden")));
extern const unsigned long kf_rt_entry_count __attribute__((visibility("hidden")));
extern const struct kf_rt_image kf_rt_images[] __attribute__((visibility("hidden")));
extern const unsigned long kf_rt_image_count __attribute__((visibility("hidden")));
}
// Everything in an unnamed namespace: each role's library keeps its own table and state. (A static local of an
// inline function would be a GNU unique symbol, shared by every library in the process: the reference
// would then launch the candidate's kernels.)
namespace kf_rt {
namespace {
struct State { cudaKernel_t* kernels = nullptr; bool loaded = false; };
State& state() { static State s; return s; }
// The kernel handle for a stub, as the const void* the runtime API takes; anything else comes back as it is.
inline const void* device_fn(const void* stub) {
    const State& s = state();
    if (s.loaded) {
        for (unsigned long i = 0; i < kf_rt_entry_count; ++i) {
            if (kf_rt_entries[i].stub == stub) return reinterpret_cast<const void*>(s.kernels[i]);
        }
    }
    return stub;
}
template <class F> inline const void* device_fn(F* f) { return device_fn(reinterpret_cast<const void*>(f)); }
struct Config {
    dim3 grid, block; size_t smem; cudaStream_t stream;
    Config(dim3 g, dim3 b, size_t s = 0, cudaStream_t st = 0) : grid(g), block(b), smem(s), stream(st) {}
};
// Arguments convert to the kernel's parameter types as in a call; the launch's error is the runtime's last
// error, as after <<<>>>.
template <class... P> struct Launch {
    void (*kernel)(P...);
    Config config;
    void operator()(P... p) const {
        void* args[] = {const_cast<void*>(static_cast<const void*>(&p))..., nullptr};
        ::cudaLaunchKernel(device_fn(kernel), config.grid, config.block, args, config.smem, config.stream);
    }
};
template <class... P> inline Launch<P...> launcher(void (*kernel)(P...), Config config) { return {kernel, config}; }
template <class... P> struct LaunchEx {
    const cudaLaunchConfig_t* config;
    void (*kernel)(P...);
    cudaError_t operator()(P... p) const {
        void* args[] = {const_cast<void*>(static_cast<const void*>(&p))..., nullptr};
        return ::cudaLaunchKernelExC(config, device_fn(kernel), args);
    }
};
template <class... P, class... A>
inline cudaError_t launch_ex(const cudaLaunchConfig_t* config, void (*kernel)(P...), A&&... args) {
    return LaunchEx<P...>{config, kernel}(static_cast<A&&>(args)...);
}
} // namespace
} // namespace kf_rt
extern "C" __attribute__((visibility("default"))) int kf_rt_load(char* error, unsigned long size) {
    kf_rt::State& s = kf_rt::state();
    if (s.loaded) return 0;
    cudaLibrary_t* libs = new cudaLibrary_t[kf_rt_image_count + 1];
    for (unsigned long i = 0; i < kf_rt_image_count; ++i) {
        const cudaError_t e = cudaLibraryLoadData(&libs[i], kf_rt_images[i].data, nullptr, nullptr, 0, nullptr, nullptr, 0);
        if (e != cudaSuccess) {
            std::snprintf(error, size, "loading CUBIN %lu of %lu: %s", i + 1, kf_rt_image_count, cudaGetErrorString(e));
            return 1;
        }
    }
    s.kernels = new cudaKernel_t[kf_rt_entry_count + 1];
    for (unsigned long i = 0; i < kf_rt_entry_count; ++i) {
        const cudaError_t e = cudaLibraryGetKernel(&s.kernels[i], libs[kf_rt_entries[i].cubin], kf_rt_entries[i].lowered);
        if (e != cudaSuccess) {
            std::snprintf(error, size, "kernel %s is not in its CUBIN: %s", kf_rt_entries[i].lowered, cudaGetErrorString(e));
            return 1;
        }
    }
    s.loaded = true;
    return 0;
}
// The runtime calls that take a kernel get its handle.
#define cudaFuncSetAttribute(f, ...) ::cudaFuncSetAttribute(::kf_rt::device_fn(f), __VA_ARGS__)
#define cudaFuncGetAttributes(a, f) ::cudaFuncGetAttributes(a, ::kf_rt::device_fn(f))
#define cudaFuncSetCacheConfig(f, c) ::cudaFuncSetCacheConfig(::kf_rt::device_fn(f), c)
#define cudaLaunchKernel(f, ...) ::cudaLaunchKernel(::kf_rt::device_fn(f), __VA_ARGS__)
#define cudaLaunchKernelEx(c, f, ...) ::kf_rt::launch_ex(c, f, ##__VA_ARGS__)
#define cudaLaunchKernelExC(c, f, a) ::cudaLaunchKernelExC(c, ::kf_rt::device_fn(f), a)
#define cudaLaunchCooperativeKernel(f, ...) ::cudaLaunchCooperativeKernel(::kf_rt::device_fn(f), __VA_ARGS__)
#define cudaOccupancyMaxActiveBlocksPerMultiprocessor(n, f, ...) \
    ::cudaOccupancyMaxActiveBlocksPerMultiprocessor(n, ::kf_rt::device_fn(f), __VA_ARGS__)
#define cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(n, f, ...) \
    ::cudaOccupancyMaxActiveBlocksPerMultiprocessorWithFlags(n, ::kf_rt::device_fn(f), __VA_ARGS__)
#define cudaOccupancyAvailableDynamicSMemPerBlock(s, f, ...) \
    ::cudaOccupancyAvailableDynamicSMemPerBlock(s, ::kf_rt::device_fn(f), __VA_ARGS__)
#define cudaOccupancyMaxPotentialBlockSize(g, b, f, ...) \
    ::cudaOccupancyMaxPotentialBlockSize(g, b, ::kf_rt::device_fn(f), ##__VA_ARGS__)
// ---- end of kf_rt ----
)KF";
}

std::string fastBlobAssembly(const std::vector<std::string>& cubin_paths,
                             const std::vector<FastKernelEntry>& kernels) {
    std::string s = "    .section .rodata.kf_rt_cubin,\"a\",@progbits\n";
    for (std::size_t i = 0; i < cubin_paths.size(); ++i) {
        const auto n = std::to_string(i);
        s += "    .balign 256\n.Lkf_cubin_" + n + ":\n    .incbin \"" + cubin_paths[i] +
             "\"\n.Lkf_cubin_end_" + n + ":\n";
    }
    s += "    .section .rodata.kf_rt_names,\"a\",@progbits\n";
    for (std::size_t i = 0; i < kernels.size(); ++i) {
        s += ".Lkf_name_" + std::to_string(i) + ":\n    .asciz \"" + kernels[i].lowered_name + "\"\n";
    }
    s += "    .section .data.rel.ro.kf_rt,\"aw\",@progbits\n    .balign 8\n";
    const auto global = [&s](const char* name) {
        s += std::string("    .globl ") + name + "\n    .hidden " + name + "\n" + name + ":\n";
    };
    global("kf_rt_images");
    for (std::size_t i = 0; i < cubin_paths.size(); ++i) {
        const auto n = std::to_string(i);
        s += "    .quad .Lkf_cubin_" + n + ", .Lkf_cubin_end_" + n + " - .Lkf_cubin_" + n + "\n";
    }
    global("kf_rt_image_count");
    s += "    .quad " + std::to_string(cubin_paths.size()) + "\n";
    global("kf_rt_entries");
    for (std::size_t i = 0; i < kernels.size(); ++i) {
        s += "    .quad " + kernels[i].stub_symbol + ", .Lkf_name_" + std::to_string(i) + ", " +
             std::to_string(kernels[i].cubin) + "\n";
    }
    global("kf_rt_entry_count");
    s += "    .quad " + std::to_string(kernels.size()) + "\n";
    s += "    .section .note.GNU-stack,\"\",@progbits\n";
    return s;
}

} // namespace kf::gpu::compile
