// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// One nvcc invocation that turns a translation unit into a shared library kf-runner loads with dlopen.
struct NvccCommand {
    std::string nvcc = "nvcc";
    std::string arch = "sm_90a"; // "sm_90a", "sm_80", "sm_100f": one real architecture, no PTX fallback
    std::vector<std::string>
        links;                   // "cublas", "cublasLt": the spec's `links`, for reference and baseline only
    std::string toolkit_lib_dir; // rpath of the library, so that libcudart (and cuBLAS) resolve at dlopen
    std::string input = "kernel.cu";  // relative to the working directory: keeps the argv, and so the cache
    std::string output = "kernel.so"; // key, the same from one temporary directory to the next

    // nvcc -O3 -std=c++17 -gencode=... -lineinfo -shared -cudart=shared -Xcompiler=-fPIC ... -o OUT IN.
    // Throws std::invalid_argument for an architecture or a library it does not know.
    std::vector<std::string> argv() const;
};

// "sm_90a" -> "-gencode=arch=compute_90a,code=sm_90a"; throws std::invalid_argument for anything not
// sm_NN[a|f].
std::string gencodeFlag(std::string_view arch);

// The argv as one shell line, arguments quoted where the shell would split them (for logs and people).
std::string commandLine(const std::vector<std::string>& argv);

} // namespace kf::gpu::compile
