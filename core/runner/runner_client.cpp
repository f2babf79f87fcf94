// SPDX-License-Identifier: MIT
#include "runner_client.h"

#include "proc/child.h"
#include "proc/find_program.h"
#include "sandbox.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <pwd.h>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace kf::runner {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr std::size_t kStderrKept = 64u << 10;
// A line longer than this is not an event but a runaway writer.
constexpr std::size_t kMaxLine = 64u << 20;
constexpr std::size_t kQuotedChars = 200;
constexpr int kStderrLinesQuoted = 5;
// The least time a runner gets to exit after its done event (tearing down a CUDA context takes a moment).
constexpr double kExitAfterDone_s = 5.0;

// Keeps valid UTF-8 and replaces every other byte with '?': what we quote from the runner goes into JSON,
// which must be valid UTF-8, and may be cut mid-character or be binary garbage.
std::string validUtf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        bool ok = len != 0 && i + len <= s.size();
        for (std::size_t k = 1; ok && k < len; ++k) {
            ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
        }
        if (ok && (len > 1 || c >= 0x20 || c == '\t')) {
            out.append(s.substr(i, len));
            i += len;
        } else {
            out += '?';
            ++i;
        }
    }
    return out;
}

std::string quoteLine(std::string_view line) {
    const bool longer = line.size() > kQuotedChars;
    return validUtf8(line.substr(0, kQuotedChars)) + (longer ? "..." : "");
}

// The last few non-empty lines of stderr, for a message that says why the runner died.
std::string stderrTail(const std::string& err) {
    std::vector<std::string_view> lines;
    std::size_t end = err.size();
    while (end > 0 && static_cast<int>(lines.size()) < kStderrLinesQuoted) {
        const std::size_t nl = err.rfind('\n', end - 1);
        const std::size_t begin = nl == std::string::npos ? 0 : nl + 1;
        std::string_view line(err.data() + begin, end - begin);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
            line.remove_suffix(1);
        }
        if (!line.empty()) {
            lines.insert(lines.begin(), line);
        }
        if (nl == std::string::npos) {
            break;
        }
        end = nl;
    }
    if (lines.empty()) {
        return "nothing on stderr";
    }
    std::string text;
    for (std::string_view line : lines) {
        text += (text.empty() ? "" : " | ") + validUtf8(line.substr(0, 400));
    }
    return text;
}

std::string formatSeconds(double s) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", s);
    return buf;
}

// Where the runner was when something happened: the latest `stage` event and its deadline.
struct Stage {
    std::string name; // "" before the first stage event
    std::optional<long long> sizeIndex;
    double allowed_s = 0; // its deadline_s plus the client's slack
    Clock::time_point deadline;
    bool afterDone = false;

    void restart(double allowed) {
        allowed_s = allowed;
        deadline = Clock::now() +
                   std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(allowed));
    }
    std::string what() const {
        std::string s = "stage '" + name + "'";
        if (sizeIndex) {
            s += " (size " + std::to_string(*sizeIndex) + ")";
        }
        return s;
    }
    // "during stage 'check' (size 1)"
    std::string when() const {
        if (afterDone) {
            return "after its done event";
        }
        return name.empty() ? "before its first stage" : "during " + what();
    }
    std::string timeoutMessage() const {
        const std::string limit = formatSeconds(allowed_s) + " s";
        if (afterDone) {
            return "kf-runner did not exit within " + limit + " of its done event; killed";
        }
        if (name.empty()) {
            return "kf-runner did not start a stage within " + limit + "; killed";
        }
        return "kf-runner did not finish " + what() + " within " + limit + "; killed";
    }
};

std::string userHome() {
    if (const char* home = std::getenv("HOME"); home != nullptr && home[0] == '/') {
        return home;
    }
    const passwd* pw = ::getpwuid(::getuid());
    return pw != nullptr && pw->pw_dir != nullptr ? pw->pw_dir : "";
}

// The runner's real path when it can be found (PATH lookup for a bare name); "" otherwise.
std::string locateRunner(const std::string& runner) {
    std::error_code ec;
    if (runner.find('/') != std::string::npos) {
        return std::filesystem::exists(runner, ec) ? std::filesystem::absolute(runner, ec).string() : "";
    }
    const std::string found = proc::findProgram(runner);
    return found.empty() ? found : std::filesystem::absolute(found, ec).string();
}

// The CUDA toolkit kf-runner's nvcc driver will look for, and the library directories the loader searches.
std::vector<std::string> toolkitPaths() {
    std::vector<std::string> paths;
    for (const char* var : {"CUDA_HOME", "CUDA_PATH"}) {
        if (const char* v = std::getenv(var); v != nullptr && v[0] == '/') {
            paths.emplace_back(v);
        }
    }
    paths.emplace_back("/usr/local/cuda");
    if (const char* ld = std::getenv("LD_LIBRARY_PATH")) {
        std::string list = ld;
        std::size_t begin = 0;
        while (begin < list.size()) {
            std::size_t end = list.find(':', begin);
            end = end == std::string::npos ? list.size() : end;
            if (end > begin && list[begin] == '/') {
                paths.push_back(list.substr(begin, end - begin));
            }
            begin = end + 1;
        }
    }
    return paths;
}

} // namespace

