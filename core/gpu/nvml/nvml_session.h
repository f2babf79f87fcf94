// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/nvml/clock_sample.h"

#include <memory>
#include <string>

namespace kf::gpu {

struct NvmlFunctions;

// NVML bound to one device, for clock, power and throttle readings. The driver's libnvidia-ml.so.1 is loaded
// with dlopen when open() is called, never linked: kf-runner must also start on machines without a driver
// (compile jobs). Shutting NVML down and unloading it happen in the destructor.
class Nvml {
public:
    // pci_bus_id as cudaDeviceGetPCIBusId writes it ("0000:18:00.0"), so this library needs no cudart.
    // Returns null and says why in *why_not (when given) if the library, a required symbol or the device is
    // missing, or nvmlInit fails.
    static std::unique_ptr<Nvml> open(const std::string& pci_bus_id, std::string* why_not);

    Nvml(const Nvml&) = delete;
    Nvml& operator=(const Nvml&) = delete;
    ~Nvml();

    // Never throws; a value NVML cannot give stays -1 (see ClockSample).
    ClockSample sample() const;

    const std::string& uuid() const { return m_uuid; } // "GPU-...", or "" when NVML could not tell
    const std::string& pciBusId() const { return m_pci_bus_id; }

private:
    Nvml(void* library, std::unique_ptr<NvmlFunctions> fn, void* device, std::string pci_bus_id);

    void* m_library = nullptr;
    std::unique_ptr<NvmlFunctions> m_fn;
    void* m_device = nullptr; // nvmlDevice_t
    std::string m_pci_bus_id;
    std::string m_uuid;
};

} // namespace kf::gpu
