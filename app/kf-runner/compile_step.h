// SPDX-License-Identifier: MIT
#pragma once

#include "runner/job.h"
#include "spec/launcher.h"

#include <future>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kf::runner_app {

// One role's shared object, built for the job's spec.
struct RoleBuild {
    spec::Role role = spec::Role::Candidate;
    bool ok = false;
    std::string so_path;
    std::string first_error; // the first error diagnostic, as "file:line:col: message"
    nlohmann::json event;    // the `compiled` event's fields
};

// Compiles the candidate (and for run jobs the reference and the spec's own baseline) in parallel, each with
// the call shim appended, for `arch` (which may come from a device query still running: what needs no arch
// starts at once). Results come back in the order candidate, reference, baseline.
std::vector<RoleBuild> compileForJob(const runner::Job& job, std::shared_future<std::string> arch,
                                     bool candidate_only);

// compileForJob on a thread of its own, started before the device is queried: the job's options.arch, else
// the arch that `device_arch` delivers ("" without a GPU: the compile then fails at once, and the job says
// why).
std::future<std::vector<RoleBuild>> startCompile(const runner::Job& job,
                                                 std::shared_future<std::string> device_arch);

} // namespace kf::runner_app
