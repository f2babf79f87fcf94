// SPDX-License-Identifier: MIT
#pragma once

#include "job.h"
#include "runner_client.h"

#include <optional>
#include <string>
#include <string_view>

namespace kf::runner {

// Preparing a job and a client the way `kforge run` does, shared by the CLI and the workbench.

// kf-runner: `explicit_path` when given, then $KF_RUNNER, beside the running executable (an install), in the
// build tree's app/kf-runner, then the bare name (found on PATH).
std::string findRunner(const std::string& explicit_path = {});

// Where and how kf-runner runs.
struct RunnerPlacement {
    std::string runner;   // the executable (local) or the remote command (ssh); "" finds it (findRunner)
    std::string ssh_host; // "" runs locally
    bool no_sandbox = false;
};

// The client for `job`: the job's compile cache is bound writable into the sandbox.
RunnerClientOptions clientOptionsFor(const Job& job, const RunnerPlacement& where);

// Gives the job the default compile cache (created if missing) unless it names one ("" disables it).
// The cache lives outside the sandbox's private /tmp, so it outlasts a run.
void useDefaultCompileCache(Job& job);

// Sends the stored ceilings along with the job (`options.ceilings`): the GPU a run lands on is not known
// before it starts, so with one calibrated device (the usual case) its profile goes, and kf-runner uses it
// only on a device of the same name. `dir` is a CeilingsStore directory.
void attachStoredCeilings(Job& job, const std::string& dir);

// A run or compile job from a spec's YAML text and a kernel's source: the spec must be valid. nullopt with
// the spec's diagnostics (one a line, "file:line:col: error: ...") in `error` otherwise.
std::optional<Job> jobFromSpecText(JobKind kind, std::string_view spec_yaml, const std::string& spec_file,
                                   const std::string& kernel_name, std::string kernel_source,
                                   const JobOptions& options, std::string* error);

} // namespace kf::runner
