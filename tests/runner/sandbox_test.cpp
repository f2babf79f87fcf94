// SPDX-License-Identifier: MIT
#include "proc/command.h"
#include "process_probe.h"
#include "runner/runner_client.h"
#include "runner/sandbox.h"

#include <algorithm>
#include <arpa/inet.h>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

using kf::runner::RunnerClient;
using kf::runner::RunnerClientOptions;
using kf::runner::sandboxedArgv;
using kf::runner::SandboxOptions;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// A scratch directory removed at the end of the test.
struct TempDir {
    fs::path path;
    TempDir() {
        char pattern[] = "/tmp/kf-sandbox-test-XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Index of the first occurrence of the consecutive items `seq` in argv; -1 when absent.
long find(const std::vector<std::string>& argv, const std::vector<std::string>& seq) {
    const auto it = std::search(argv.begin(), argv.end(), seq.begin(), seq.end());
    return it == argv.end() ? -1 : it - argv.begin();
}

void skipWithoutSandbox() {
    std::string why;
    if (!kf::runner::sandboxAvailable(&why)) {
        GTEST_SKIP() << "bubblewrap is not usable on this machine: " << why;
    }
}

} // namespace

TEST(Sandbox, ArgvShape) {
    TempDir t;
    const std::string home = (t.path / "home").string(), cache = home + "/.cache/kf",
                      ro = (t.path / "ro").string();
    const std::string writable = (t.path / "w").string(), missing = (t.path / "missing").string();
    for (const std::string& d : {cache, ro, writable}) {
        fs::create_directories(d);
    }
    SandboxOptions options;
    options.writable_paths = {cache, writable, missing};
    options.readonly_paths = {ro, "/usr/bin", missing};
    options.user_home = home;
    options.private_home = "/tmp/kf-runner-home-test";
    const std::vector<std::string> argv = sandboxedArgv(options, {"/opt/kf/kf-runner", "--flag"});

    EXPECT_EQ(argv.front(), "bwrap");
    for (const char* flag : {"--unshare-net", "--unshare-ipc", "--unshare-pid", "--unshare-uts",
                             "--die-with-parent", "--new-session"}) {
        EXPECT_GE(find(argv, {flag}), 0) << flag;
    }
    EXPECT_LT(find(argv, {"--share-net"}), 0);
    EXPECT_GE(find(argv, {"--ro-bind", "/usr", "/usr"}), 0);
    EXPECT_GE(find(argv, {"--ro-bind", "/etc", "/etc"}), 0);
    EXPECT_GE(find(argv, {"--dev-bind", "/dev", "/dev"}), 0);
    EXPECT_GE(find(argv, {"--proc", "/proc"}), 0);
    if (fs::is_symlink("/bin")) {
        EXPECT_GE(find(argv, {"--symlink", fs::read_symlink("/bin").string(), "/bin"}), 0);
    }
    const long tmp = find(argv, {"--tmpfs", "/tmp"});
    const long hidden = find(argv, {"--tmpfs", home});
    const long cacheBind = find(argv, {"--bind", cache, cache});
    EXPECT_GE(tmp, 0);
    EXPECT_GT(hidden, tmp);
    EXPECT_GT(cacheBind, hidden) << "the cache inside the home must be bound after the home is hidden";
    EXPECT_GT(find(argv, {"--bind", writable, writable}), tmp);
    EXPECT_GT(find(argv, {"--ro-bind", ro, ro}), tmp);
    EXPECT_GE(find(argv, {"--tmpfs", "/tmp/kf-runner-home-test"}), 0);
    EXPECT_LT(find(argv, {missing}), 0);                 // nothing to bind
    EXPECT_LT(find(argv, {"--ro-bind", "/usr/bin"}), 0); // /usr shows it already
    const long separator = find(argv, {"--", "/opt/kf/kf-runner", "--flag"});
    EXPECT_EQ(separator, static_cast<long>(argv.size()) - 3);
}

TEST(Sandbox, AHomeInsideABoundPathIsStillHidden) {
    TempDir t;
    const std::string home = (t.path / "home").string();
    fs::create_directories(home);
    SandboxOptions options;
    options.writable_paths = {t.path.string()};
    options.user_home = home;
    const std::vector<std::string> argv = sandboxedArgv(options, {"true"});
    EXPECT_LT(find(argv, {"--bind", t.path.string(), t.path.string()}), find(argv, {"--tmpfs", home}));
}

TEST(Sandbox, EnvironmentKeepsOnlyTheAllowlist) {
    const char* const host[] = {"PATH=/usr/bin:/bin",
                                "ANTHROPIC_API_KEY=sk-ant-x",
                                "OPENAI_API_KEY=sk-y",
                                "HOME=/home/someone",
                                "LC_ALL=C",
                                "LANG=en_US.UTF-8",
                                "CUDA_VISIBLE_DEVICES=1",
                                "SSH_AUTH_SOCK=/run/agent",
                                "GITHUB_TOKEN=ghp",
                                "LD_PRELOAD=/x.so",
                                "TZ=UTC",
                                "PATHX=1",
                                "NOEQUALS",
                                "TMPDIR=/scratch",
                                nullptr};
    const std::vector<std::string> env = kf::runner::runnerEnvironment(host);
    const std::vector<std::string> want = {"PATH=/usr/bin:/bin",
                                           "LC_ALL=C",
                                           "LANG=en_US.UTF-8",
                                           "CUDA_VISIBLE_DEVICES=1",
                                           "TZ=UTC",
                                           "TMPDIR=/scratch",
                                           "HOME=" + kf::runner::privateHome()};
    EXPECT_EQ(env, want);
}

TEST(Sandbox, PrivateHomeIsOursAlone) {
    const std::string& home = kf::runner::privateHome();
    struct stat st {};
    ASSERT_EQ(::stat(home.c_str(), &st), 0) << home;
    EXPECT_TRUE(S_ISDIR(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    EXPECT_EQ(st.st_uid, ::getuid());
    EXPECT_EQ(&home, &kf::runner::privateHome()); // one per process
}

TEST(Sandbox, InsideThereIsNoHomeNoNetworkAndAReadOnlySystem) {
    skipWithoutSandbox();
    TempDir t;
    const std::string home = (t.path / "home").string(), cache = home + "/.cache/kf";
    fs::create_directories(home + "/.ssh");
    fs::create_directories(cache);
    std::ofstream(home + "/.ssh/id_ed25519") << "PRIVATE KEY\n";

    // A loopback listener of ours: a shared network namespace would show it in /proc/net/tcp.
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(listener, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listener, 1), 0);
    socklen_t len = sizeof addr;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&addr), &len);
    char port[8];
    std::snprintf(port, sizeof port, ":%04X", ntohs(addr.sin_port));

