// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kf::text {

// The lines of `text`, split at '\n' (a trailing "\r" is kept out of the line). A final line without '\n'
// counts; an empty text has no lines, and a text ending in '\n' has no empty last line.
std::vector<std::string> splitLines(std::string_view text);

enum class DiffOp { Equal, Deleted, Inserted };

// One line of a unified diff. Line numbers are 1-based; 0 where the line is not in that version (an inserted
// line has no old line, a deleted one no new line).
struct DiffLine {
    DiffOp op = DiffOp::Equal;
    int old_line = 0;
    int new_line = 0;
    std::string text;
    bool operator==(const DiffLine&) const = default;
};

// A shortest edit script from `old_lines` to `new_lines` (Myers' O(ND) algorithm), as every line of both
// versions in unified order: within a changed region the deleted lines come before the inserted ones. Past
// 2000 differing lines the changed middle is given as deleted then inserted (bounded time and memory).
std::vector<DiffLine> diffLines(const std::vector<std::string>& old_lines,
                                const std::vector<std::string>& new_lines);
std::vector<DiffLine> diffText(std::string_view old_text, std::string_view new_text);

struct DiffStats {
    int inserted = 0;
    int deleted = 0;
    int equal = 0;
};
DiffStats diffStats(const std::vector<DiffLine>& diff);

} // namespace kf::text
