// SPDX-License-Identifier: MIT
// kf-runner: one job (JSON) on stdin, one JSON event per line on stdout (docs/runner-protocol.md).
#include "event_writer.h"
#include "gpu/compile/fast_host_pch.h"
#include "gpu/compile/nvcc_toolkit.h"
#include "run_job.h"
#include "version.h"
#include "watchdog.h"

#include <cstdio>
#include <exception>
#include <future>
#include <iostream>
#include <iterator>
#include <string>

namespace {

void printHelp() {
    std::fputs(
        "usage: kf-runner < job.json\n"
        "Runs one KernelForge job (kind run, compile or calibrate) and writes JSON-line events to stdout.\n"
        "Make jobs with `kforge job SPEC KERNEL.cu`; docs/runner-protocol.md describes both.\n"
        "  --version   print the runner and harness versions\n"
        "  --prepare-host-pch DIR   write the fast build's precompiled host header into DIR (the build "
        "does)\n",
        stdout);
}

} // namespace

int main(int argc, char** argv) {
    using namespace kf;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--help" || a == "-h") {
            printHelp();
            return 0;
        }
        if (a == "--prepare-host-pch" && i + 1 < argc) {
            // Run by the build: the fast build's precompiled host header, beside kf-runner and kf-nvrtc.
            const auto nvcc = gpu::compile::findNvcc("");
            const std::string error =
                nvcc.path.empty() ? nvcc.error : gpu::compile::prepareHostPch(argv[i + 1], nvcc.path);
            if (!error.empty()) {
                std::fprintf(stderr, "kf-runner: no precompiled host header (fast builds parse it): %s\n",
                             error.c_str());
            }
            return 0;
        }
        if (a == "--version") {
            std::printf("kf-runner %s (harness %s)\n", runner_app::kRunnerVersion,
                        runner_app::kHarnessVersion);
            return 0;
        }
        std::fprintf(stderr, "kf-runner: unknown argument '%s' (the job comes on stdin; see --help)\n",
                     a.c_str());
        return 2;
    }
    runner_app::EventWriter out;
    runner_app::Watchdog watchdog(out);
    const std::string text{std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>()};
    runner::Job job;
    nlohmann::json hello = {{"runner_version", runner_app::kRunnerVersion},
                            {"harness_version", runner_app::kHarnessVersion}};
    try {
        job = runner::jobFromJson(nlohmann::json::parse(text));
    } catch (const std::exception& e) {
        hello["job_kind"] = nullptr;
        hello["device"] = nullptr;
        out.emit("hello", hello);
        const std::string msg = text.empty() ? "no job on stdin" : std::string("bad job: ") + e.what();
        out.fail("job", msg);
        return 0;
    }
    runner_app::RunnerContext ctx;
    // The compile starts now: its host code needs no device, and the device query (driver start-up, a tenth
    // of a second or more) runs meanwhile.
    std::promise<std::string> device_arch;
    if (job.kind == runner::JobKind::Run || job.kind == runner::JobKind::Compile) {
        ctx.builds = runner_app::startCompile(job, device_arch.get_future().share()).share();
    }
    gpu::DeviceInfo info;
    if (gpu::queryDevice(info, ctx.device_error)) {
        ctx.device = info;
    }
    device_arch.set_value(ctx.device ? ctx.device->arch() : "");
    hello["job_kind"] = std::string(runner::jobKindName(job.kind));
    hello["device"] = ctx.device ? ctx.device->toJson() : nlohmann::json();
    if (!ctx.device) {
        hello["device_error"] = ctx.device_error;
    }
    out.emit("hello", hello);
    // The verdict travels in the `done` event; the exit status says whether kf-runner itself got that far
    // (0), so a client can tell a finished job from a runner that died.
    try {
        switch (job.kind) {
        case runner::JobKind::Compile:
            runner_app::runCompileJob(job, ctx, out, watchdog);
            break;
        case runner::JobKind::Calibrate:
            runner_app::runCalibrateJob(job, ctx, out, watchdog);
            break;
        case runner::JobKind::Run:
            runner_app::runRunJob(job, ctx, out, watchdog);
            break;
        }
        return out.doneWritten() ? 0 : 1;
    } catch (const std::exception& e) {
        const std::string msg = std::string("internal error: ") + e.what();
        out.fail("job", msg);
    }
    return 1;
}
