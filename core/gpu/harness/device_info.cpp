// SPDX-License-Identifier: MIT
#include "device_info.h"

#include "cuda_check.h"

#include <cstdio>

namespace kf::gpu {

namespace {

std::string versionText(int v) {
    return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
}

std::string uuidText(const cudaUUID_t& u) {
    std::string s = "GPU-";
    const auto* b = reinterpret_cast<const unsigned char*>(u.bytes);
    for (int i = 0; i < 16; ++i) {
        char hex[3];
        std::snprintf(hex, sizeof hex, "%02x", b[i]);
        s += hex;
        if (i == 3 || i == 5 || i == 7 || i == 9) {
            s += '-';
        }
    }
    return s;
}

} // namespace

std::string archForCapability(int major, int minor) {
    std::string arch = "sm_" + std::to_string(major) + std::to_string(minor);
    if ((major == 9 || major == 10) && minor == 0) {
        arch += 'a';
    }
    return arch;
}

std::string DeviceInfo::arch() const {
    return archForCapability(cc_major, cc_minor);
}

nlohmann::json DeviceInfo::toJson() const {
    return {{"name", name},         {"cc", std::to_string(cc_major) + "." + std::to_string(cc_minor)},
            {"arch", arch()},       {"sms", sms},
            {"l2_bytes", l2_bytes}, {"mem_bytes", mem_bytes},
            {"driver", driver},     {"cuda", cuda},
            {"uuid", uuid},         {"pci_bus_id", pci_bus_id}};
}

bool queryDevice(DeviceInfo& info, std::string& why_not) {
    int count = 0;
    const cudaError_t e = cudaGetDeviceCount(&count);
    if (e != cudaSuccess) {
        why_not = "no usable GPU: " + cudaErrorText(e);
        cudaGetLastError();
        return false;
    }
    if (count == 0) {
        why_not = "no CUDA device is visible";
        return false;
    }
    cudaDeviceProp p{};
    if (const cudaError_t pe = cudaGetDeviceProperties(&p, 0); pe != cudaSuccess) {
        why_not = "cannot read the GPU's properties: " + cudaErrorText(pe);
        return false;
    }
    info.index = 0;
    info.name = p.name;
    info.cc_major = p.major;
    info.cc_minor = p.minor;
    info.sms = p.multiProcessorCount;
    info.l2_bytes = p.l2CacheSize;
    info.mem_bytes = static_cast<long long>(p.totalGlobalMem);
    info.uuid = uuidText(p.uuid);
    int v = 0;
    if (cudaDriverGetVersion(&v) == cudaSuccess) {
        info.driver = versionText(v);
    }
    if (cudaRuntimeGetVersion(&v) == cudaSuccess) {
        info.cuda = versionText(v);
    }
    char bus[32] = {};
    if (cudaDeviceGetPCIBusId(bus, sizeof bus, 0) == cudaSuccess) {
        info.pci_bus_id = bus;
    }
    return true;
}

} // namespace kf::gpu
