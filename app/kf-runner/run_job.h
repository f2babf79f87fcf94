// SPDX-License-Identifier: MIT
#pragma once

#include "compile_step.h"
#include "event_writer.h"
#include "gpu/harness/device_info.h"
#include "runner/job.h"
#include "watchdog.h"

#include <future>
#include <optional>
#include <vector>

namespace kf::runner_app {

// What kf-runner knows about the machine when a job starts.
struct RunnerContext {
    std::optional<gpu::DeviceInfo> device; // nullopt: no usable GPU (compile jobs still work)
    std::string device_error;
    // Run and compile jobs: the roles' builds, started before the device was queried (compile_step.h).
    std::shared_future<std::vector<RoleBuild>> builds;
};

// Each returns the process exit status: 0 for a pass, 1 for fail or error. They write every event, `done`
// last.
int runCompileJob(const runner::Job& job, const RunnerContext& ctx, EventWriter& out, Watchdog& watchdog);
int runRunJob(const runner::Job& job, const RunnerContext& ctx, EventWriter& out, Watchdog& watchdog);
int runCalibrateJob(const runner::Job& job, const RunnerContext& ctx, EventWriter& out, Watchdog& watchdog);

} // namespace kf::runner_app
