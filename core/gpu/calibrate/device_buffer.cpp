// SPDX-License-Identifier: MIT
#include "device_buffer.h"

#include <cuda_runtime_api.h>
#include <stdexcept>
#include <string>

namespace kf::gpu::calibration {

DeviceBuffer::DeviceBuffer(std::size_t bytes, const char* purpose)
    : m_bytes(bytes) {
    const cudaError_t e = cudaMalloc(&m_ptr, bytes);
    if (e != cudaSuccess) {
        std::size_t free_bytes = 0;
        std::size_t total_bytes = 0;
        const bool known = cudaMemGetInfo(&free_bytes, &total_bytes) == cudaSuccess;
        throw std::runtime_error("cudaMalloc of " + std::to_string(bytes) + " bytes for " + purpose +
                                 " failed: " + cudaGetErrorName(e) + " (" + cudaGetErrorString(e) + ")" +
                                 (known ? "; free device memory: " + std::to_string(free_bytes) + " of " +
                                              std::to_string(total_bytes) + " bytes"
                                        : std::string()));
    }
}

DeviceBuffer::~DeviceBuffer() {
    cudaFree(m_ptr); // an error here is sticky and surfaces at the next checked call
}

} // namespace kf::gpu::calibration
