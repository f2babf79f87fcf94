// SPDX-License-Identifier: MIT
#pragma once

#include "stream_decoder.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace kf::teacher {

// Which teacher to ask and how. The API key is held only to build request headers: it never reaches a log,
// a transcript, an error message or the runner (redactHeaders).
struct TeacherSettings {
    Provider provider = Provider::Anthropic;
    std::string model;
    std::string base_url; // without the API path: https://api.anthropic.com, http://host:8000/v1
    std::string api_key;
    std::string effort;        // adaptive thinking effort (low, medium, high, xhigh, max) or reasoning effort
    int64_t budget_tokens = 0; // > 0: manual thinking with this budget (Anthropic "enabled")
    int64_t max_tokens = 32000;
    bool show_thinking = true; // ask for summarized thinking so the reasoning can be shown
};

using Environment = std::function<std::optional<std::string>(const std::string&)>;
Environment processEnvironment();

// Fills base_url and api_key from the DESIGN.md variables (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL,
// OPENAI_API_KEY, OPENAI_BASE_URL, OLLAMA_HOST) where the settings leave them empty, and the default model.
void applyEnvironment(TeacherSettings& s, const Environment& env);

// "" when the settings can be used; otherwise what to fix (no key, no model, effort and budget both set...).
std::string validateSettings(const TeacherSettings& s);

} // namespace kf::teacher
