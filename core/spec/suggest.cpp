// SPDX-License-Identifier: MIT
#include "suggest.h"

#include <algorithm>
#include <cctype>
#include <numeric>

namespace kf::spec {

// Optimal string alignment distance (Levenshtein plus adjacent transposition: "tilte" -> "title" is 1).
std::size_t editDistance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) {
        d[i][0] = i;
    }
    std::iota(d[0].begin(), d[0].end(), std::size_t{0});
    for (std::size_t i = 1; i <= n; ++i) {
        for (std::size_t j = 1; j <= m; ++j) {
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (same ? 0 : 1)});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
            }
        }
    }
    return d[n][m];
}

std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates) {
    std::optional<std::string> best;
    std::size_t best_distance = 0;
    for (const auto& c : candidates) {
        const auto dist = editDistance(word, c);
        if (!best || dist < best_distance) {
            best = c;
            best_distance = dist;
        }
    }
    // A third of the longer word, at least 1 and at most 3 edits: "colz" -> "cols", but not "foo" -> "id".
    const std::size_t limit = std::clamp<std::size_t>(std::max(word.size(), best ? best->size() : 0) / 3, 1, 3);
    if (best && best_distance <= limit && best_distance < word.size()) {
        return best;
    }
    return std::nullopt;
}

std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates) {
    const auto match = closestMatch(word, candidates);
    return match ? "; did you mean '" + *match + "'?" : std::string();
}

} // namespace kf::spec
