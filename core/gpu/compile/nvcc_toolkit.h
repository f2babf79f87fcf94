// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// Reads one environment variable; tests pass their own.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup processEnvironment();

struct NvccLookup {
    std::string path;  // an executable nvcc; empty when none was found
    std::string error; // what was tried, when none was found
};

// The nvcc to use: `explicit_path` when given (and nothing else: a wrong explicit path is an error, not a
// reason to pick another toolkit), else $CUDA_HOME/bin/nvcc, $CUDA_PATH/bin/nvcc, nvcc in $PATH, and
// /usr/local/cuda/bin/nvcc, the first that is an executable file.
NvccLookup findNvcc(std::string_view explicit_path, const EnvLookup& env = processEnvironment());

// The toolkit's library directory beside nvcc's bin/ (lib64, else targets/<arch>-linux/lib, else lib): the
// rpath that lets a compiled library find libcudart and cuBLAS. Empty when none exists.
std::string toolkitLibDir(std::string_view nvcc_path);

// "13.0.88" from `nvcc --version` ("Cuda compilation tools, release 13.0, V13.0.88"); nullopt when absent.
std::optional<std::string> parseNvccVersion(std::string_view version_output);

struct NvccVersion {
    std::string version; // "13.0.88"
    std::string error;   // why there is none: nvcc would not run, or printed no version
};

// Runs `nvcc --version` once per path for the life of the process (thread-safe); failures are not remembered.
NvccVersion nvccVersion(const std::string& nvcc_path);

} // namespace kf::gpu::compile
