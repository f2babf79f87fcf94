// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace kf::cli {

// Writes `text` to stdout and returns `status`, or 1 with a message on stderr if the write fails (full disk,
// closed pipe), so that `kforge spec json F > out.json` never reports success over a truncated file.
int writeStdout(std::string_view text, int status);

} // namespace kf::cli
