// SPDX-License-Identifier: MIT
#pragma once

#include "runner/job.h"
#include "spec/launcher.h"

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
// the call shim appended, for `arch`. Results come back in the order candidate, reference, baseline.
std::vector<RoleBuild> compileForJob(const runner::Job& job, const std::string& arch, bool candidate_only);

} // namespace kf::runner_app
