// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace kf::teacher::test {

// Well-formed response bodies in each protocol, for end-to-end tests that need an answer with a kernel in it
// (the recorded fixtures have none). `chunk` splits the texts into deltas of that many bytes.
std::string anthropicStream(const std::string& thinking, const std::string& answer, std::size_t chunk = 40);
std::string openaiStream(const std::string& reasoning, const std::string& answer, std::size_t chunk = 40);
std::string ollamaStream(const std::string& thinking, const std::string& answer, std::size_t chunk = 40);

} // namespace kf::teacher::test
