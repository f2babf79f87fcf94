// SPDX-License-Identifier: MIT
#include "find_program.h"

#include <cstdlib>
#include <sys/stat.h>
#include <unistd.h>

namespace kf::proc {
namespace {

bool executableFile(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

} // namespace

std::string findProgram(std::string_view name) {
    const char* path = std::getenv("PATH");
    return findProgram(name, path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
}

std::string findProgram(std::string_view name, std::string_view search_path) {
    if (name.empty()) {
        return {};
    }
    if (name.find('/') != std::string_view::npos) {
        return executableFile(std::string(name)) ? std::string(name) : std::string();
    }
    std::size_t begin = 0;
    while (begin <= search_path.size()) {
        std::size_t end = search_path.find(':', begin);
        if (end == std::string_view::npos) {
            end = search_path.size();
        }
        const std::string dir(end > begin ? search_path.substr(begin, end - begin) : ".");
        const std::string candidate = dir + "/" + std::string(name);
        if (executableFile(candidate)) {
            return candidate;
        }
        begin = end + 1;
    }
    return {};
}

} // namespace kf::proc
