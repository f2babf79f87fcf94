// SPDX-License-Identifier: MIT
#include "child.h"

#include "bounded_append.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <system_error>
#include <thread>
#include <unistd.h>

extern char** environ;

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

namespace kf::proc {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long output is still awaited after the child exited, for a process that left the group but kept a pipe.
constexpr milliseconds kStragglerGrace{1000};
// One read() call takes at most this much from one stream, so a flood on stdout cannot starve stderr.
constexpr std::size_t kMaxReadPerCall = 4u << 20;
constexpr std::size_t kReadChunk = 64u << 10;
// Without close_range (Linux < 5.11) the child marks fds close-on-exec one by one up to this bound.
constexpr long kMaxFdSweep = 65536;

std::string errnoText(int e) {
    return std::generic_category().message(e);
}

void closeQuietly(int& fd) {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

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

void setNonBlocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
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

// write() with SIGPIPE held off for this thread only: a child that closed its stdin gives EPIPE, never kills
// us, and the process-wide disposition (which children would inherit) stays untouched.
ssize_t writeWithoutSigpipe(int fd, const char* data, std::size_t size) {
    sigset_t pipeSet, old, pending;
    sigemptyset(&pipeSet);
    sigaddset(&pipeSet, SIGPIPE);
    sigpending(&pending);
    const bool alreadyPending = sigismember(&pending, SIGPIPE) == 1;
    ::pthread_sigmask(SIG_BLOCK, &pipeSet, &old);
    const ssize_t n = ::write(fd, data, size);
    const int saved = errno;
    if (n < 0 && saved == EPIPE && !alreadyPending) {
        const timespec zero{0, 0};
        while (::sigtimedwait(&pipeSet, nullptr, &zero) < 0 && errno == EINTR) {
        }
    }
    ::pthread_sigmask(SIG_SETMASK, &old, nullptr);
    errno = saved;
    return n;
}

// Reads what fd has now onto sink; closes fd at EOF or on error.
void drain(int& fd, std::string& sink) {
    std::size_t taken = 0;
    while (fd >= 0 && taken < kMaxReadPerCall) {
        const std::size_t old = sink.size();
        sink.resize(old + kReadChunk);
        const ssize_t n = ::read(fd, sink.data() + old, kReadChunk);
        sink.resize(old + (n > 0 ? static_cast<std::size_t>(n) : 0));
        if (n > 0) {
            taken += static_cast<std::size_t>(n);
        } else if (n == 0 || (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)) {
            closeQuietly(fd);
        } else if (errno != EINTR) {
            break;
        }
    }
}

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

} // namespace

std::unique_ptr<Child> Child::spawn(const Command& cmd, std::string* error) {
    std::string scratch;
    std::string& why = error != nullptr ? *error : scratch;
    if (cmd.argv.empty() || cmd.argv.front().empty()) {
        why = "empty command line";
        return nullptr;
    }
    const std::string& name = cmd.argv.front();
    int lookupError = 0;
    const std::string path = resolveProgram(cmd, &lookupError);
    if (path.empty()) {
        why = name + ": " + errnoText(lookupError);
        return nullptr;
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
        return nullptr;
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

    const auto started = Clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) {
        why = name + ": cannot fork: " + errnoText(errno);
        closeAll();
        return nullptr;
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
        return nullptr;
    }

    std::unique_ptr<Child> child(new Child());
    child->m_pid = pid;
    child->m_stdin = in[1];
    child->m_stdout = out[0];
    child->m_stderr = err[0];
    child->m_maxOutput = cmd.max_output;
    child->m_started = started;
    setNonBlocking(child->m_stdin);
    setNonBlocking(child->m_stdout);
    setNonBlocking(child->m_stderr);
    if (!cmd.stdin_data.empty()) {
        child->writeStdin(cmd.stdin_data);
    }
    return child;
}

Child::~Child() {
    if (!m_status && m_pid > 0) {
        ::kill(-m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    closeFd(m_stdin);
    closeFd(m_stdout);
    closeFd(m_stderr);
}

void Child::closeFd(int& fd) {
    closeQuietly(fd);
}

bool Child::writeStdin(std::string_view data) {
    if (m_stdinRefused || m_closeStdinWhenFlushed || m_stdin < 0) {
        return false;
    }
    m_pendingStdin.append(data);
    flushStdin();
    return !m_stdinRefused;
}

void Child::closeStdin() {
    m_closeStdinWhenFlushed = true;
    flushStdin();
}

void Child::flushStdin() {
    while (m_stdin >= 0 && !m_pendingStdin.empty()) {
        const ssize_t n = writeWithoutSigpipe(m_stdin, m_pendingStdin.data(), m_pendingStdin.size());
        if (n > 0) {
            m_pendingStdin.erase(0, static_cast<std::size_t>(n));
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else if (n < 0 && errno != EINTR) {
            // EPIPE: the child closed its stdin (or exited); what it did not read is dropped.
            m_stdinRefused = true;
            m_pendingStdin.clear();
            closeFd(m_stdin);
        }
    }
    if (m_closeStdinWhenFlushed && m_pendingStdin.empty()) {
        closeFd(m_stdin);
    }
}

bool Child::read(std::chrono::milliseconds timeout, std::string& out, std::string& err) {
    flushStdin();
    if (m_stdout < 0 && m_stderr < 0) {
        return false;
    }
    pollfd fds[3];
    nfds_t count = 0;
    for (int fd : {m_stdout, m_stderr}) {
        if (fd >= 0) {
            fds[count++] = {fd, POLLIN, 0};
        }
    }
    if (m_stdin >= 0 && !m_pendingStdin.empty()) {
        fds[count++] = {m_stdin, POLLOUT, 0};
    }
    const auto deadline = Clock::now() + timeout;
    int ready;
    for (;;) {
        const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
        ready = ::poll(fds, count, static_cast<int>(left > 0 ? left : 0));
        if (ready >= 0 || errno != EINTR) {
            break;
        }
    }
    if (ready > 0) {
        for (nfds_t i = 0; i < count; ++i) {
            if (fds[i].revents == 0) {
                continue;
            }
            if (fds[i].fd == m_stdout) {
                drain(m_stdout, out);
            } else if (fds[i].fd == m_stderr) {
                drain(m_stderr, err);
            } else if (fds[i].fd == m_stdin) {
                flushStdin();
            }
        }
    }
    return m_stdout >= 0 || m_stderr >= 0;
}

void Child::kill(int sig) {
    // Until reaped, the leader (alive or a zombie) keeps the group id reserved, so this reaches only ours.
    if (!m_status && m_pid > 0) {
        ::kill(-m_pid, sig);
    }
}

std::optional<CommandResult> Child::poll() {
    if (m_status) {
        return m_status;
    }
    siginfo_t info{};
    int r;
    do {
        r = ::waitid(P_PID, static_cast<id_t>(m_pid), &info, WEXITED | WNOHANG | WNOWAIT);
    } while (r < 0 && errno == EINTR);
    if (r == 0 && info.si_pid == 0) {
        return std::nullopt;
    }
    CommandResult result;
    if (r == 0) {
        // The leader is a zombie: what it left running in its group goes now, while the group id is ours.
        ::kill(-m_pid, SIGKILL);
        int status = 0;
        while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
        }
        if (WIFEXITED(status)) {
            result.exit_code = WEXITSTATUS(status);
        } else if (WIFSIGNALED(status)) {
            result.signal = WTERMSIG(status);
        }
    }
    // r < 0 (ECHILD): reaped behind our back (SIGCHLD ignored by the host program); the status is lost.
    result.seconds = secondsSince(m_started);
    m_status = result;
    return result;
}

CommandResult Child::wait() {
    closeStdin();
    CommandResult result;
    std::string out, err;
    std::optional<Clock::time_point> giveUpAt;
    for (;;) {
        const std::optional<CommandResult> status = poll();
        if (status && !giveUpAt) {
            giveUpAt = Clock::now() + kStragglerGrace;
        }
        const bool open = read(milliseconds(20), out, err);
        detail::appendBounded(result.out, out, m_maxOutput, result.truncated);
        detail::appendBounded(result.err, err, m_maxOutput, result.truncated);
        if (status && (!open || Clock::now() >= *giveUpAt)) {
            result.exit_code = status->exit_code;
            result.signal = status->signal;
            result.seconds = status->seconds;
            break;
        }
        if (!open) {
            std::this_thread::sleep_for(milliseconds(5)); // both streams closed: only the exit is awaited
        }
    }
    closeFd(m_stdout);
    closeFd(m_stderr);
    return result;
}

} // namespace kf::proc
