// SPDX-License-Identifier: MIT
#pragma once

#include "conversation.h"
#include "http_stream.h"
#include "teacher_settings.h"

#include <nlohmann/json.hpp>
#include <string>

namespace kf::teacher {

inline constexpr const char* kTranscriptFormat = "kernelforge.ask-transcript/1";

// What the conversation was about; empty fields are left out of the file.
struct TranscriptContext {
    std::string spec_id;
    std::string spec_file;
    std::string prompt_template_id; // spec::kPromptTemplateId when the first turn came from renderPrompt
    std::string prompt_template_version;
};

// A conversation in the form `kforge ask --transcript` writes (kernelforge.ask-transcript/1): the settings
// without the key, the last request with its key-bearing headers redacted, every turn, and the last call's
// raw response body.
struct Transcript {
    TranscriptContext context;
    TeacherSettings settings;                 // api_key is never written or read
    nlohmann::ordered_json request = nullptr; // {url, headers, body} as written, already redacted
    Conversation conversation;
    int attempts = 0;
    int http_status = 0;
    std::string raw_stream;
};

// The transcript's `request` member for `r`: URL credentials and key-bearing headers redacted.
nlohmann::ordered_json redactedRequestJson(const HttpRequest& r);

nlohmann::ordered_json transcriptToJson(const Transcript& t);
// Throws std::runtime_error naming the member that is missing or wrong ("conversation.turns[2].status: ...").
// A bare conversation (kernelforge.conversation/1) is accepted too.
Transcript transcriptFromJson(const nlohmann::json& j);

} // namespace kf::teacher
