// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/harness/checker.h"
#include "gpu/harness/device_buffer.h"
#include "gpu/harness/device_info.h"
#include "gpu/harness/launcher_library.h"
#include "runner/job.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kf::runner_app {

struct TimingContext {
    const spec::Spec& spec;
    const runner::JobOptions& options;
    const gpu::DeviceInfo& device;
    const gpu::DeviceBuffer& flush;
    cudaStream_t stream;
    double event_overhead_us;
};

// The job's stop rule: its budget, or a fixed sample count.
runner::StopRule stopRule(const runner::JobOptions& options);

struct TimedSize {
    nlohmann::json candidate; // `timed` event fields
    nlohmann::json baseline;  // null when the baseline is not timed
    double speedup = 0;       // baseline median / candidate median; 0 when unknown
    std::vector<std::string> flags;
};

// Times the candidate and the baseline interleaved at the checker's current size, on the inputs it holds. The
// job's first timed size warms up for the rule's warmup_s, later ones for its later_warmup_s.
TimedSize timeSize(const TimingContext& ctx, std::size_t size_index, bool first_timed_size,
                   const gpu::Checker& checker, const gpu::LauncherLibrary& candidate,
                   const gpu::LauncherLibrary& baseline);

} // namespace kf::runner_app
