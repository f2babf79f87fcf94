// SPDX-License-Identifier: MIT
#include "child.h"

#include "bounded_append.h"
#include "launch.h"

#include <cerrno>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace kf::proc {

namespace {

using detail::closeQuietly;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// How long output is still awaited after the child exited, for a process that left the group but kept a pipe.
constexpr milliseconds kStragglerGrace{1000};
// One read() call takes at most this much from one stream, so a flood on stdout cannot starve stderr.
constexpr std::size_t kMaxReadPerCall = 4u << 20;
constexpr std::size_t kReadChunk = 64u << 10;

void setNonBlocking(int fd) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
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
    const auto started = Clock::now();
    const std::optional<detail::Launched> launched = detail::launch(cmd, error != nullptr ? *error : scratch);
    if (!launched) {
        return nullptr;
    }
    std::unique_ptr<Child> child(new Child());
    child->m_pid = launched->pid;
    child->m_stdin = launched->stdinWrite;
    child->m_stdout = launched->stdoutRead;
    child->m_stderr = launched->stderrRead;
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
    // A child that closed both outputs may still be reading its stdin: keep feeding it while it runs.
    const bool feeding = m_stdin >= 0 && !m_pendingStdin.empty();
    if (m_stdout < 0 && m_stderr < 0 && !feeding) {
        return false;
    }
    pollfd fds[3];
    nfds_t count = 0;
    for (int fd : {m_stdout, m_stderr}) {
        if (fd >= 0) {
            fds[count++] = {fd, POLLIN, 0};
        }
    }
    if (feeding) {
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
