// SPDX-License-Identifier: MIT
#pragma once

namespace kf::runner_app {

inline constexpr const char* kRunnerVersion = "0.1.0";
// Bumped whenever checking or timing changes in a way that makes results incomparable with older runs.
inline constexpr const char* kHarnessVersion = "1";

} // namespace kf::runner_app
