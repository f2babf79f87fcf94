// SPDX-License-Identifier: MIT
#pragma once

#include <cublas_api.h>
#include <cuda_runtime_api.h>

namespace kf::gpu::calibration {

// Throw std::runtime_error naming the call, the error's name and text, and file:line, e.g.
// "cudaMalloc(&p, bytes) failed: cudaErrorMemoryAllocation (out of memory) at dram.cu:57".
[[noreturn]] void throwCudaError(cudaError_t e, const char* call, const char* file, int line);
[[noreturn]] void throwCublasError(cublasStatus_t s, const char* call, const char* file, int line);

inline void checkCuda(cudaError_t e, const char* call, const char* file, int line) {
    if (e != cudaSuccess) {
        throwCudaError(e, call, file, line);
    }
}

inline void checkCublas(cublasStatus_t s, const char* call, const char* file, int line) {
    if (s != CUBLAS_STATUS_SUCCESS) {
        throwCublasError(s, call, file, line);
    }
}

} // namespace kf::gpu::calibration

#define KF_CUDA_CHECK(call) ::kf::gpu::calibration::checkCuda((call), #call, __FILE__, __LINE__)
#define KF_CUBLAS_CHECK(call) ::kf::gpu::calibration::checkCublas((call), #call, __FILE__, __LINE__)
// After a <<<...>>> launch: a bad configuration shows at once, a fault in the kernel at the next sync.
#define KF_CUDA_CHECK_LAUNCH(kernel)                                                                         \
    ::kf::gpu::calibration::checkCuda(cudaGetLastError(), "launch of " kernel, __FILE__, __LINE__)
