// SPDX-License-Identifier: MIT
#pragma once

#include "spec/spec_loader.h"
#include "spec/target_gpu.h"

#include <memory>
#include <optional>
#include <string>

namespace kf::cli {

// Loads a spec for commands that need a valid one: prints its diagnostics to stderr and returns nullptr,
// with a line saying what to run, if it has errors.
std::unique_ptr<spec::LoadedSpec> loadValidSpec(const std::string& path);

// The --gpu target; prints the known keys and returns nullopt when `key` is unknown.
std::optional<spec::TargetGpu> targetGpuOrComplain(const std::string& key);

} // namespace kf::cli
