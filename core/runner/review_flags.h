// SPDX-License-Identifier: MIT
#pragma once

#include "spec/spec.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kf::runner {

// Flags for results a reviewer must look at, never failures (measurement.md 4, last row): an implausible
// speedup over the baseline ("speedup>10x") and a result above 95 % of a measured roof (">95%-of-roof:dram",
// ">95%-of-roof:fp32_tflops", ...). `ceilings` is a `ceilings` event of the same GPU, or null.
std::vector<std::string> reviewFlags(const spec::Spec& spec, const spec::SizeCase& size, double median_us,
                                     double speedup, const nlohmann::json& ceilings);

} // namespace kf::runner
