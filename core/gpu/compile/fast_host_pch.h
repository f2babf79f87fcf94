// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace kf::gpu::compile {

// The fast build's host pass spends most of its time parsing the same headers (cuda_runtime.h, cuda_fp16.h,
// cuda_bf16.h and the kf_rt runtime). A precompiled header of them, made once for a toolkit beside kf-runner
// (kf-runner --prepare-host-pch DIR, run by the build), cuts that to a load. g++ checks the PCH against the
// compile's flags and falls back to the header's text when they differ, so the PCH never changes what is
// built, only how fast.

// g++'s flags for the host pass, the same for the PCH and for each compile.
std::vector<std::string> fastHostFlags(const std::string& cuda_root);

// Writes DIR/kf_host_prelude.h (the runtime and the spec prelude's headers), its .gch (g++) and a stamp
// naming the toolkit. Returns "" or what went wrong.
std::string prepareHostPch(const std::string& dir, const std::string& nvcc);

// DIR/kf_host_prelude.h when DIR holds one made for this toolkit (its root and nvcc version); "" otherwise.
std::string usableHostPch(const std::string& dir, const std::string& cuda_root,
                          const std::string& nvcc_version);

} // namespace kf::gpu::compile
