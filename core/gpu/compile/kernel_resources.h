// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// What ptxas reported for one kernel (a __global__ entry function) of the compiled architecture.
struct KernelResources {
    std::string name;      // "softmax_rows<256>": demangled, without return type and parameters
    std::string signature; // "void softmax_rows<256>(float const*, float*, long)": the full demangled name
    std::string mangled;   // "_Z12softmax_rowsILi256EEvPKfPfl": unique, what the profiler shows
    int registers = 0;
    int barriers = 0;
    long smem_static =
        0;          // bytes of __shared__ declared in the kernel (dynamic shared memory comes at launch)
    long cmem = -1; // bytes of cmem[0]; -1 where ptxas does not print it (ptxas 13 for sm_90 does not)
    long stack = 0; // bytes of stack frame
    long spill_stores = 0;
    long spill_loads = 0;
    bool operator==(const KernelResources&) const = default;
};

// The kernels in `ptxas --verbose` output, in the order ptxas compiled them:
//   ptxas info    : Compiling entry function '_Z3bigPKfPfl' for 'sm_90a'
//   ptxas info    : Function properties for _Z3bigPKfPfl
//       0 bytes stack frame, 0 bytes spill stores, 0 bytes spill loads
//   ptxas info    : Used 10 registers, used 1 barriers, 160000 bytes smem, 376 bytes cmem[0]
// Properties of device functions (no "Compiling entry function" line) are left out: they are not kernels.
std::vector<KernelResources> parseKernelResources(std::string_view log);

// {"name","mangled","registers","barriers","smem_static","cmem" (null when unknown),"stack","spill_stores",
// "spill_loads","signature"}: the kernels of the `compiled` event.
nlohmann::json kernelResourcesToJson(const KernelResources& k);
KernelResources kernelResourcesFromJson(const nlohmann::json& j); // throws nlohmann::json::exception

} // namespace kf::gpu::compile
