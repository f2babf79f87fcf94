// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>

namespace kf::gpu::calibration {

// Device memory owned for one measurement. Throws std::runtime_error (with the size, the purpose and the free
// memory) when cudaMalloc fails.
class DeviceBuffer {
public:
    DeviceBuffer(std::size_t bytes, const char* purpose);
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer();

    void* get() const { return m_ptr; }
    template <class T>
    T* as() const {
        return static_cast<T*>(m_ptr);
    }
    std::size_t bytes() const { return m_bytes; }

private:
    void* m_ptr = nullptr;
    std::size_t m_bytes = 0;
};

} // namespace kf::gpu::calibration
