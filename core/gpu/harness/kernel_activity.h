// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace kf::gpu {

// One kernel execution as the GPU timed it (CUPTI activity records: the same clock nsys and ncu report).
struct KernelRecord {
    std::uint64_t start_ns = 0;
    std::uint64_t end_ns = 0;
    std::string name; // mangled
};

// Kernel start and end times from CUPTI's activity API, which excludes what an event pair also measures: the
// launch of the first kernel and the event writes (2 to 6 us per call on an H200,
// tests/bench/gpu/fidelity.py). libcupti is loaded with dlopen, so kf-runner runs where it is missing (and
// under ncu, which owns CUPTI): open() then returns null and the timer keeps to events.
class KernelActivity {
public:
    static std::unique_ptr<KernelActivity> open(std::string* why_not);
    ~KernelActivity();
    KernelActivity(const KernelActivity&) = delete;
    KernelActivity& operator=(const KernelActivity&) = delete;

    // Kernels launched from now on are recorded.
    bool enable();
    void disable();
    // Every kernel that completed since the last call (the device must be synchronized first), by start time.
    std::vector<KernelRecord> collect();

    struct Api;

private:
    explicit KernelActivity(std::unique_ptr<Api> api);
    std::unique_ptr<Api> api_;
};

} // namespace kf::gpu
