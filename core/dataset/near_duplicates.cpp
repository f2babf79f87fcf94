// SPDX-License-Identifier: MIT
#include "near_duplicates.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <string_view>

namespace kf::dataset {
namespace {

// Identifiers/numbers are one token each, every other non-space character is its own token.
std::vector<std::string_view> tokens(const std::string& normalized) {
    std::vector<std::string_view> out;
    const auto word = [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    };
    for (std::size_t i = 0; i < normalized.size();) {
        const char c = normalized[i];
        if (c == ' ') {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        if (word(c)) {
            while (j < normalized.size() && word(normalized[j])) {
                ++j;
            }
        }
        out.emplace_back(normalized.data() + i, j - i);
        i = j;
    }
    return out;
}

// Sorted, unique hashes of every run of 4 consecutive tokens (a source shorter than that is one shingle).
std::vector<std::size_t> shingles(const std::string& source) {
    const std::string normalized = normalizedSource(source);
    const auto t = tokens(normalized);
    constexpr std::size_t k = 4;
    std::vector<std::size_t> out;
    const std::hash<std::string_view> h;
    const std::size_t count = t.size() < k ? (t.empty() ? 0 : 1) : t.size() - k + 1;
    for (std::size_t i = 0; i < count; ++i) {
        std::size_t v = 0;
        for (std::size_t j = i; j < std::min(i + k, t.size()); ++j) {
            v = v * 1000003u ^ h(t[j]);
        }
        out.push_back(v);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

double jaccard(const std::vector<std::size_t>& a, const std::vector<std::size_t>& b) {
    if (a.empty() && b.empty()) {
        return 1.0;
    }
    std::size_t common = 0;
    for (std::size_t i = 0, j = 0; i < a.size() && j < b.size();) {
        if (a[i] == b[j]) {
            ++common;
            ++i;
            ++j;
        } else if (a[i] < b[j]) {
            ++i;
        } else {
            ++j;
        }
    }
    return static_cast<double>(common) / static_cast<double>(a.size() + b.size() - common);
}

} // namespace

double sourceSimilarity(const std::string& a, const std::string& b) {
    return jaccard(shingles(a), shingles(b));
}

std::vector<NearDuplicate> nearDuplicates(const Store& store, const std::string& spec_hash,
                                          const std::string& source, double threshold,
                                          std::optional<int64_t> exclude) {
    const auto mine = shingles(source);
    std::vector<NearDuplicate> out;
    for (auto& k : store.kernelsForSpec(spec_hash)) {
        if (exclude && k.id == *exclude) {
            continue;
        }
        const double s = jaccard(mine, shingles(k.source));
        if (s >= threshold) {
            out.push_back({std::move(k), s});
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& x, const auto& y) { return x.similarity > y.similarity; });
    return out;
}

} // namespace kf::dataset
