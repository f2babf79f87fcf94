// SPDX-License-Identifier: MIT
#pragma once

#include "elf_symbols.h"

#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// A kernel the host code launches (or otherwise names), as g++ instantiated its stub.
struct KernelInstance {
    std::string stub_symbol;     // the stub's mangled name in the host object
    bool stub_local = false;     // internal linkage (an anonymous namespace, `static`)
    std::string base_name;       // "softmax_small_rows"
    std::string name_expression; // for NVRTC: "softmax_small_rows<1, 1, true>"
};

// The functions of the host object that are stubs of the translation unit's kernels (by name: `kernel_names`
// are the unqualified names of its __global__ functions), in symbol-table order, without duplicates.
std::vector<KernelInstance> kernelInstances(const std::vector<ElfFunction>& functions,
                                            const std::vector<std::string>& kernel_names);

// "(anonymous namespace)::ns::k<1, ((anonymous namespace)::Mode)2>" -> "k": the last component of a short
// name, template arguments dropped.
std::string unqualifiedName(std::string_view short_name);

} // namespace kf::gpu::compile
