// SPDX-License-Identifier: MIT
#include "nvml_session.h"

#include "gpu/nvml/nvml_abi.h"

#include <cstdio>
#include <cstring>
#include <dlfcn.h>
#include <utility>

#if __has_include(<nvml.h>)
#include <nvml.h>
// Where the toolkit's header is found, hold the hand-written declarations to it.
namespace kf::gpu::nvml_abi {
static_assert(sizeof(nvmlReturn_t) == sizeof(Return));
static_assert(NVML_SUCCESS == kSuccess);
static_assert(sizeof(nvmlDevice_t) == sizeof(Device));
static_assert(NVML_CLOCK_SM == kClockSm && NVML_CLOCK_MEM == kClockMem);
static_assert(NVML_TEMPERATURE_GPU == kTemperatureGpu);
static_assert(NVML_DEVICE_UUID_V2_BUFFER_SIZE == kUuidBufferSize);
// The ...ThrottleReason... spellings: old headers have only those, CUDA 13's keeps them as aliases.
static_assert(nvmlClocksThrottleReasonGpuIdle == kReasonGpuIdle);
static_assert(nvmlClocksThrottleReasonApplicationsClocksSetting == kReasonApplicationsClocksSetting);
static_assert(nvmlClocksThrottleReasonSwPowerCap == kReasonSwPowerCap);
static_assert(nvmlClocksThrottleReasonHwSlowdown == kReasonHwSlowdown);
static_assert(nvmlClocksThrottleReasonSyncBoost == kReasonSyncBoost);
static_assert(nvmlClocksThrottleReasonSwThermalSlowdown == kReasonSwThermalSlowdown);
static_assert(nvmlClocksThrottleReasonHwThermalSlowdown == kReasonHwThermalSlowdown);
static_assert(nvmlClocksThrottleReasonHwPowerBrakeSlowdown == kReasonHwPowerBrakeSlowdown);
static_assert(nvmlClocksThrottleReasonDisplayClockSetting == kReasonDisplayClockSetting);
} // namespace kf::gpu::nvml_abi
#endif

namespace kf::gpu {

namespace abi = nvml_abi;

struct NvmlFunctions {
    abi::InitFn init = nullptr;
    abi::ShutdownFn shutdown = nullptr;
    abi::ErrorStringFn errorString = nullptr;
    abi::GetHandleByPciBusIdFn handleByPciBusId = nullptr;
    abi::GetClockInfoFn clockInfo = nullptr;
    abi::GetClockInfoFn maxClockInfo = nullptr;
    abi::GetPowerUsageFn powerUsage = nullptr;
    abi::GetTemperatureFn temperature = nullptr;
    abi::GetClocksReasonsFn clocksReasons = nullptr;
    abi::GetUuidFn uuid = nullptr;

    std::string describe(abi::Return r) const {
        std::string s = "NVML error " + std::to_string(r);
        if (errorString != nullptr) {
            const char* text = errorString(r);
            if (text != nullptr) {
                s += " (" + std::string(text) + ")";
            }
        }
        return s;
    }
};

namespace {

// dlsym hands back an object pointer; copying its bits is the portable way to make it a function pointer.
template <class Fn>
void resolve(void* library, const char* name, Fn& fn) {
    void* sym = dlsym(library, name);
    static_assert(sizeof(Fn) == sizeof(void*));
    std::memcpy(&fn, &sym, sizeof fn);
}

void say(std::string* why_not, std::string text) {
    if (why_not != nullptr) {
        *why_not = std::move(text);
    }
}

struct ReasonName {
    unsigned long long bit;
    const char* name;
};

// Idle and application-clock bits are not throttling and stay out (see ClockSample::reasons).
constexpr ReasonName kReasonNames[] = {
    {abi::kReasonSwPowerCap, "SwPowerCap"},
    {abi::kReasonHwSlowdown, "HwSlowdown"},
    {abi::kReasonSyncBoost, "SyncBoost"},
    {abi::kReasonSwThermalSlowdown, "SwThermalSlowdown"},
    {abi::kReasonHwThermalSlowdown, "HwThermalSlowdown"},
    {abi::kReasonHwPowerBrakeSlowdown, "HwPowerBrakeSlowdown"},
    {abi::kReasonDisplayClockSetting, "DisplayClockSetting"},
    {abi::kReasonBoardLimit, "BoardLimit"},
    {abi::kReasonReliability, "Reliability"},
};

std::vector<std::string> reasonNames(unsigned long long bits) {
    bits &= ~(abi::kReasonGpuIdle | abi::kReasonApplicationsClocksSetting);
    std::vector<std::string> names;
    for (const ReasonName& r : kReasonNames) {
        if ((bits & r.bit) != 0) {
            names.emplace_back(r.name);
            bits &= ~r.bit;
        }
    }
    for (int i = 0; i < 64; ++i) {
        const unsigned long long bit = 1ULL << i;
        if ((bits & bit) != 0) {
            char text[32];
            std::snprintf(text, sizeof text, "Unknown0x%llx", bit);
            names.emplace_back(text);
        }
    }
    return names;
}

} // namespace

std::unique_ptr<Nvml> Nvml::open(const std::string& pci_bus_id, std::string* why_not) {
    void* library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char* err = dlerror();
        say(why_not,
            std::string("cannot load libnvidia-ml.so.1: ") + (err != nullptr ? err : "unknown error"));
        return nullptr;
    }
    auto fn = std::make_unique<NvmlFunctions>();
    resolve(library, "nvmlInit_v2", fn->init);
    resolve(library, "nvmlShutdown", fn->shutdown);
    resolve(library, "nvmlErrorString", fn->errorString);
    resolve(library, "nvmlDeviceGetHandleByPciBusId_v2", fn->handleByPciBusId);
    resolve(library, "nvmlDeviceGetClockInfo", fn->clockInfo);
    resolve(library, "nvmlDeviceGetMaxClockInfo", fn->maxClockInfo);
    resolve(library, "nvmlDeviceGetPowerUsage", fn->powerUsage);
    resolve(library, "nvmlDeviceGetTemperature", fn->temperature);
    resolve(library, "nvmlDeviceGetCurrentClocksEventReasons", fn->clocksReasons);
    if (fn->clocksReasons == nullptr) { // drivers before r535 have only the old name
        resolve(library, "nvmlDeviceGetCurrentClocksThrottleReasons", fn->clocksReasons);
    }
    resolve(library, "nvmlDeviceGetUUID", fn->uuid);

