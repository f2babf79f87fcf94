// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace kf::proc {

// The executable regular file `name` would run as, looked up as execvp does: a name with a '/' is taken as it
// is (when it exists); otherwise each directory of `search_path` in turn (an empty entry is "."). "" when
// none. search_path defaults to $PATH, else "/usr/local/bin:/usr/bin:/bin".
std::string findProgram(std::string_view name);
std::string findProgram(std::string_view name, std::string_view search_path);

} // namespace kf::proc
