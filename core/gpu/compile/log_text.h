// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kf::gpu::compile {

// Valid UTF-8: every byte that does not start or continue a well-formed sequence becomes U+FFFD. Compiler
// output quotes the user's source, which may be Latin-1, and JSON (the protocol, the cache) takes UTF-8 only.
std::string validUtf8(std::string_view text);

// At most about `limit` bytes: the head (three quarters) and the tail, joined by a line saying how much was
// cut. Cuts at line ends where it can. Template errors can run to megabytes; the first and last lines matter.
std::string boundedLog(std::string_view text, std::size_t limit = 256u << 10);

} // namespace kf::gpu::compile