RunnerClient::RunnerClient(RunnerClientOptions options)
    : m_options(std::move(options)) {}

bool RunnerClient::sandboxed() const {
    using Sandbox = RunnerClientOptions::Sandbox;
    if (m_options.ssh_host || m_options.sandbox == Sandbox::Off) {
        return false;
    }
    return m_options.sandbox == Sandbox::Required || sandboxAvailable();
}

std::vector<std::string> RunnerClient::commandLine() const {
    if (m_options.ssh_host) {
        // The remote command is one string for the remote shell. No agent or X11 forwarding: generated code
        // runs at the other end.
        return {"ssh",
                "-T",
                "-o",
                "BatchMode=yes",
                "-o",
                "ForwardAgent=no",
                "-o",
                "ForwardX11=no",
                "-o",
                "ClearAllForwardings=yes",
                "--",
                *m_options.ssh_host,
                m_options.runner};
    }
    if (!sandboxed()) {
        return {m_options.runner};
    }
    std::string runner = locateRunner(m_options.runner);
    SandboxOptions sandbox;
    sandbox.writable_paths = m_options.writable_paths;
    sandbox.readonly_paths = toolkitPaths();
    if (!runner.empty()) {
        sandbox.readonly_paths.insert(sandbox.readonly_paths.begin(),
                                      std::filesystem::path(runner).parent_path().string());
    } else {
        runner = m_options.runner; // run() reports it missing before starting anything
    }
    sandbox.user_home = userHome();
    sandbox.private_home = privateHome();
    return sandboxedArgv(sandbox, {runner});
}

