// SPDX-License-Identifier: MIT
#include "gpu/calibrate/calibrate.h"
#include "run_job.h"

#include <exception>

namespace kf::runner_app {

int runCalibrateJob(const runner::Job& job, const RunnerContext& ctx, EventWriter& out, Watchdog& watchdog) {
    (void)job;
    if (!ctx.device) {
        const std::string msg = "cannot calibrate: " + ctx.device_error;
        out.fail("calibrate", msg);
        return 1;
    }
    watchdog.stage("calibrate", 300);
    try {
        gpu::CalibrateOptions options;
        options.progress = [](const std::string& line) {
            std::fprintf(stderr, "kf-runner: %s\n", line.c_str());
        };
        nlohmann::json ceilings = gpu::calibrate(options);
        watchdog.disarm();
        ceilings["device"] = ctx.device->toJson();
        out.emit("ceilings", ceilings);
    } catch (const std::exception& e) {
        watchdog.disarm();
        out.fail("calibrate", e.what());
        return 1;
    }
    out.done("pass", {});
    return 0;
}

} // namespace kf::runner_app
