// SPDX-License-Identifier: MIT
#include "source_column.h"

#include <cctype>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace kf::gpu::compile {
namespace {

bool isIdent(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}
bool isSpace(char c) {
    return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// A character that survives preprocessing, with its byte offset in the line.
struct Significant {
    char c;
    std::size_t pos;
};

// Whitespace and comments are dropped outside string and character literals, kept inside them.
std::vector<Significant> significantChars(std::string_view s) {
    std::vector<Significant> out;
    char quote = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quote != 0) {
            out.push_back({c, i});
            if (c == '\\' && i + 1 < s.size()) {
                ++i;
                out.push_back({s[i], i});
            } else if (c == quote) {
                quote = 0;
            }
            continue;
        }
        if (isSpace(c)) {
            continue;
        }
        if (c == '/' && i + 1 < s.size() && s[i + 1] == '/') {
            break;
        }
        if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
            const auto end = s.find("*/", i + 2);
            if (end == std::string_view::npos) {
                break;
            }
            i = end + 1;
            continue;
        }
        // A quote right after a digit or letter is a digit separator (1'000) or a prefix's end (u8'x'
        // starts a literal, but then the quote follows a letter too: treating both alike keeps it simple).
        if (c == '"' || (c == '\'' && (out.empty() || !isIdent(s[i - 1])))) {
            quote = c;
        }
        out.push_back({c, i});
    }
    return out;
}

std::size_t firstAtOrAfter(const std::vector<Significant>& sig, std::size_t pos) {
    std::size_t k = 0;
    while (k < sig.size() && sig[k].pos < pos) {
        ++k;
    }
    return k;
}

// The token under the caret, searched in the original as a whole word; of several, the one whose place among
// the significant characters is nearest the caret's.
int columnOfToken(std::string_view printed, std::size_t caret, std::size_t caret_index,
                  const std::vector<Significant>& original_sig, std::string_view original) {
    std::size_t len = 1;
    if (isIdent(printed[caret])) {
        while (caret + len < printed.size() && isIdent(printed[caret + len])) {
            ++len;
        }
    }
    const auto token = printed.substr(caret, len);
    const bool word = isIdent(token.front());
    int best = 0;
    auto best_distance = std::numeric_limits<long>::max();
    for (std::size_t k = 0; k < original_sig.size(); ++k) {
        const std::size_t p = original_sig[k].pos;
        if (original.substr(p, len) != token) {
            continue;
        }
        if (word && ((p > 0 && isIdent(original[p - 1])) ||
                     (p + len < original.size() && isIdent(original[p + len])))) {
            continue;
        }
        const long distance = std::labs(static_cast<long>(k) - static_cast<long>(caret_index));
        if (distance < best_distance) {
            best_distance = distance;
            best = static_cast<int>(p) + 1;
        }
    }
    return best;
}

} // namespace

int caretColumn(std::string_view printed, std::size_t caret, std::string_view original) {
    const int fallback = static_cast<int>(caret) + 1;
    if (original.empty() || caret >= printed.size()) {
        return fallback;
    }
    const auto printed_sig = significantChars(printed);
    const auto original_sig = significantChars(original);
    const std::size_t k = firstAtOrAfter(printed_sig, caret);
    if (k >= printed_sig.size()) {
        return fallback;
    }
    bool same = k < original_sig.size();
    for (std::size_t i = 0; same && i <= k; ++i) {
        same = printed_sig[i].c == original_sig[i].c;
    }
    if (same) {
        return static_cast<int>(original_sig[k].pos) + 1;
    }
    const int by_token = columnOfToken(printed, printed_sig[k].pos, k, original_sig, original);
    return by_token > 0 ? by_token : fallback;
}

int plausibleColumn(int col, std::string_view original) {
    if (col < 1 || static_cast<std::size_t>(col) > original.size()) {
        return 0;
    }
    return isSpace(original[static_cast<std::size_t>(col) - 1]) ? 0 : col;
}

} // namespace kf::gpu::compile
