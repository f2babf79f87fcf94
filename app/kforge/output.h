// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace kf::cli {

// Writes `text` to stdout and returns `status`, or 1 with a message on stderr if the write fails (full disk,
// closed pipe), so that `kforge spec json F > out.json` never reports success over a truncated file.
int writeStdout(std::string_view text, int status);

} // namespace kf::cli

#include <string>

namespace kf::cli {

// Writes `text` to `path` through a temporary file in the same directory and a rename, so a reader sees the
// old file or the whole new one, never a part. Returns "" or what went wrong.
std::string writeFileAtomically(const std::string& path, std::string_view text);

} // namespace kf::cli
