// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kf::gpu::compile {

// NVRTC has no C++ standard library. The fast build's device pass gives it these in place of the standard
// headers a kernel file may include: device-usable parts from libcu++ (cuda/std), the macros nvcc's host
// headers would define, and nothing for host-only headers (host bodies are cut from the device pass).
const std::vector<std::pair<std::string, std::string>>& nvrtcStandardHeaders();

// Put in front of the device pass: what cuda_split's removed host bodies call.
std::string nvrtcPrelude();

} // namespace kf::gpu::compile
