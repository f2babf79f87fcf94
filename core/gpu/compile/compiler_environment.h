// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// True for variables that hold credentials: names ending in _API_KEY, _TOKEN, _SECRET or _PASSWORD (any
// case).
bool isSecretVariable(std::string_view name);

// The environment nvcc runs with: the parent's ("KEY=VALUE" entries, environ by default) less every secret,
// with LC_ALL=C so that gcc writes its messages in English with ASCII quotes (what the parser reads), and
// TMPDIR=tmpdir (when given) so nvcc's intermediate files stay in the compile's private directory.
std::vector<std::string> compilerEnvironment(const std::string& tmpdir = {});
std::vector<std::string> compilerEnvironment(const std::vector<std::string>& parent,
                                             const std::string& tmpdir);

} // namespace kf::gpu::compile
