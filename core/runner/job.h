// SPDX-License-Identifier: MIT
#pragma once

#include "spec/spec.h"
#include "stats.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>

namespace kf::runner {

inline constexpr const char* kJobFormat = "kernelforge.job/1";

enum class JobKind { Run, Compile, Calibrate };
std::string_view jobKindName(JobKind k);

enum class TimingMode { Cold, Hot };

// docs/runner-protocol.md, "Job". Unset optionals take the runner's defaults.
struct JobOptions {
    Budget budget = Budget::Interactive;
    TimingMode mode = TimingMode::Cold;
    std::string arch;                     // "sm_90a"; empty: the device's
    std::optional<std::uint64_t> seed;    // reproducible inputs; default fresh random seeds
    std::optional<std::string> cache_dir; // "" disables the compile cache
    std::string nvcc;                     // empty: search
    nlohmann::json ceilings;              // null or a `ceilings` event
    bool time_baseline = true;
    std::optional<int> samples; // a fixed sample count instead of the adaptive stop
};

struct Job {
    JobKind kind = JobKind::Run;
    std::optional<spec::Spec> spec; // run and compile
    std::string candidate_name;     // "softmax.cu"
    std::string candidate_source;
    JobOptions options;
};

// Thrown by jobFromJson with the JSON path of the offending value ("options.budget").
class JobError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

nlohmann::ordered_json jobToJson(const Job& job);
Job jobFromJson(const nlohmann::json& j);

} // namespace kf::runner
