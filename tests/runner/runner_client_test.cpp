// SPDX-License-Identifier: MIT
#include "process_probe.h"
#include "runner/runner_client.h"
#include "runner/sandbox.h"

#include <cstdlib>
#include <gtest/gtest.h>
#include <thread>
#include <unistd.h>

using kf::runner::RunnerClient;
using kf::runner::RunnerClientOptions;
using nlohmann::json;
using namespace std::chrono_literals;

namespace {

const json kJob = {{"format", "kernelforge.job/1"}, {"kind", "compile"}};

// Runs the fake runner in `mode`; events holds everything the sink saw.
struct FakeRun {
    std::vector<json> events;
    json done;
    std::string stderrText;
    double seconds = 0;

    std::vector<std::string> kinds() const {
        std::vector<std::string> k;
        for (const json& e : events) {
            k.push_back(e.at("event"));
        }
        return k;
    }
    // The messages of the error events, in order.
    std::vector<std::string> errors(const std::string& stage) const {
        std::vector<std::string> m;
        for (const json& e : events) {
            if (e.at("event") == "error" && e.at("stage") == stage) {
                m.push_back(e.at("message"));
            }
        }
        return m;
    }
};

RunnerClientOptions fakeOptions() {
    RunnerClientOptions options;
    options.runner = KF_FAKE_RUNNER;
    options.sandbox = RunnerClientOptions::Sandbox::Off;
    options.deadline_slack_s = 0.5;
    options.default_stage_deadline_s = 20;
    return options;
}

FakeRun runFake(const std::string& mode, RunnerClientOptions options = fakeOptions(), json job = kJob,
                const std::atomic<bool>* cancel = nullptr) {
    if (mode == "ignore-stdin") {
        options.runner = std::string(KF_FAKE_RUNNER) + "-ignore-stdin";
    }
    job["fake_mode"] = mode;
    RunnerClient client(options);
    FakeRun run;
    const auto start = std::chrono::steady_clock::now();
    run.done = client.run(
        job, [&](const json& e) { run.events.push_back(e); }, cancel);
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.stderrText = client.lastStderr();
    return run;
}

void expectEndsWithErrorDone(const FakeRun& run) {
    ASSERT_FALSE(run.events.empty());
    EXPECT_EQ(run.events.back(), run.done);
    EXPECT_EQ(run.done.at("event"), "done");
    EXPECT_EQ(run.done.at("verdict"), "error");
    EXPECT_FALSE(run.done.at("reasons").empty());
}

} // namespace

TEST(RunnerClient, PassesEventsThroughInOrder) {
    FakeRun run = runFake("normal");
    EXPECT_EQ(run.kinds(),
              (std::vector<std::string>{"hello", "stage", "compiled", "stage", "checked", "done"}));
    EXPECT_EQ(run.events[0].at("job_kind"), "compile"); // the job arrived on stdin
    EXPECT_EQ(run.done.at("verdict"), "pass");
    EXPECT_EQ(run.done.at("speedup"), 1.5);
    EXPECT_EQ(run.events.back(), run.done);
}

TEST(RunnerClient, RunnerErrorsPassThroughWithTheirDone) {
    FakeRun run = runFake("runner-error");
    EXPECT_EQ(run.kinds(), (std::vector<std::string>{"hello", "stage", "error", "done"}));
    EXPECT_EQ(run.errors("load"), std::vector<std::string>{"cannot load the candidate"});
    EXPECT_EQ(run.done.at("verdict"), "error");
}

TEST(RunnerClient, CrashBySignalMidStage) {
    FakeRun run = runFake("segv");
    expectEndsWithErrorDone(run);
    const auto crashes = run.errors("crash");
    ASSERT_EQ(crashes.size(), 1u);
    EXPECT_EQ(crashes[0], "kf-runner was killed by SIGSEGV during stage 'check' (size 1): "
                          "fake: loading the candidate | fake: about to crash");
    EXPECT_EQ(run.done.at("reasons"), json::array({crashes[0]}));
    EXPECT_NE(run.stderrText.find("about to crash"), std::string::npos);
}

TEST(RunnerClient, HangPastAStageDeadlineIsKilledWithItsHelpers) {
    const std::string token = "kf-fake-helper-" + std::to_string(::getpid());
    json job = kJob;
    job["token"] = token;
    FakeRun run = runFake("hang", fakeOptions(), job);
    expectEndsWithErrorDone(run);
    EXPECT_EQ(
        run.errors("timeout"),
        std::vector<std::string>{"kf-runner did not finish stage 'check' (size 2) within 1.5 s; killed"});
    EXPECT_GE(run.seconds, 1.4);
    EXPECT_LT(run.seconds, 4.0);
    ASSERT_EQ(run.events[1].at("event"), "helper");
    EXPECT_TRUE(kf::test::processEnded(run.events[1].at("pid").get<pid_t>()))
        << "the runner's helper survived";
    EXPECT_TRUE(kf::test::noProcessWithToken(token));
}

