// SPDX-License-Identifier: MIT
#include "text/line_diff.h"

#include <algorithm>
#include <cstddef>

namespace kf::text {
namespace {

using Lines = std::vector<std::string>;

// Past this many differing lines the middle is shown as replaced as a whole: the search's memory grows with
// the square of the edit distance, and a diff that large reads as "rewritten" anyway.
constexpr long kMaxEdits = 2000;

// Myers' greedy forward search on a[a0, a0 + n) and b[b0, b0 + m), keeping each round's frontier (diagonals
// -d..d only) so that the path can be walked back. Returns the ops of that middle part, in order.
std::vector<DiffOp> myersOps(const Lines& a, std::size_t a0, std::size_t n, const Lines& b, std::size_t b0,
                             std::size_t m) {
    const long max = static_cast<long>(n + m);
    const long offset = max + 1;
    std::vector<long> v(static_cast<std::size_t>(2 * max + 3), 0);
    std::vector<std::vector<long>> trace; // trace[d][k + d]: the frontier before round d
    const auto at = [&](long k) -> long& { return v[static_cast<std::size_t>(k + offset)]; };
    const auto equal = [&](long x, long y) {
        return a[a0 + static_cast<std::size_t>(x)] == b[b0 + static_cast<std::size_t>(y)];
    };
    long found_d = -1;
    for (long d = 0; d <= max && found_d < 0; ++d) {
        if (d > kMaxEdits) {
            std::vector<DiffOp> replaced(n, DiffOp::Deleted);
            replaced.insert(replaced.end(), m, DiffOp::Inserted);
            return replaced;
        }
        trace.emplace_back(v.begin() + (offset - d), v.begin() + (offset + d + 1));
        for (long k = -d; k <= d; k += 2) {
            long x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
            long y = x - k;
            while (x < static_cast<long>(n) && y < static_cast<long>(m) && equal(x, y)) {
                ++x;
                ++y;
            }
            at(k) = x;
            if (x >= static_cast<long>(n) && y >= static_cast<long>(m)) {
                found_d = d;
                break;
            }
        }
    }
    // Walk back from (n, m) through the recorded frontiers.
    std::vector<DiffOp> reversed;
    long x = static_cast<long>(n);
    long y = static_cast<long>(m);
    for (long d = found_d; d > 0; --d) {
        const auto& pv = trace[static_cast<std::size_t>(d)];
        const auto prev = [&](long k) { return pv[static_cast<std::size_t>(k + d)]; };
        const long k = x - y;
        const bool down = k == -d || (k != d && prev(k - 1) < prev(k + 1));
        const long prev_k = down ? k + 1 : k - 1;
        const long prev_x = prev(prev_k);
        const long prev_y = prev_x - prev_k;
        while (x > prev_x && y > prev_y) {
            reversed.push_back(DiffOp::Equal);
            --x;
            --y;
        }
        reversed.push_back(down ? DiffOp::Inserted : DiffOp::Deleted);
        x = prev_x;
        y = prev_y;
    }
    while (x > 0 && y > 0) {
        reversed.push_back(DiffOp::Equal);
        --x;
        --y;
    }
    return {reversed.rbegin(), reversed.rend()};
}

} // namespace

std::vector<std::string> splitLines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = text.find('\n', start);
        std::string_view line = text.substr(start, end == std::string_view::npos ? end : end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        lines.emplace_back(line);
        if (end == std::string_view::npos) {
            break;
        }
        start = end + 1;
    }
    return lines;
}

std::vector<DiffLine> diffLines(const Lines& old_lines, const Lines& new_lines) {
    // Common prefix and suffix first: an edit to a kernel touches a few lines, and Myers then works on those
    // only.
    std::size_t prefix = 0;
    while (prefix < old_lines.size() && prefix < new_lines.size() && old_lines[prefix] == new_lines[prefix]) {
        ++prefix;
    }
    std::size_t suffix = 0;
    while (suffix < old_lines.size() - prefix && suffix < new_lines.size() - prefix &&
           old_lines[old_lines.size() - 1 - suffix] == new_lines[new_lines.size() - 1 - suffix]) {
        ++suffix;
    }
    std::vector<DiffOp> ops(prefix, DiffOp::Equal);
    const auto middle = myersOps(old_lines, prefix, old_lines.size() - prefix - suffix, new_lines, prefix,
                                 new_lines.size() - prefix - suffix);
    ops.insert(ops.end(), middle.begin(), middle.end());
    ops.insert(ops.end(), suffix, DiffOp::Equal);

    // Within each changed run, deleted lines before inserted ones: how unified diffs read.
    for (auto it = ops.begin(); it != ops.end();) {
        if (*it == DiffOp::Equal) {
            ++it;
            continue;
        }
        const auto run_end = std::find(it, ops.end(), DiffOp::Equal);
        std::stable_partition(it, run_end, [](DiffOp op) { return op == DiffOp::Deleted; });
        it = run_end;
    }

    std::vector<DiffLine> out;
    out.reserve(ops.size());
    std::size_t i = 0;
    std::size_t j = 0;
    for (const DiffOp op : ops) {
        switch (op) {
        case DiffOp::Equal:
            out.push_back({op, static_cast<int>(i + 1), static_cast<int>(j + 1), old_lines[i]});
            ++i;
            ++j;
            break;
        case DiffOp::Deleted:
            out.push_back({op, static_cast<int>(i + 1), 0, old_lines[i]});
            ++i;
            break;
        case DiffOp::Inserted:
            out.push_back({op, 0, static_cast<int>(j + 1), new_lines[j]});
            ++j;
            break;
        }
    }
    return out;
}

std::vector<DiffLine> diffText(std::string_view old_text, std::string_view new_text) {
    return diffLines(splitLines(old_text), splitLines(new_text));
}

DiffStats diffStats(const std::vector<DiffLine>& diff) {
    DiffStats stats;
    for (const auto& line : diff) {
        switch (line.op) {
        case DiffOp::Equal:
            ++stats.equal;
            break;
        case DiffOp::Deleted:
            ++stats.deleted;
            break;
        case DiffOp::Inserted:
            ++stats.inserted;
            break;
        }
    }
    return stats;
}

} // namespace kf::text
