// SPDX-License-Identifier: MIT
#pragma once

#include "spec.h"

#include <string>
#include <string_view>

namespace kf::spec {

// The three entry points that share the launcher ABI of DESIGN.md.
enum class Role { Candidate, Reference, Baseline };

std::string_view roleSymbol(Role role); // kf_launch, kf_reference, kf_baseline

// "const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream"
std::string launcherArgs(const Spec& spec);

// extern "C" void kf_launch(const float* x, ..., cudaStream_t stream);
std::string launcherPrototype(const Spec& spec, Role role = Role::Candidate);

// The includes every translation unit is compiled after (candidate, reference and baseline alike).
std::string_view translationUnitPrelude();

// Prelude + the role's prototype + `#line 1 "<source_name>"` + source. The declaration turns an ABI mismatch
// into a compile error; the #line directive makes compiler diagnostics point into the user's own file.
std::string translationUnit(const Spec& spec, Role role, std::string_view source, std::string_view source_name);

} // namespace kf::spec
