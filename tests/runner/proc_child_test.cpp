// SPDX-License-Identifier: MIT
#include "proc/child.h"
#include "process_probe.h"

#include <cerrno>
#include <cstdlib>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <thread>

using kf::proc::Child;
using kf::proc::Command;
using namespace std::chrono_literals;

namespace {

std::unique_ptr<Child> spawnShell(const std::string& script) {
    Command cmd;
    cmd.argv = {"sh", "-c", script};
    std::string error;
    std::unique_ptr<Child> child = Child::spawn(cmd, &error);
    EXPECT_NE(child, nullptr) << error;
    return child;
}

// Reads stdout until it holds `want` (or 10 s pass).
bool readUntil(Child& child, std::string& out, const std::string& want) {
    std::string err;
    const auto until = std::chrono::steady_clock::now() + 10s;
    while (out.find(want) == std::string::npos && std::chrono::steady_clock::now() < until) {
        if (!child.read(50ms, out, err)) {
            break;
        }
    }
    return out.find(want) != std::string::npos;
}

} // namespace

TEST(ProcChild, StreamsAConversation) {
    Command cmd;
    cmd.argv = {"cat"};
    cmd.stdin_data = "first\n";
    std::string error;
    std::unique_ptr<Child> child = Child::spawn(cmd, &error);
    ASSERT_NE(child, nullptr) << error;
    EXPECT_GT(child->pid(), 0);
    std::string out;
    ASSERT_TRUE(readUntil(*child, out, "first\n"));
    EXPECT_FALSE(child->poll().has_value()); // cat waits for more
    ASSERT_TRUE(child->writeStdin("second\n"));
    ASSERT_TRUE(readUntil(*child, out, "second\n"));
    child->closeStdin();
    EXPECT_FALSE(child->writeStdin("late\n"));
    kf::proc::CommandResult r = child->wait();
    EXPECT_EQ(out + r.out, "first\nsecond\n");
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_TRUE(r.ok());
}

TEST(ProcChild, ReadReturnsFalseAtEndOfBothStreams) {
    std::unique_ptr<Child> child = spawnShell("echo o; echo e >&2");
    ASSERT_NE(child, nullptr);
    std::string out, err;
    int reads = 0;
    while (child->read(1000ms, out, err)) {
        ASSERT_LT(++reads, 100);
    }
    EXPECT_EQ(out, "o\n");
    EXPECT_EQ(err, "e\n");
    EXPECT_EQ(child->wait().exit_code, 0);
}

TEST(ProcChild, WritingToAClosedStdinFailsWithoutKillingUs) {
    std::unique_ptr<Child> child = spawnShell("exec 0<&-; echo closed; sleep 5");
    ASSERT_NE(child, nullptr);
    std::string out;
    ASSERT_TRUE(readUntil(*child, out, "closed\n"));
    EXPECT_FALSE(child->writeStdin("nobody reads this\n")); // EPIPE, not SIGPIPE
    EXPECT_FALSE(child->writeStdin("nor this\n"));
    child->kill();
    EXPECT_EQ(child->wait().signal, SIGKILL);
}

TEST(ProcChild, PendingStdinDoesNotBlockTheWriter) {
    // The child reads nothing for a while: 4 MiB are queued, not blocked on, and arrive once it reads.
    std::unique_ptr<Child> child = spawnShell("sleep 0.2; wc -c");
    ASSERT_NE(child, nullptr);
    const auto start = std::chrono::steady_clock::now();
    EXPECT_TRUE(child->writeStdin(std::string(4u << 20, 'z')));
    EXPECT_LT(std::chrono::steady_clock::now() - start, 150ms);
    child->closeStdin();
    std::string out;
    ASSERT_TRUE(readUntil(*child, out, "\n"));
    EXPECT_EQ(std::atol(out.c_str()), 4L << 20);
    EXPECT_EQ(child->wait().exit_code, 0);
}

TEST(ProcChild, PollReportsTheExitOnceAndKeepsIt) {
    std::unique_ptr<Child> child = spawnShell("sleep 100");
    ASSERT_NE(child, nullptr);
    EXPECT_FALSE(child->poll().has_value());
    child->kill(SIGTERM);
    std::optional<kf::proc::CommandResult> status;
    const auto until = std::chrono::steady_clock::now() + 5s;
    while (!(status = child->poll()) && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(status.has_value());
    EXPECT_EQ(status->signal, SIGTERM);
    EXPECT_EQ(child->poll()->signal, SIGTERM);
    EXPECT_EQ(child->wait().signal, SIGTERM);
}

TEST(ProcChild, DestructorKillsTheGroupAndReaps) {
    std::unique_ptr<Child> child = spawnShell("sleep 100 & echo $!; sleep 100");
    ASSERT_NE(child, nullptr);
    std::string out;
    ASSERT_TRUE(readUntil(*child, out, "\n"));
    const pid_t leader = child->pid();
    const pid_t grandchild = std::atoi(out.c_str());
    ASSERT_GT(grandchild, 0);
    child.reset();
    EXPECT_TRUE(kf::test::processEnded(grandchild));
    errno = 0;
    EXPECT_EQ(::waitpid(leader, nullptr, WNOHANG), -1); // already reaped
    EXPECT_EQ(errno, ECHILD);
}

TEST(ProcChild, SpawnFailureSaysWhy) {
    Command cmd;
    cmd.argv = {"kf-no-such-runner"};
    std::string error;
    EXPECT_EQ(Child::spawn(cmd, &error), nullptr);
    EXPECT_EQ(error, "kf-no-such-runner: No such file or directory");
}