    const char* missing = fn->init == nullptr               ? "nvmlInit_v2"
                          : fn->shutdown == nullptr         ? "nvmlShutdown"
                          : fn->handleByPciBusId == nullptr ? "nvmlDeviceGetHandleByPciBusId_v2"
                                                            : nullptr;
    if (missing != nullptr) {
        say(why_not, std::string("libnvidia-ml.so.1 has no ") + missing);
        dlclose(library);
        return nullptr;
    }
    if (const abi::Return r = fn->init(); r != abi::kSuccess) {
        say(why_not, "nvmlInit_v2 failed: " + fn->describe(r));
        dlclose(library);
        return nullptr;
    }
    abi::Device device = nullptr;
    if (const abi::Return r = fn->handleByPciBusId(pci_bus_id.c_str(), &device); r != abi::kSuccess) {
        say(why_not, "nvmlDeviceGetHandleByPciBusId_v2(\"" + pci_bus_id + "\") failed: " + fn->describe(r));
        fn->shutdown();
        dlclose(library);
        return nullptr;
    }
    return std::unique_ptr<Nvml>(new Nvml(library, std::move(fn), device, pci_bus_id));
}

Nvml::Nvml(void* library, std::unique_ptr<NvmlFunctions> fn, void* device, std::string pci_bus_id)
    : m_library(library)
    , m_fn(std::move(fn))
    , m_device(device)
    , m_pci_bus_id(std::move(pci_bus_id)) {
    if (m_fn->uuid != nullptr) {
        char text[abi::kUuidBufferSize] = {};
        if (m_fn->uuid(static_cast<abi::Device>(m_device), text, sizeof text) == abi::kSuccess) {
            m_uuid.assign(text, strnlen(text, sizeof text));
        }
    }
}

Nvml::~Nvml() {
    m_fn->shutdown();
    dlclose(m_library);
}

ClockSample Nvml::sample() const {
    const auto device = static_cast<abi::Device>(m_device);
    ClockSample s;
    auto clock = [&](abi::GetClockInfoFn f, int type) {
        unsigned mhz = 0;
        return (f != nullptr && f(device, type, &mhz) == abi::kSuccess) ? static_cast<int>(mhz) : -1;
    };
    s.sm_mhz = clock(m_fn->clockInfo, abi::kClockSm);
    s.mem_mhz = clock(m_fn->clockInfo, abi::kClockMem);
    s.max_sm_mhz = clock(m_fn->maxClockInfo, abi::kClockSm);
    unsigned milliwatts = 0;
    if (m_fn->powerUsage != nullptr && m_fn->powerUsage(device, &milliwatts) == abi::kSuccess) {
        s.power_w = milliwatts / 1000.0;
    }
    unsigned celsius = 0;
    if (m_fn->temperature != nullptr &&
        m_fn->temperature(device, abi::kTemperatureGpu, &celsius) == abi::kSuccess) {
        s.temp_c = static_cast<int>(celsius);
    }
    unsigned long long bits = 0;
    if (m_fn->clocksReasons != nullptr && m_fn->clocksReasons(device, &bits) == abi::kSuccess) {
        s.reasons = reasonNames(bits);
        s.reasons_known = true;
    }
    return s;
}

} // namespace kf::gpu
