// SPDX-License-Identifier: MIT
#include "gpu/calibrate/calibrate.h"
#include "run_job.h"

#include <chrono>
#include <exception>

namespace kf::runner_app {

int runCalibrateJob(const runner::Job& job, const RunnerContext& ctx, EventWriter& out, Watchdog& watchdog) {
    (void)job;
    const auto t0 = std::chrono::steady_clock::now();
    const auto seconds = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    };
    if (!ctx.device) {
        const std::string msg = "cannot calibrate: " + ctx.device_error;
        out.error("calibrate", msg);
        out.emit("done", {{"verdict", "error"},
                          {"reasons", {msg}},
                          {"speedup", nullptr},
                          {"flags", nlohmann::json::array()},
                          {"seconds", seconds()}});
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
        out.error("calibrate", e.what());
        out.emit("done", {{"verdict", "error"},
                          {"reasons", {e.what()}},
                          {"speedup", nullptr},
                          {"flags", nlohmann::json::array()},
                          {"seconds", seconds()}});
        return 1;
    }
    out.emit("done", {{"verdict", "pass"},
                      {"reasons", nlohmann::json::array()},
                      {"speedup", nullptr},
                      {"flags", nlohmann::json::array()},
                      {"seconds", seconds()}});
    return 0;
}

} // namespace kf::runner_app
