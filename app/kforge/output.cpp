// SPDX-License-Identifier: MIT
#include "output.h"

#include <cerrno>
#include <cstring>
#include <iostream>
#include <sys/stat.h>
#include <unistd.h>

namespace kf::cli {

int writeStdout(std::string_view text, int status) {
    std::cout.flush();
    while (!text.empty()) {
        const auto n = ::write(STDOUT_FILENO, text.data(), text.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            std::cerr << "kforge: cannot write output: " << std::strerror(n < 0 ? errno : EIO) << '\n';
            return 1;
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    return status;
}

} // namespace kf::cli

#include <cstdio>
#include <fcntl.h>
#include <filesystem>

namespace kf::cli {

std::string writeFileAtomically(const std::string& path, std::string_view text) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const auto dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmpl = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
    const int fd = ::mkstemp(tmpl.data());
    if (fd < 0) {
        return "cannot create a file in " + dir.string() + ": " + std::strerror(errno);
    }
    const auto fail = [&](const char* what) {
        const std::string message = std::string(what) + " " + path + ": " + std::strerror(errno);
        ::close(fd);
        ::unlink(tmpl.c_str());
        return message;
    };
    while (!text.empty()) {
        const auto n = ::write(fd, text.data(), text.size());
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return fail("cannot write");
        }
        text.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) {
        return fail("cannot write");
    }
    if (::close(fd) != 0) {
        ::unlink(tmpl.c_str());
        return "cannot write " + path + ": " + std::strerror(errno);
    }
    if (std::rename(tmpl.c_str(), path.c_str()) != 0) {
        const std::string message = "cannot replace " + path + ": " + std::strerror(errno);
        ::unlink(tmpl.c_str());
        return message;
    }
    return {};
}

} // namespace kf::cli