json RunnerClient::run(const json& job, const EventSink& sink, const std::atomic<bool>* cancel) {
    using Sandbox = RunnerClientOptions::Sandbox;
    const auto started = Clock::now();
    m_lastStderr.clear();
    std::vector<std::string> reasons; // every error, the runner's and ours, for a synthesized done
    auto emitError = [&](const std::string& stage, const std::string& message) {
        reasons.push_back(message);
        sink(json{{"event", "error"}, {"stage", stage}, {"message", message}});
    };
    auto finishWithError = [&] {
        json done{{"event", "done"},
                  {"verdict", "error"},
                  {"speedup", nullptr},
                  {"reasons", reasons},
                  {"flags", json::array()},
                  {"seconds", std::chrono::duration<double>(Clock::now() - started).count()}};
        sink(done);
        return done;
    };

    if (m_options.ssh_host && m_options.sandbox == Sandbox::Required) {
        emitError("job",
                  "the sandbox is required, but a runner on " + *m_options.ssh_host +
                      " over ssh cannot be sandboxed from here; make the remote command sandbox itself "
                      "and turn the sandbox requirement off");
        return finishWithError();
    }
    std::string why;
    if (!m_options.ssh_host && m_options.sandbox == Sandbox::Required && !sandboxAvailable(&why)) {
        emitError("job", "the sandbox is required, but " + why);
        return finishWithError();
    }
    const bool inSandbox = sandboxed();
    if (inSandbox && locateRunner(m_options.runner).empty()) {
        // Said here as an unsandboxed start would say it, not as bwrap's exit status.
        emitError("job", "cannot start kf-runner: " + m_options.runner + ": No such file or directory");
        return finishWithError();
    }
    if (inSandbox) {
        for (const std::string& path : m_options.writable_paths) {
            std::error_code ec; // one that cannot be made is left out of the sandbox, and the runner says so
            std::filesystem::create_directories(path, ec);
        }
    }

    proc::Command cmd;
    cmd.argv = commandLine();
    cmd.env = runnerEnvironment(environ);
    if (const char* agent = std::getenv("SSH_AUTH_SOCK"); m_options.ssh_host && agent != nullptr) {
        cmd.env->push_back(std::string("SSH_AUTH_SOCK=") + agent); // ssh's own login; not forwarded
    }
    // Invalid UTF-8 in a candidate's source must not stop the job from being written.
    cmd.stdin_data = job.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
    std::string spawnError;
    std::unique_ptr<proc::Child> child = proc::Child::spawn(cmd, &spawnError);
    if (!child) {
        emitError("job", "cannot start kf-runner: " + spawnError);
        return finishWithError();
    }
    child->closeStdin(); // once the job is in

    Stage stage;
    stage.restart(m_options.default_stage_deadline_s + m_options.deadline_slack_s);
    std::optional<json> runnerDone;
    std::string pending; // stdout not yet ended by '\n'
    bool sawOutput = false;
    bool killed = false; // by us: what the runner writes afterwards is no longer listened to

    auto killFor = [&](const std::string& errorStage, const std::string& message) {
        child->kill(SIGKILL);
        killed = true;
        emitError(errorStage, message);
    };
    auto onLine = [&](std::string_view line) {
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            return; // blank lines carry nothing
        }
        json event = json::parse(line, nullptr, false);
        if (event.is_discarded() || !event.is_object() || !event.contains("event") ||
            !event["event"].is_string()) {
            killFor("crash", "kf-runner wrote a line that is not a JSON event " + stage.when() + ": " +
                                 quoteLine(line) + "; killed");
            return;
        }
        if (runnerDone) {
            killFor("crash",
                    "kf-runner wrote an event after its done event: " + quoteLine(line) + "; killed");
            return;
        }
        const std::string& kind = event["event"].get_ref<const std::string&>();
        if (kind == "done") {
            // Passed on once the process has exited cleanly, which it must do promptly.
            runnerDone = std::move(event);
            stage.afterDone = true;
            stage.restart(std::max(m_options.deadline_slack_s, kExitAfterDone_s));
            return;
        }
        if (kind == "stage") {
            stage.name = event.value("stage", std::string("?"));
            stage.sizeIndex.reset();
            if (auto it = event.find("size_index"); it != event.end() && it->is_number_integer()) {
                stage.sizeIndex = it->get<long long>();
            }
            double deadline = m_options.default_stage_deadline_s;
            if (auto it = event.find("deadline_s");
                it != event.end() && it->is_number() && it->get<double>() > 0) {
                deadline = it->get<double>();
            }
            stage.restart(deadline + m_options.deadline_slack_s);
        } else if (kind == "error") {
            reasons.push_back(event.value("message", std::string("kf-runner reported an error")));
        }
        sink(event);
    };
    auto consume = [&](std::string& out) {
        if (killed || out.empty()) {
            out.clear();
            return;
        }
        sawOutput = true;
        const std::size_t unscanned = pending.size(); // a long line is searched for its end only once
        pending += out;
        out.clear();
        std::size_t begin = 0;
        for (std::size_t nl;
             !killed && (nl = pending.find('\n', std::max(begin, unscanned))) != std::string::npos;
             begin = nl + 1) {
            onLine(std::string_view(pending).substr(begin, nl - begin));
        }
        pending.erase(0, begin);
        if (!killed && pending.size() > kMaxLine) {
            killFor("crash", "kf-runner wrote more than " + std::to_string(kMaxLine >> 20) +
                                 " MiB without ending the line " + stage.when() + ": " + quoteLine(pending) +
                                 "; killed");
        }
    };
    auto keepStderr = [&](std::string& err) {
        m_lastStderr += err;
        err.clear();
        if (m_lastStderr.size() > kStderrKept) {
            m_lastStderr.erase(0, m_lastStderr.size() - kStderrKept);
        }
    };

    // Cancel and deadlines are looked at every 20 ms while the output is read as it comes.
    std::string out, err;
    while (!child->poll()) {
        if (!killed && cancel != nullptr && cancel->load()) {
            killFor("cancelled", stage.name.empty() && !stage.afterDone
                                     ? "cancelled before kf-runner started a stage"
                                     : "cancelled " + stage.when());
        } else if (!killed && Clock::now() >= stage.deadline) {
            killFor("timeout", stage.timeoutMessage());
        }
        const bool open = child->read(milliseconds(20), out, err);
        keepStderr(err);
        consume(out);
        if (!open) {
            std::this_thread::sleep_for(milliseconds(5)); // both streams closed: only the exit is awaited
        }
    }
    proc::CommandResult exit = child->wait();
    keepStderr(exit.err);
    consume(exit.out);
    if (killed) {
        return finishWithError();
    }
    if (!pending.empty()) {
        emitError("crash",
                  "kf-runner's output ended inside a line " + stage.when() + ": " + quoteLine(pending));
    }
    // bubblewrap exits with 128 + n when the runner inside dies of signal n.
    int signal = exit.signal;
    if (signal == 0 && inSandbox && exit.exit_code > 128 && exit.exit_code < 128 + 65) {
        signal = exit.exit_code - 128;
    }
    const std::string tail = stderrTail(m_lastStderr);
    if (signal != 0) {
        emitError("crash",
                  "kf-runner was killed by " + proc::signalName(signal) + " " + stage.when() + ": " + tail);
    } else if (runnerDone && exit.exit_code != 0) {
        emitError("crash", "kf-runner exited with status " + std::to_string(exit.exit_code) +
                               " after its done event: " + tail);
    } else if (!runnerDone && !sawOutput) {
        emitError("crash", "kf-runner exited with status " + std::to_string(exit.exit_code) +
                               " without writing any event: " + tail);
    } else if (!runnerDone) {
        emitError("crash", "kf-runner exited with status " + std::to_string(exit.exit_code) + " " +
                               stage.when() + " without a done event: " + tail);
    }
    if (runnerDone && signal == 0 && exit.exit_code == 0 && pending.empty()) {
        sink(*runnerDone);
        return *runnerDone;
    }
    return finishWithError();
}

} // namespace kf::runner
