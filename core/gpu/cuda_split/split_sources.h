// SPDX-License-Identifier: MIT
#pragma once
// Turns one CUDA translation unit into a host source for g++ and a device source for NVRTC. Both keep the
// input's line structure: same number of lines, untouched text at its line and column (removed text becomes
// spaces, every '\n' stays), so compiler diagnostics point into the user's file.

#include "gpu/cuda_split/source_outline.h"

#include <functional>
#include <string>
#include <string_view>

namespace kf::gpu::cuda_split {

// For g++: bodies of __global__ and __device__ functions become `{}`; each `K<<<C>>>(A)` becomes
// `::kf_rt::launcher(K, ::kf_rt::Config(C))(A)`; `static`, __launch_bounds__(...),
// __cluster_dims__(...) and __maxnreg__(...) are blanked in __global__ declarations (nvcc-only attributes).
std::string hostSource(std::string_view tu, const SourceOutline& outline);

// For NVRTC: host bodies become `{ kf_removed_host_body(); }` (constexpr ones and ones with a deduced return
// type stay) and their `__host__` is blanked (NVRTC rejects host functions; the caller compiles what is left
// with -default-device); a __global__ function that keep_kernel rejects becomes a declaration (`;`).
std::string deviceSource(std::string_view tu, const SourceOutline& outline,
                         const std::function<bool(const FunctionDef&)>& keep_kernel);

} // namespace kf::gpu::cuda_split
