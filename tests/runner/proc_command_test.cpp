// SPDX-License-Identifier: MIT
#include "proc/command.h"
#include "process_probe.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <future>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using kf::proc::Command;
using kf::proc::CommandResult;
using kf::proc::runCommand;
using namespace std::chrono_literals;

namespace {

Command shell(const std::string& script) {
    Command cmd;
    cmd.argv = {"sh", "-c", script};
    return cmd;
}

// No child of this process is left unreaped (the tests start no others).
void expectNoChildren() {
    errno = 0;
    EXPECT_EQ(::waitpid(-1, nullptr, WNOHANG), -1);
    EXPECT_EQ(errno, ECHILD);
}

} // namespace

TEST(ProcRunCommand, ReportsExitCodesAndOutput) {
    CommandResult r = runCommand(shell("echo out; echo err >&2; exit 3"));
    EXPECT_TRUE(r.spawn_error.empty());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_EQ(r.signal, 0);
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "err\n");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.describe(), "exited with status 3");

    CommandResult good = runCommand(shell("exit 0"));
    EXPECT_TRUE(good.ok());
    EXPECT_EQ(good.describe(), "exited with status 0");
    expectNoChildren();
}

TEST(ProcRunCommand, ReportsDeathBySignal) {
    CommandResult r = runCommand(shell("kill -SEGV $$"));
    EXPECT_EQ(r.signal, SIGSEGV);
    EXPECT_EQ(r.exit_code, -1);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.describe(), "killed by signal 11 (SIGSEGV)");
    expectNoChildren();
}

TEST(ProcRunCommand, TimeoutKillsTheWholeGroupGrandchildrenToo) {
    Command cmd = shell("sleep 100 & echo $!; wait");
    cmd.timeout = 300ms;
    const auto start = std::chrono::steady_clock::now();
    CommandResult r = runCommand(cmd);
    const auto took = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(r.timed_out);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.signal, SIGKILL);
    EXPECT_LT(took, 2s);
    EXPECT_GE(r.seconds, 0.3);
    EXPECT_EQ(r.describe().rfind("timed out after ", 0), 0u) << r.describe();
    const pid_t grandchild = std::atoi(r.out.c_str());
    ASSERT_GT(grandchild, 0) << r.out;
    EXPECT_TRUE(kf::test::processEnded(grandchild)) << "sleep " << grandchild << " survived the timeout";
    expectNoChildren();
}

TEST(ProcRunCommand, BackgroundHelpersDoNotOutliveTheChild) {
    // The child exits at once but leaves a helper holding its stdout: the run ends anyway, helper killed.
    const auto start = std::chrono::steady_clock::now();
    CommandResult r = runCommand(shell("sleep 100 & echo $!"));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
    EXPECT_TRUE(r.ok()) << r.describe();
    const pid_t helper = std::atoi(r.out.c_str());
    ASSERT_GT(helper, 0);
    EXPECT_TRUE(kf::test::processEnded(helper));
}

TEST(ProcRunCommand, CancelFlagStopsTheChildQuickly) {
    std::atomic<bool> cancel{false};
    Command cmd = shell("sleep 100");
    cmd.cancel = &cancel;
    std::thread canceller([&] {
        std::this_thread::sleep_for(200ms);
        cancel = true;
    });
    const auto start = std::chrono::steady_clock::now();
    CommandResult r = runCommand(cmd);
    const auto took = std::chrono::steady_clock::now() - start;
    canceller.join();
    EXPECT_TRUE(r.cancelled);
    EXPECT_FALSE(r.timed_out);
    EXPECT_FALSE(r.ok());
    EXPECT_LT(took, 1s);
    EXPECT_EQ(r.describe().rfind("cancelled after ", 0), 0u) << r.describe();
    expectNoChildren();
}

