// SPDX-License-Identifier: MIT
#pragma once

#include "cuda_check.h"

#include <cstddef>
#include <utility>

namespace kf::gpu {

// One cudaMalloc'd allocation, freed on destruction. Separate allocations per role keep a candidate from
// finding the reference's results in memory it is handed (measurement.md 4).
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    explicit DeviceBuffer(std::size_t bytes)
        : bytes_(bytes) {
        if (bytes_ > 0) {
            KF_CUDA(cudaMalloc(&ptr_, bytes_));
        }
    }
    ~DeviceBuffer() {
        if (ptr_ != nullptr) {
            cudaFree(ptr_);
        }
    }
    DeviceBuffer(DeviceBuffer&& o) noexcept
        : ptr_(std::exchange(o.ptr_, nullptr))
        , bytes_(std::exchange(o.bytes_, 0)) {}
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        std::swap(ptr_, o.ptr_);
        std::swap(bytes_, o.bytes_);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    void* get() const { return ptr_; }
    std::size_t bytes() const { return bytes_; }

private:
    void* ptr_ = nullptr;
    std::size_t bytes_ = 0;
};

} // namespace kf::gpu
