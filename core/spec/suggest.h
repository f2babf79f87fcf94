// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::spec {

// The candidate closest to `word` by edit distance, if it is close enough to be a plausible typo.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

// "; did you mean 'x'?" or "" — appended to "unknown ..." messages.
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates);

std::size_t editDistance(std::string_view a, std::string_view b);

} // namespace kf::spec