TEST(ProcRunCommand, LargeOutputOnBothStreamsAtOnceDoesNotDeadlock) {
    // Both writers run concurrently: a reader that drained one stream before the other would block forever.
    Command cmd = shell("head -c 8000000 /dev/zero >&2 & head -c 9000000 /dev/zero; wait");
    cmd.timeout = 60s;
    CommandResult r = runCommand(cmd);
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.out.size(), 9000000u);
    EXPECT_EQ(r.err.size(), 8000000u);
    EXPECT_FALSE(r.truncated);
}

TEST(ProcRunCommand, OutputBeyondTheLimitIsDroppedAndFlagged) {
    Command cmd = shell("head -c 1000000 /dev/zero; echo tail >&2");
    cmd.max_output = 1000;
    CommandResult r = runCommand(cmd);
    EXPECT_TRUE(r.ok()) << r.describe(); // the child was drained, not blocked
    EXPECT_EQ(r.out.size(), 1000u);
    EXPECT_EQ(r.err, "tail\n");
    EXPECT_TRUE(r.truncated);
    EXPECT_EQ(r.describe(), "exited with status 0, output truncated");
}

TEST(ProcRunCommand, StdinLargerThanThePipeBufferArrivesWhole) {
    std::string input;
    for (int i = 0; input.size() < (4u << 20); ++i) {
        input += "line " + std::to_string(i) + "\n";
    }
    Command cmd;
    cmd.argv = {"cat"};
    cmd.stdin_data = input;
    cmd.timeout = 60s;
    CommandResult r = runCommand(cmd);
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.out.size(), input.size());
    EXPECT_TRUE(r.out == input);
}

TEST(ProcRunCommand, StdinIsFedToAChildThatClosedItsOutputs) {
    Command cmd = shell("exec >/dev/null 2>&1; test \"$(wc -c)\" -eq 1048576");
    cmd.stdin_data = std::string(1u << 20, 's');
    cmd.timeout = 10s;
    CommandResult r = runCommand(cmd);
    EXPECT_TRUE(r.ok()) << r.describe();
}

TEST(ProcRunCommand, ChildThatIgnoresStdinDoesNotHang) {
    Command cmd = shell("exec 0<&-; echo closed");
    cmd.stdin_data = std::string(2u << 20, 'x');
    cmd.timeout = 10s;
    CommandResult r = runCommand(cmd);
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.out, "closed\n");
}

TEST(ProcRunCommand, StdinGivenLaterReachesAChildThatStartedFirst) {
    // The child records that it ran before its input was given, then echoes the input.
    const std::string mark = ::testing::TempDir() + "kf_stdin_later_mark";
    std::remove(mark.c_str());
    std::promise<std::string> input;
    Command cmd = shell("touch '" + mark + "'; cat");
    cmd.stdin_data = "first ";
    cmd.stdin_later = input.get_future().share();
    cmd.timeout = 10s;
    std::thread giver([&] {
        for (int i = 0; i < 500 && ::access(mark.c_str(), F_OK) != 0; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        input.set_value("then later");
    });
    CommandResult r = runCommand(cmd);
    giver.join();
    EXPECT_TRUE(r.ok()) << r.describe();
    EXPECT_EQ(r.out, "first then later");
    EXPECT_EQ(::access(mark.c_str(), F_OK), 0);
    std::remove(mark.c_str());
    expectNoChildren();
}

TEST(ProcRunCommand, ChildAwaitingLaterStdinStillTimesOutAndCancels) {
    std::promise<std::string> never;
    Command cmd;
    cmd.argv = {"cat"};
    cmd.stdin_later = never.get_future().share();
    cmd.timeout = 300ms;
    CommandResult r = runCommand(cmd);
    EXPECT_TRUE(r.timed_out) << r.describe();

    std::atomic<bool> cancel{true};
    cmd.timeout = 0ms;
    cmd.cancel = &cancel;
    r = runCommand(cmd);
    EXPECT_TRUE(r.cancelled) << r.describe();
    expectNoChildren();
}

TEST(ProcRunCommand, MissingProgramIsASpawnError) {
    Command cmd;
    cmd.argv = {"kf-no-such-program-here", "--version"};
    CommandResult r = runCommand(cmd);
    EXPECT_EQ(r.spawn_error, "kf-no-such-program-here: No such file or directory");
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.describe(), "could not start: kf-no-such-program-here: No such file or directory");

    cmd.argv = {"/nonexistent/bin/nvcc"};
    EXPECT_EQ(runCommand(cmd).spawn_error, "/nonexistent/bin/nvcc: No such file or directory");

    char plain[] = "/tmp/kf-proc-plain-XXXXXX"; // exists, not executable (mkstemp makes it 0600)
    const int fd = ::mkstemp(plain);
    ASSERT_GE(fd, 0);
    ::close(fd);
    cmd.argv = {plain};
    EXPECT_EQ(runCommand(cmd).spawn_error, std::string(plain) + ": Permission denied");
    ::unlink(plain);

    cmd.argv = {};
    EXPECT_FALSE(runCommand(cmd).spawn_error.empty());
    expectNoChildren();
}

