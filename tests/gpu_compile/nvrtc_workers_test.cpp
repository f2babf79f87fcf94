// SPDX-License-Identifier: MIT
// NvrtcWorkers with a stand-in worker (a shell script): started before their requests, each worker gets its
// request on stdin when compile() is called; workers never given one, and cancelled ones, are stopped and
// reaped.
#include "gpu/compile/nvrtc_workers.h"

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// Prints its arguments on one line, then echoes its stdin. One script per test and process: CTest runs the
// tests in parallel, and a script rewritten under a running test would run another test's body.
fs::path echoWorker(const std::string& body = "printf '[%s]' \"$@\"; printf '\\n'; cat") {
    const fs::path dir =
        fs::path(::testing::TempDir()) / ("kf_nvrtc_workers_" + std::to_string(::getpid()) + "_" +
                                          ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
    const fs::path script = dir / "worker.sh";
    std::ofstream(script) << "#!/bin/sh\n" << body << "\n";
    fs::permissions(script, fs::perms::owner_all);
    return script;
}

NvrtcWorkers::Setup setupFor(const fs::path& worker) {
    NvrtcWorkers::Setup s;
    s.worker = worker.string();
    s.warm_up = {"-std=c++17", "-default-device"};
    s.env = std::vector<std::string>{"PATH=/usr/bin:/bin"};
    s.cwd = worker.parent_path().string();
    s.timeout = 30s;
    return s;
}

void expectNoChildren() {
    errno = 0;
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
}

TEST(NvrtcWorkers, EachWorkerGetsItsRequestAfterItsWarmUpArguments) {
    const auto worker = echoWorker();
    {
        NvrtcWorkers workers(setupFor(worker), 2);
        ASSERT_EQ(workers.size(), 2u);
        std::this_thread::sleep_for(50ms); // the workers are running, and wait for their input
        const auto second = workers.compile(1, "request two", nullptr);
        const auto first = workers.compile(0, "request one", nullptr);
        EXPECT_TRUE(first.ok()) << first.describe();
        EXPECT_EQ(first.out, "[--warm-up][-std=c++17][-default-device]\nrequest one");
        EXPECT_EQ(second.out, "[--warm-up][-std=c++17][-default-device]\nrequest two");
    }
    expectNoChildren();
}

TEST(NvrtcWorkers, WithoutWarmUpTheWorkerGetsNoArguments) {
    auto setup = setupFor(echoWorker());
    setup.warm_up_first = false;
    NvrtcWorkers workers(setup, 1);
    EXPECT_EQ(workers.compile(0, "r", nullptr).out,
              "[]\nr"); // printf prints its format once for no arguments
}

TEST(NvrtcWorkers, WorkersNeverGivenARequestAreStoppedAndReaped) {
    const auto worker = echoWorker("sleep 100");
    const auto t0 = std::chrono::steady_clock::now();
    {
        NvrtcWorkers workers(setupFor(worker), 3);
        std::this_thread::sleep_for(50ms);
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
    expectNoChildren();
}

TEST(NvrtcWorkers, CancelStopsAWorkerThatIsCompiling) {
    NvrtcWorkers workers(setupFor(echoWorker("cat >/dev/null; sleep 100")), 2);
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(200ms);
        cancel = true;
    });
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = workers.compile(0, "request", &cancel);
    canceller.join();
    EXPECT_FALSE(r.ok());
    EXPECT_TRUE(r.cancelled) << r.describe();
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST(NvrtcWorkers, AWorkerThatCannotStartIsAResultNotAThrow) {
    auto setup = setupFor(echoWorker());
    setup.worker = "/nonexistent/kf-nvrtc";
    NvrtcWorkers workers(setup, 1);
    const auto r = workers.compile(0, "request", nullptr);
    EXPECT_FALSE(r.ok());
    EXPECT_FALSE(r.spawn_error.empty());
}

} // namespace
} // namespace kf::gpu::compile
