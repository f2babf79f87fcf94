// SPDX-License-Identifier: MIT
#include "cuda_check.h"

#include <filesystem>

namespace kf::gpu {

bool CudaError::sticky() const {
    switch (code_) {
    case cudaErrorIllegalAddress:
    case cudaErrorLaunchFailure:
    case cudaErrorMisalignedAddress:
    case cudaErrorInvalidAddressSpace:
    case cudaErrorInvalidPc:
    case cudaErrorIllegalInstruction:
    case cudaErrorHardwareStackError:
    case cudaErrorAssert:
    case cudaErrorLaunchTimeout:
    case cudaErrorECCUncorrectable:
        return true;
    default:
        return false;
    }
}

std::string cudaErrorText(cudaError_t code) {
    return std::string(cudaGetErrorString(code)) + " (" + cudaGetErrorName(code) + ")";
}

void throwCudaError(cudaError_t code, const char* call, const char* file, int line) {
    throw CudaError(code, cudaErrorText(code) + " in " + call + " [" +
                              std::filesystem::path(file).filename().string() + ":" + std::to_string(line) +
                              "]");
}

} // namespace kf::gpu