TEST(ProcRunCommand, EnvironmentIsReplacedWhenGiven) {
    ::setenv("KF_PROC_TEST_PARENT_ONLY", "leaked", 1);
    Command cmd = shell("echo \"[$KF_PROC_TEST_PARENT_ONLY][$FOO]\"");
    CommandResult inherited = runCommand(cmd);
    EXPECT_EQ(inherited.out, "[leaked][]\n");

    cmd.env = std::vector<std::string>{"FOO=bar baz", "PATH=/usr/bin:/bin"};
    CommandResult replaced = runCommand(cmd);
    EXPECT_EQ(replaced.out, "[][bar baz]\n");
    ::unsetenv("KF_PROC_TEST_PARENT_ONLY");
}

TEST(ProcRunCommand, ProgramIsLookedUpInTheChildsPath) {
    Command cmd;
    cmd.argv = {"sh", "-c", "true"};
    cmd.env = std::vector<std::string>{"PATH=/nonexistent"};
    EXPECT_EQ(runCommand(cmd).spawn_error, "sh: No such file or directory");
}

TEST(ProcRunCommand, RunsInTheGivenDirectory) {
    char dir[] = "/tmp/kf-proc-cwd-XXXXXX";
    ASSERT_NE(::mkdtemp(dir), nullptr);
    char resolved[PATH_MAX];
    ASSERT_NE(::realpath(dir, resolved), nullptr);
    Command cmd;
    cmd.argv = {"pwd", "-P"};
    cmd.cwd = dir;
    CommandResult r = runCommand(cmd);
    EXPECT_EQ(r.out, std::string(resolved) + "\n");

    cmd.cwd = std::string(dir) + "/missing";
    r = runCommand(cmd);
    EXPECT_EQ(r.spawn_error, "pwd: cannot change to directory '" + cmd.cwd + "': No such file or directory");
    ::rmdir(dir);
    expectNoChildren();
}

TEST(ProcRunCommand, NoFileDescriptorOfOursReachesTheChild) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0); // deliberately without O_CLOEXEC
    const std::string script = "for fd in " + std::to_string(fds[0]) + " " + std::to_string(fds[1]) +
                               "; do test -e /proc/self/fd/$fd && echo leaked $fd; done; echo checked";
    CommandResult r = runCommand(shell(script));
    EXPECT_EQ(r.out, "checked\n");
    ::close(fds[0]);
    ::close(fds[1]);
}

TEST(ProcRunCommand, SignalsHaveTheirNames) {
    EXPECT_EQ(kf::proc::signalName(SIGSEGV), "SIGSEGV");
    EXPECT_EQ(kf::proc::signalName(SIGKILL), "SIGKILL");
    EXPECT_EQ(kf::proc::signalName(SIGBUS), "SIGBUS");
    EXPECT_EQ(kf::proc::signalName(SIGABRT), "SIGABRT");
    EXPECT_EQ(kf::proc::signalName(99), "signal 99");
}