    const std::string seeing =
        "test -e " + home +
        "/.ssh/id_ed25519 && echo key-visible; "
        "grep -q '" +
        std::string(port) +
        " ' /proc/net/tcp && echo listener-visible; "
        "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | grep -v '^lo$' && echo nic; ";
    const std::string writing = "touch /usr/kf-sandbox-probe 2>/dev/null && echo usr-writable; "
                                "echo hello > " +
                                cache + "/written && echo cache-writable";
    kf::proc::Command cmd;
    cmd.argv = {"sh", "-c", seeing};
    cmd.timeout = std::chrono::seconds(30);
    const kf::proc::CommandResult outside = kf::proc::runCommand(cmd); // the probe does see things out here
    EXPECT_NE(outside.out.find("key-visible"), std::string::npos);
    EXPECT_NE(outside.out.find("listener-visible"), std::string::npos);

    // The scratch directory is bound as a whole, so only the hidden home keeps the key out of sight.
    SandboxOptions options;
    options.writable_paths = {t.path.string(), cache};
    options.user_home = home;
    cmd.argv = sandboxedArgv(options, {"sh", "-c", seeing + writing});
    const kf::proc::CommandResult inside = kf::proc::runCommand(cmd);
    EXPECT_EQ(inside.out, "cache-writable\n") << inside.describe() << "\n" << inside.err;
    std::ifstream written(cache + "/written");
    std::string line;
    EXPECT_TRUE(std::getline(written, line) && line == "hello");
    ::close(listener);
}

TEST(Sandbox, RunnerInsideGetsNoSecretsAndItsFaultsAreReported) {
    skipWithoutSandbox();
    ::setenv("ANTHROPIC_API_KEY", "sk-ant-sandboxed-secret", 1);
    RunnerClientOptions options;
    options.runner = KF_FAKE_RUNNER;
    options.sandbox = RunnerClientOptions::Sandbox::Required;
    options.deadline_slack_s = 0.5;
    RunnerClient client(options);
    ASSERT_TRUE(client.sandboxed());
    EXPECT_EQ(client.commandLine().front(), "bwrap");

    std::vector<json> events;
    auto sink = [&](const json& e) { events.push_back(e); };
    json done = client.run({{"fake_mode", "env"}}, sink);
    ASSERT_EQ(done.at("verdict"), "pass") << done.dump() << client.lastStderr();
    for (const std::string v : events.at(1).at("vars")) {
        EXPECT_EQ(v.find("secret"), std::string::npos) << v;
    }

    events.clear();
    done = client.run({{"fake_mode", "segv"}}, sink);
    EXPECT_EQ(done.at("verdict"), "error");
    ASSERT_GE(done.at("reasons").size(), 1u);
    EXPECT_EQ(done.at("reasons")[0].get<std::string>().rfind(
                  "kf-runner was killed by SIGSEGV during stage 'check' (size 1): ", 0),
              0u)
        << done.dump();

    const std::string token = "kf-sandboxed-helper-" + std::to_string(::getpid());
    done = client.run({{"fake_mode", "hang"}, {"token", token}}, sink);
    EXPECT_EQ(done.at("reasons"),
              json::array({"kf-runner did not finish stage 'check' (size 2) within 1.5 s; killed"}));
    EXPECT_TRUE(kf::test::noProcessWithToken(token)) << "the runner's helper survived inside the sandbox";

    options.runner = "/nonexistent/kf-runner";
    events.clear();
    done = RunnerClient(options).run({{"fake_mode", "normal"}}, sink);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0].at("message"),
              "cannot start kf-runner: /nonexistent/kf-runner: No such file or directory");
    EXPECT_EQ(done.at("verdict"), "error");
    ::unsetenv("ANTHROPIC_API_KEY");
}
