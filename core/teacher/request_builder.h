// SPDX-License-Identifier: MIT
#pragma once

#include "conversation.h"
#include "http_stream.h"
#include "teacher_settings.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace kf::teacher {

// What GET /v1/models/{id} says about a model (Anthropic). Unknown when the call failed: the builder then
// chooses from the settings alone.
struct ModelCapabilities {
    bool known = false;
    bool adaptive = false; // thinking.type "adaptive" accepted
    bool enabled = false;  // thinking.type "enabled" (manual budget) accepted
    int64_t max_tokens = 0;
    std::vector<std::string> efforts;
};

ModelCapabilities parseModelCapabilities(const nlohmann::json& model_info);
HttpRequest capabilitiesRequest(const TeacherSettings& s);

// The streaming request for the next assistant turn of `c`. Throws std::invalid_argument with a message a
// person can act on when the settings cannot work with the model (a budget on an adaptive-only model...).
HttpRequest buildRequest(const TeacherSettings& s, const ModelCapabilities& caps, const Conversation& c);

// `url` without any user:password@ part, for messages, transcripts and the dataset.
std::string redactUrl(const std::string& url);

// Headers with key-bearing values replaced by "<redacted>", for transcripts and logs.
std::vector<std::pair<std::string, std::string>>
redactHeaders(const std::vector<std::pair<std::string, std::string>>& h);

} // namespace kf::teacher