TEST(RunnerClient, EachStageHasItsOwnDeadline) {
    FakeRun run = runFake("slow-stages"); // 4 stages of 0.6 s, each allowed 1.5 s
    EXPECT_EQ(run.done.at("verdict"), "pass") << run.done.dump();
    EXPECT_TRUE(run.errors("timeout").empty());
}

TEST(RunnerClient, WithoutAStageEventTheDefaultDeadlineApplies) {
    RunnerClientOptions options = fakeOptions();
    options.default_stage_deadline_s = 0.5;
    options.deadline_slack_s = 0.25;
    FakeRun run = runFake("no-stage", options);
    expectEndsWithErrorDone(run);
    EXPECT_EQ(run.errors("timeout"),
              std::vector<std::string>{"kf-runner did not start a stage within 0.75 s; killed"});
    EXPECT_LT(run.seconds, 3.0);

    // A stage's own deadline (100 s) replaces the default: still running when cancelled after 1.2 s.
    std::atomic<bool> cancel{false};
    std::thread canceller([&] {
        std::this_thread::sleep_for(1200ms);
        cancel = true;
    });
    run = runFake("wait", options, kJob, &cancel);
    canceller.join();
    EXPECT_TRUE(run.errors("timeout").empty()) << run.done.dump();
    EXPECT_EQ(run.errors("cancelled").size(), 1u);
}

TEST(RunnerClient, SilentExitIsAnError) {
    FakeRun run = runFake("silent");
    expectEndsWithErrorDone(run);
    EXPECT_EQ(run.kinds(), (std::vector<std::string>{"error", "done"}));
    EXPECT_EQ(run.errors("crash"),
              std::vector<std::string>{
                  "kf-runner exited with status 0 without writing any event: nothing on stderr"});
}

TEST(RunnerClient, GarbageLineKillsTheRunner) {
    FakeRun run = runFake("garbage");
    expectEndsWithErrorDone(run);
    EXPECT_EQ(run.kinds(), (std::vector<std::string>{"hello", "error", "done"}));
    EXPECT_EQ(
        run.errors("crash"),
        std::vector<std::string>{"kf-runner wrote a line that is not a JSON event before its first stage: "
                                 "Segmentation fault? no: a stray printf from host code; killed"});
    EXPECT_LT(run.seconds, 3.0); // killed, not waited for
}

TEST(RunnerClient, PartialLineThenExit) {
    FakeRun run = runFake("partial");
    expectEndsWithErrorDone(run);
    const auto crashes = run.errors("crash");
    ASSERT_EQ(crashes.size(), 2u);
    EXPECT_EQ(
        crashes[0],
        "kf-runner's output ended inside a line before its first stage: {\"event\":\"checked\",\"ok\":tr");
    EXPECT_EQ(crashes[1], "kf-runner exited with status 0 before its first stage without a done event: "
                          "nothing on stderr");
}

TEST(RunnerClient, ExitWithStatusAfterSomeEvents) {
    FakeRun run = runFake("exit3");
    expectEndsWithErrorDone(run);
    EXPECT_EQ(run.kinds(), (std::vector<std::string>{"hello", "stage", "compiled", "error", "done"}));
    EXPECT_EQ(run.errors("crash"),
              std::vector<std::string>{"kf-runner exited with status 3 during stage 'compile' "
                                       "without a done event: fake: giving up"});
}

TEST(RunnerClient, DoneFollowedByAFailingExitIsAnError) {
    FakeRun run = runFake("done-then-fail");
    expectEndsWithErrorDone(run);
    EXPECT_EQ(run.kinds(),
              (std::vector<std::string>{"hello", "error", "done"})); // the runner's pass is not shown
    EXPECT_EQ(
        run.errors("crash"),
        std::vector<std::string>{"kf-runner exited with status 2 after its done event: nothing on stderr"});
}

TEST(RunnerClient, EventsAfterDoneAreAnError) {
    FakeRun run = runFake("after-done");
    expectEndsWithErrorDone(run);
    ASSERT_EQ(run.errors("crash").size(), 1u);
    EXPECT_EQ(run.errors("crash")[0].rfind("kf-runner wrote an event after its done event: {", 0), 0u);
}

TEST(RunnerClient, HugeEventLineArrivesWhole) {
    FakeRun run = runFake("huge");
    EXPECT_EQ(run.kinds(), (std::vector<std::string>{"hello", "compiled", "done"}));
    EXPECT_EQ(run.events[1].at("log").get<std::string>().size(), 1u << 20);
    EXPECT_EQ(run.done.at("verdict"), "pass");
}

TEST(RunnerClient, LotsOfStderrIsDrainedAndBounded) {
    FakeRun run = runFake("stderr-flood"); // 10 MB on stderr while events go to stdout
    EXPECT_EQ(run.done.at("verdict"), "pass");
    EXPECT_EQ(run.errors("crash").size(), 0u);
    EXPECT_EQ(run.kinds().size(), 12u); // hello, 10 checked, done
    EXPECT_LE(run.stderrText.size(), 64u << 10);
    EXPECT_GE(run.stderrText.size(), 60u << 10);
    EXPECT_EQ(run.stderrText.substr(run.stderrText.size() - 17), "fake: last words\n");
}

