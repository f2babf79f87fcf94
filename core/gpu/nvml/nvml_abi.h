// SPDX-License-Identifier: MIT
#pragma once

// The few NVML declarations kf_gpu_nvml resolves with dlsym, written out here because nvml.h is not part of
// every CUDA toolkit install (pip wheels and some tarballs leave it out) and because CUDA 13's nvml.h no
// longer declares nvmlDeviceGetCurrentClocksThrottleReasons, which drivers older than r535 still need. These
// are ABI-stable values of the driver library; nvml_session.cpp checks them against nvml.h wherever that
// header is found.

namespace kf::gpu::nvml_abi {

using Return = int; // nvmlReturn_t
constexpr Return kSuccess = 0;
using Device = struct nvmlDevice_st*; // nvmlDevice_t

// nvmlClockType_t
constexpr int kClockSm = 1;
constexpr int kClockMem = 2;
// nvmlTemperatureSensors_t
constexpr int kTemperatureGpu = 0;
// NVML_DEVICE_UUID_V2_BUFFER_SIZE
constexpr unsigned kUuidBufferSize = 96;

// nvmlClocksEventReason* bits (the old nvmlClocksThrottleReason* names have the same values).
constexpr unsigned long long kReasonGpuIdle = 0x1ULL;
constexpr unsigned long long kReasonApplicationsClocksSetting = 0x2ULL;
constexpr unsigned long long kReasonSwPowerCap = 0x4ULL;
constexpr unsigned long long kReasonHwSlowdown = 0x8ULL;
constexpr unsigned long long kReasonSyncBoost = 0x10ULL;
constexpr unsigned long long kReasonSwThermalSlowdown = 0x20ULL;
constexpr unsigned long long kReasonHwThermalSlowdown = 0x40ULL;
constexpr unsigned long long kReasonHwPowerBrakeSlowdown = 0x80ULL;
constexpr unsigned long long kReasonDisplayClockSetting = 0x100ULL;
constexpr unsigned long long kReasonBoardLimit = 0x200ULL;
constexpr unsigned long long kReasonReliability = 0x400ULL;

// Function types, as declared in nvml.h.
using InitFn = Return (*)();
using ShutdownFn = Return (*)();
using ErrorStringFn = const char* (*)(Return);
using GetHandleByPciBusIdFn = Return (*)(const char*, Device*);
using GetClockInfoFn = Return (*)(Device, int, unsigned*);
using GetPowerUsageFn = Return (*)(Device, unsigned*);
using GetTemperatureFn = Return (*)(Device, int, unsigned*);
using GetClocksReasonsFn = Return (*)(Device, unsigned long long*);
using GetUuidFn = Return (*)(Device, char*, unsigned);

} // namespace kf::gpu::nvml_abi
