// SPDX-License-Identifier: MIT
#include "cuda_check.h"

#include "cublaslt_api.h"

#include <stdexcept>
#include <string>
#include <string_view>

namespace kf::gpu::calibration {
namespace {

std::string_view baseName(std::string_view path) {
    const auto slash = path.find_last_of('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string where(const char* file, int line) {
    return " at " + std::string(baseName(file)) + ":" + std::to_string(line);
}

} // namespace

void throwCudaError(cudaError_t e, const char* call, const char* file, int line) {
    throw std::runtime_error(std::string(call) + " failed: " + cudaGetErrorName(e) + " (" +
                             cudaGetErrorString(e) + ", code " + std::to_string(static_cast<int>(e)) + ")" +
                             where(file, line));
}

void throwCublasError(cublasStatus_t s, const char* call, const char* file, int line) {
    throw std::runtime_error(std::string(call) + " failed: " + cublasLt().getStatusName(s) + " (" +
                             cublasLt().getStatusString(s) + ", code " + std::to_string(static_cast<int>(s)) +
                             ")" + where(file, line));
}

} // namespace kf::gpu::calibration
