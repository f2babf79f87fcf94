// SPDX-License-Identifier: MIT
#include "compiler_environment.h"

#include <algorithm>
#include <cctype>
#include <unistd.h>

extern char** environ; // NOLINT: POSIX declares it only in <unistd.h> with _GNU_SOURCE

namespace kf::gpu::compile {

bool isSecretVariable(std::string_view name) {
    std::string upper(name);
    std::transform(upper.begin(), upper.end(), upper.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    for (const std::string_view suffix : {"_API_KEY", "_TOKEN", "_SECRET", "_PASSWORD"}) {
        if (std::string_view(upper).ends_with(suffix)) {
            return true;
        }
    }
    return false;
}

std::vector<std::string> compilerEnvironment(const std::string& tmpdir) {
    std::vector<std::string> parent;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        parent.emplace_back(*e);
    }
    return compilerEnvironment(parent, tmpdir);
}

std::vector<std::string> compilerEnvironment(const std::vector<std::string>& parent,
                                             const std::string& tmpdir) {
    std::vector<std::string> out;
    for (const auto& entry : parent) {
        const auto name = std::string_view(entry).substr(0, entry.find('='));
        if (isSecretVariable(name) || name == "LC_ALL" || (!tmpdir.empty() && name == "TMPDIR")) {
            continue;
        }
        out.push_back(entry);
    }
    out.emplace_back("LC_ALL=C");
    if (!tmpdir.empty()) {
        out.push_back("TMPDIR=" + tmpdir);
    }
    return out;
}

} // namespace kf::gpu::compile
