// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace kf::runner {

struct RunnerClientOptions {
    std::string runner = "kf-runner";    // path of the executable (local) or remote command line (ssh)
    std::optional<std::string> ssh_host; // run `ssh -T -o BatchMode=yes HOST <runner>` instead
    enum class Sandbox { Auto, Off, Required } sandbox = Sandbox::Auto; // Auto: bubblewrap when available
    std::vector<std::string>
        writable_paths;            // bound read-write in the sandbox (compile cache); created if missing
    double deadline_slack_s = 5.0; // client kills this long after a stage's own deadline
    double default_stage_deadline_s = 120; // before the first `stage` event / when one has no deadline_s
};

using EventSink = std::function<void(const nlohmann::json& event)>;

// Runs kf-runner jobs (docs/runner-protocol.md), one fresh process per job, and guarantees the consumer a
// well-formed stream whatever the process does: every fault (crash, hang, garbage, silence, cancel) becomes
// an `error` event, and a `done` event always comes last.
//
// The process gets runnerEnvironment() (an allowlist: no API keys) and, locally, runs inside bubblewrap
// when the options ask for it and the host allows it (see sandbox.h). Over ssh the remote host is
// responsible for its own sandbox; Sandbox::Required then refuses to run.
class RunnerClient {
public:
    explicit RunnerClient(RunnerClientOptions options);

    // Runs one job in a fresh kf-runner process. Every event line kf-runner writes is parsed and passed to
    // `sink` as it arrives (a partial last line is kept until complete). Returns the final `done` event (also
    // passed to sink). Never throws for runner faults; it synthesizes `error` events (stage timeout, crash,
    // cancelled or job) and ends with {"event":"done","verdict":"error","reasons":[...]}. A `done` from the
    // runner is passed on once the process has exited with status 0; an exit that is not clean after it
    // turns the verdict into an error. The process is always reaped before run() returns.
    nlohmann::json run(const nlohmann::json& job, const EventSink& sink,
                       const std::atomic<bool>* cancel = nullptr);

    // stderr of the last run's process (its last 64 KiB).
    const std::string& lastStderr() const { return m_lastStderr; }

    // What run() executes (for --verbose and tests): bwrap's argv around the runner when sandboxed, ssh's
    // around the remote command.
    std::vector<std::string> commandLine() const;

    // Whether run() wraps the runner in bubblewrap (never over ssh).
    bool sandboxed() const;

private:
    RunnerClientOptions m_options;
    std::string m_lastStderr;
};

} // namespace kf::runner
