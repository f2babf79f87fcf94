// SPDX-License-Identifier: MIT
#pragma once

#include <cuda_runtime.h>
#include <stdexcept>
#include <string>

namespace kf::gpu {

// A CUDA runtime call that failed: which call, where in the harness, and the runtime's words for the code.
class CudaError : public std::runtime_error {
public:
    CudaError(cudaError_t code, const std::string& what)
        : std::runtime_error(what)
        , code_(code) {}
    cudaError_t code() const { return code_; }
    // Errors after which the context is unusable (illegal address, launch failure, ...): the process must
    // end.
    bool sticky() const;

private:
    cudaError_t code_;
};

std::string
cudaErrorText(cudaError_t code); // "an illegal memory access was encountered (cudaErrorIllegalAddress)"

[[noreturn]] void throwCudaError(cudaError_t code, const char* call, const char* file, int line);

} // namespace kf::gpu

#define KF_CUDA(call)                                                                                        \
    do {                                                                                                     \
        const cudaError_t kf_cuda_status_ = (call);                                                          \
        if (kf_cuda_status_ != cudaSuccess) {                                                                \
            ::kf::gpu::throwCudaError(kf_cuda_status_, #call, __FILE__, __LINE__);                           \
        }                                                                                                    \
    } while (0)
