// SPDX-License-Identifier: MIT
#include "output.h"

#include "io/atomic_file.h"

#include <cerrno>
#include <cstring>
#include <iostream>
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

std::string writeFileAtomically(const std::string& path, std::string_view text) {
    try {
        io::writeFileAtomically(path, text);
        return {};
    } catch (const io::FileError& e) {
        return e.what();
    }
}

} // namespace kf::cli
