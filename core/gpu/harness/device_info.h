// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace kf::gpu {

struct DeviceInfo {
    int index = 0;
    std::string name;
    int cc_major = 0, cc_minor = 0;
    int sms = 0;
    long long l2_bytes = 0;
    long long mem_bytes = 0;
    std::string driver; // "13.0"
    std::string cuda;   // the runtime's version
    std::string uuid;   // "GPU-..."
    std::string pci_bus_id;
    std::string arch() const; // "sm_90a"

    nlohmann::json toJson() const; // the `device` object of the hello event
};

// Device 0 (CUDA_VISIBLE_DEVICES picks it). Returns false and says why when there is no usable GPU.
bool queryDevice(DeviceInfo& info, std::string& why_not);

// The nvcc target for a compute capability: architecture-specific features (wgmma, setmaxnreg) need the "a"
// variant on 9.0 and 10.0.
std::string archForCapability(int major, int minor);

} // namespace kf::gpu
