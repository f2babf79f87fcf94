// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace kf::gpu::compile {

// The fast build compiles a role's host code with g++ and its kernels with NVRTC. g++ sees each kernel as an
// empty stub; this runtime, put in front of the host code, turns a launch of a stub into a launch of the
// NVRTC-built kernel (core/gpu/cuda_split rewrites `k<<<cfg>>>(args)` to `::kf_rt::launcher(k,
// ::kf_rt::Config(cfg))(args)`), and the runtime calls that take a kernel (cudaFuncSetAttribute, the
// occupancy calls, cudaLaunchKernel...) into calls on the kernel's handle.
std::string fastHostRuntime();

// One kernel of a fast-built library: the host stub's symbol, and the kernel's name in CUBIN `cubin`.
struct FastKernelEntry {
    std::string stub_symbol;
    std::string lowered_name;
    std::size_t cubin = 0;
};

// Assembly (GNU as) that embeds the CUBIN files and the table the runtime reads: linked into the library, it
// makes the library self-contained, as nvcc's fatbinary does.
std::string fastBlobAssembly(const std::vector<std::string>& cubin_paths,
                             const std::vector<FastKernelEntry>& kernels);

} // namespace kf::gpu::compile
