// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>

namespace kf::proc::detail {

// Moves `chunk` onto the end of `dst` up to `max` bytes in all; what does not fit is dropped and flagged.
inline void appendBounded(std::string& dst, std::string& chunk, std::size_t max, bool& truncated) {
    if (dst.size() < max) {
        const std::size_t room = max - dst.size();
        if (chunk.size() > room) {
            truncated = true;
        }
        dst.append(chunk, 0, chunk.size() < room ? chunk.size() : room);
    } else if (!chunk.empty()) {
        truncated = true;
    }
    chunk.clear();
}

} // namespace kf::proc::detail
