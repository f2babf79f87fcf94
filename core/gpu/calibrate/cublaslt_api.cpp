// SPDX-License-Identifier: MIT
#include "cublaslt_api.h"

#include <cstdlib>
#include <dlfcn.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace kf::gpu::calibration {
namespace {

// The library of the toolkit kf-runner was built with first, by soname (kf-runner's run path finds it), then
// in the toolkit's usual places.
void* openLibrary(std::string& tried) {
    const std::string soname = "libcublasLt.so." + std::to_string(CUBLAS_VER_MAJOR);
    std::vector<std::string> candidates = {soname};
    for (const char* var : {"CUDA_HOME", "CUDA_PATH"}) {
        if (const char* root = std::getenv(var); root != nullptr && root[0] == '/') {
            candidates.push_back(std::string(root) + "/lib64/" + soname);
        }
    }
    candidates.push_back("/usr/local/cuda/lib64/" + soname);
    for (const auto& c : candidates) {
        if (void* lib = dlopen(c.c_str(), RTLD_NOW | RTLD_LOCAL)) {
            return lib;
        }
        const char* why = dlerror();
        tried += (tried.empty() ? "" : "; ") + std::string(why != nullptr ? why : c.c_str());
    }
    return nullptr;
}

template <typename F>
void resolve(void* lib, const char* name, F& fn) {
    fn = reinterpret_cast<F>(dlsym(lib, name));
    if (fn == nullptr) {
        throw std::runtime_error(std::string("cuBLASLt has no ") + name);
    }
}

CublasLtApi load() {
    std::string tried;
    void* lib = openLibrary(tried);
    if (lib == nullptr) {
        throw std::runtime_error("cannot load cuBLASLt for the tensor-core ceilings: " + tried);
    }
    CublasLtApi api{};
    resolve(lib, "cublasLtCreate", api.create);
    resolve(lib, "cublasLtDestroy", api.destroy);
    resolve(lib, "cublasLtGetVersion", api.getVersion);
    resolve(lib, "cublasLtGetStatusName", api.getStatusName);
    resolve(lib, "cublasLtGetStatusString", api.getStatusString);
    resolve(lib, "cublasLtMatmul", api.matmul);
    resolve(lib, "cublasLtMatmulAlgoGetHeuristic", api.matmulAlgoGetHeuristic);
    resolve(lib, "cublasLtMatmulAlgoConfigGetAttribute", api.matmulAlgoConfigGetAttribute);
    resolve(lib, "cublasLtMatmulDescCreate", api.matmulDescCreate);
    resolve(lib, "cublasLtMatmulDescDestroy", api.matmulDescDestroy);
    resolve(lib, "cublasLtMatmulDescSetAttribute", api.matmulDescSetAttribute);
    resolve(lib, "cublasLtMatmulPreferenceCreate", api.matmulPreferenceCreate);
    resolve(lib, "cublasLtMatmulPreferenceDestroy", api.matmulPreferenceDestroy);
    resolve(lib, "cublasLtMatmulPreferenceSetAttribute", api.matmulPreferenceSetAttribute);
    resolve(lib, "cublasLtMatrixLayoutCreate", api.matrixLayoutCreate);
    resolve(lib, "cublasLtMatrixLayoutDestroy", api.matrixLayoutDestroy);
    return api; // the library stays loaded for the process's life
}

} // namespace

const CublasLtApi& cublasLt() {
    static const CublasLtApi api = load(); // a throw leaves it unset: the next call tries again
    return api;
}

} // namespace kf::gpu::calibration
