// SPDX-License-Identifier: MIT
#include "launch.h"

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <unistd.h>
#include <vector>

extern char** environ;

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace kf::proc::detail {

namespace {

// Without close_range (Linux < 5.11) the child marks fds close-on-exec one by one up to this bound.
constexpr long kMaxFdSweep = 65536;

// A close-on-exec pipe whose ends are both >= 3, so that the child's dup2 onto 0, 1, 2 cannot clobber one
// end with another.
bool makePipe(int& readEnd, int& writeEnd) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return false;
    }
    for (int& fd : fds) {
        if (fd < 3) {
            const int moved = ::fcntl(fd, F_DUPFD_CLOEXEC, 3);
            ::close(fd);
            fd = moved;
        }
    }
    if (fds[0] < 0 || fds[1] < 0) {
        closeQuietly(fds[0]);
        closeQuietly(fds[1]);
        return false;
    }
    readEnd = fds[0];
    writeEnd = fds[1];
    return true;
}

// PATH of the child's environment when one is given, else ours: the program the child would find itself.
std::string searchPath(const Command& cmd) {
    if (cmd.env) {
        for (const std::string& entry : *cmd.env) {
            if (entry.rfind("PATH=", 0) == 0) {
                return entry.substr(5);
            }
        }
    } else if (const char* path = ::getenv("PATH")) {
        return path;
    }
    return "/usr/local/bin:/usr/bin:/bin";
}

// The file execve() will run, looked up before fork so the child need not allocate. Sets *err on failure.
std::string resolveProgram(const Command& cmd, int* err) {
    const std::string& name = cmd.argv.front();
    if (name.find('/') != std::string::npos) {
        return name;
    }
    *err = ENOENT;
    const std::string path = searchPath(cmd);
    std::size_t begin = 0;
    while (begin <= path.size()) {
        std::size_t end = path.find(':', begin);
        if (end == std::string::npos) {
            end = path.size();
        }
        const std::string dir = end > begin ? path.substr(begin, end - begin) : ".";
        const std::string candidate = dir + "/" + name;
        struct stat st {};
        if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
            if (::access(candidate.c_str(), X_OK) == 0) {
                return candidate;
            }
            *err = EACCES;
        }
        begin = end + 1;
    }
    return {};
}

std::vector<char*> cStrings(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const std::string& s : strings) {
        out.push_back(const_cast<char*>(s.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

// What the child reports through the error pipe when it cannot get as far as the new program.
struct ExecFailure {
    int step; // kStepChdir or kStepExec
    int error;
};
constexpr int kStepChdir = 1;
constexpr int kStepExec = 2;

// Everything the forked child needs, prepared before fork: between fork and exec only async-signal-safe
// calls are allowed (another thread may hold malloc's lock).
struct ExecPlan {
    const char* path;
    char* const* argv;
    char* const* envp;
    const char* cwd; // nullptr: stay
    int stdinRead, stdoutWrite, stderrWrite, errorWrite;
    long fdSweepLimit;
};

[[noreturn]] void execChild(const ExecPlan& plan) noexcept {
    ::setpgid(0, 0);
    // Start the program with default signal handling: an ignored SIGPIPE or a blocked SIGTERM would
    // otherwise be inherited through exec.
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < 65; ++sig) {
        if (sig != SIGKILL && sig != SIGSTOP) {
            ::sigaction(sig, &dfl, nullptr);
        }
    }
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);

    ::dup2(plan.stdinRead, 0);
    ::dup2(plan.stdoutWrite, 1);
    ::dup2(plan.stderrWrite, 2);
    ExecFailure failure{0, 0};
    if (plan.cwd != nullptr && ::chdir(plan.cwd) != 0) {
        failure = {kStepChdir, errno};
    } else {
        // No fd of ours (from any thread, opened with or without O_CLOEXEC) may reach the program.
        bool swept = false;
#ifdef SYS_close_range
        swept = ::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) == 0;
#endif
        if (!swept) {
            for (int fd = 3; fd < plan.fdSweepLimit; ++fd) {
                ::fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
        ::execve(plan.path, plan.argv, plan.envp);
        failure = {kStepExec, errno};
    }
    [[maybe_unused]] ssize_t n = ::write(plan.errorWrite, &failure, sizeof failure);
    ::_exit(127);
}

long fdSweepLimit() {
    struct rlimit rl {};
    if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur > kMaxFdSweep) {
        return kMaxFdSweep;
    }
    return static_cast<long>(rl.rlim_cur);
}

} // namespace

std::string errnoText(int e) {
    return std::generic_category().message(e);
}

void closeQuietly(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

std::optional<Launched> launch(const Command& cmd, std::string& why) {
    if (cmd.argv.empty() || cmd.argv.front().empty()) {
        why = "empty command line";
        return std::nullopt;
    }
    const std::string& name = cmd.argv.front();
    int lookupError = 0;
    const std::string path = resolveProgram(cmd, &lookupError);
    if (path.empty()) {
        why = name + ": " + errnoText(lookupError);
        return std::nullopt;
    }
    std::vector<char*> argv = cStrings(cmd.argv);
    std::vector<char*> envp;
    if (cmd.env) {
        envp = cStrings(*cmd.env);
    }

    int in[2] = {-1, -1}, out[2] = {-1, -1}, err[2] = {-1, -1}, report[2] = {-1, -1};
    auto closeAll = [&] {
        for (int* p : {in, out, err, report}) {
            closeQuietly(p[0]);
            closeQuietly(p[1]);
        }
    };
    if (!makePipe(in[0], in[1]) || !makePipe(out[0], out[1]) || !makePipe(err[0], err[1]) ||
        !makePipe(report[0], report[1])) {
        why = name + ": cannot create pipes: " + errnoText(errno);
        closeAll();
        return std::nullopt;
    }
    const ExecPlan plan{path.c_str(),
                        argv.data(),
                        cmd.env ? envp.data() : environ,
                        cmd.cwd.empty() ? nullptr : cmd.cwd.c_str(),
                        in[0],
                        out[1],
                        err[1],
                        report[1],
                        fdSweepLimit()};

    const pid_t pid = ::fork();
    if (pid < 0) {
        why = name + ": cannot fork: " + errnoText(errno);
        closeAll();
        return std::nullopt;
    }
    if (pid == 0) {
        execChild(plan);
    }
    // Both sides set the group, so it exists whichever runs first; the child's own call wins after exec.
    ::setpgid(pid, pid);
    closeQuietly(in[0]);
    closeQuietly(out[1]);
    closeQuietly(err[1]);
    closeQuietly(report[1]);

    ExecFailure failure{0, 0};
    ssize_t got;
    do {
        got = ::read(report[0], &failure, sizeof failure);
    } while (got < 0 && errno == EINTR);
    closeQuietly(report[0]);
    if (got == static_cast<ssize_t>(sizeof failure)) {
        int status = 0;
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        closeAll();
        why = failure.step == kStepChdir
                  ? name + ": cannot change to directory '" + cmd.cwd + "': " + errnoText(failure.error)
                  : name + ": " + errnoText(failure.error);
        return std::nullopt;
    }

    return Launched{pid, in[1], out[0], err[0]};
}

} // namespace kf::proc::detail