TEST(RunnerClient, CancelMidRunReturnsQuickly) {
    std::atomic<bool> cancel{false};
    std::chrono::steady_clock::time_point cancelledAt;
    std::thread canceller([&] {
        std::this_thread::sleep_for(300ms);
        cancelledAt = std::chrono::steady_clock::now();
        cancel = true;
    });
    FakeRun run = runFake("wait", fakeOptions(), kJob, &cancel);
    const auto returnedAt = std::chrono::steady_clock::now();
    canceller.join();
    expectEndsWithErrorDone(run);
    EXPECT_EQ(run.errors("cancelled"), std::vector<std::string>{"cancelled during stage 'check' (size 0)"});
    EXPECT_LT(returnedAt - cancelledAt, 200ms);
}

TEST(RunnerClient, SpawnFailureIsAJobError) {
    RunnerClientOptions options = fakeOptions();
    options.runner = "/nonexistent/kf-runner";
    RunnerClient client(options);
    std::vector<json> events;
    json done = client.run(kJob, [&](const json& e) { events.push_back(e); });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(
        events[0],
        (json{{"event", "error"},
              {"stage", "job"},
              {"message", "cannot start kf-runner: /nonexistent/kf-runner: No such file or directory"}}));
    EXPECT_EQ(done.at("verdict"), "error");
    EXPECT_EQ(events[1], done);
}

TEST(RunnerClient, ChildThatIgnoresStdinDoesNotHang) {
    json big = kJob;
    big["candidate"] = {{"name", "big.cu"}, {"source", std::string(4u << 20, 'x')}}; // beyond any pipe buffer
    FakeRun run = runFake("ignore-stdin", fakeOptions(), big);
    EXPECT_EQ(run.done.at("verdict"), "pass");
    EXPECT_LT(run.seconds, 5.0);
}

TEST(RunnerClient, BigJobArrivesWhole) {
    json big = kJob;
    big["candidate"] = {{"name", "big.cu"}, {"source", std::string(4u << 20, 'x')}};
    big["fake_mode"] = "normal";
    FakeRun run = runFake("normal", fakeOptions(), big);
    EXPECT_EQ(run.events[0].at("job_bytes"), big.dump().size());
}

TEST(RunnerClient, NoSecretFromOurEnvironmentReachesTheRunner) {
    ::setenv("ANTHROPIC_API_KEY", "sk-ant-test-secret", 1);
    ::setenv("OPENAI_API_KEY", "sk-openai-test-secret", 1);
    ::setenv("GITHUB_TOKEN", "ghp-test-secret", 1);
    ::setenv("LC_ALL", "C", 1);
    FakeRun run = runFake("env");
    ASSERT_EQ(run.events.at(1).at("event"), "env");
    std::vector<std::string> vars = run.events[1].at("vars");
    std::string home;
    for (const std::string& v : vars) {
        EXPECT_EQ(v.find("secret"), std::string::npos) << v;
        EXPECT_NE(v.rfind("ANTHROPIC_API_KEY", 0), 0u);
        if (v.rfind("HOME=", 0) == 0) {
            home = v.substr(5);
        }
    }
    EXPECT_NE(std::find(vars.begin(), vars.end(), "LC_ALL=C"), vars.end());
    EXPECT_EQ(home, kf::runner::privateHome());
    EXPECT_NE(home, std::getenv("HOME"));
    ::unsetenv("ANTHROPIC_API_KEY");
    ::unsetenv("OPENAI_API_KEY");
    ::unsetenv("GITHUB_TOKEN");
}

TEST(RunnerClient, CommandLineOverSsh) {
    RunnerClientOptions options;
    options.ssh_host = "gpu-box";
    options.runner = "/opt/kf/bin/kf-runner";
    RunnerClient client(options);
    const std::vector<std::string> argv = client.commandLine();
    ASSERT_GE(argv.size(), 6u);
    EXPECT_EQ(argv[0], "ssh");
    EXPECT_EQ(argv[1], "-T");
    EXPECT_NE(std::find(argv.begin(), argv.end(), "BatchMode=yes"), argv.end());
    EXPECT_NE(std::find(argv.begin(), argv.end(), "ForwardAgent=no"), argv.end());
    EXPECT_EQ(argv[argv.size() - 2], "gpu-box");
    EXPECT_EQ(argv.back(), "/opt/kf/bin/kf-runner");
    EXPECT_FALSE(client.sandboxed());

    options.sandbox = RunnerClientOptions::Sandbox::Required; // cannot be honoured from here
    RunnerClient strict(options);
    std::vector<json> events;
    json done = strict.run(kJob, [&](const json& e) { events.push_back(e); });
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].at("stage"), "job");
    EXPECT_EQ(done.at("verdict"), "error");
}

TEST(RunnerClient, CommandLineLocalWithoutSandboxIsTheRunner) {
    RunnerClientOptions options = fakeOptions();
    RunnerClient client(options);
    EXPECT_EQ(client.commandLine(), std::vector<std::string>{KF_FAKE_RUNNER});
    EXPECT_FALSE(client.sandboxed());
}
