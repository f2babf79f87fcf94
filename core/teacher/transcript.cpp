// SPDX-License-Identifier: MIT
#include "transcript.h"

#include "request_builder.h"

#include <stdexcept>

namespace kf::teacher {

namespace {

template <typename T>
T valueOr(const nlohmann::json& obj, const char* key, T fallback, const std::string& path) {
    const auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        return fallback;
    }
    try {
        return it->get<T>();
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(path + "." + key + ": wrong type");
    }
}

// Conversation::fromJson reports its own paths; nlohmann's exceptions (a missing "turns") get one here.
Conversation conversationFromJson(const nlohmann::json& j, const std::string& prefix) {
    try {
        return Conversation::fromJson(j);
    } catch (const nlohmann::json::exception& e) {
        throw std::runtime_error(prefix + "turns: " + e.what());
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(prefix + e.what());
    }
}

} // namespace

nlohmann::ordered_json redactedRequestJson(const HttpRequest& r) {
    nlohmann::ordered_json headers = nlohmann::ordered_json::object();
    for (const auto& [k, v] : redactHeaders(r.headers)) {
        headers[k] = v;
    }
    nlohmann::ordered_json body = nlohmann::ordered_json::parse(r.body, nullptr, false);
    if (body.is_discarded()) {
        body = r.body;
    }
    return {{"url", redactUrl(r.url)}, {"headers", headers}, {"body", body}};
}

nlohmann::ordered_json transcriptToJson(const Transcript& t) {
    const auto& s = t.settings;
    nlohmann::ordered_json j;
    j["format"] = kTranscriptFormat;
    if (!t.context.spec_id.empty()) {
        j["spec_id"] = t.context.spec_id;
    }
    if (!t.context.spec_file.empty()) {
        j["spec_file"] = t.context.spec_file;
    }
    j["provider"] = providerName(s.provider);
    j["model"] = s.model;
    j["settings"] = {{"effort", s.effort},
                     {"budget_tokens", s.budget_tokens},
                     {"max_tokens", s.max_tokens},
                     {"show_thinking", s.show_thinking},
                     {"base_url", redactUrl(s.base_url)}};
    if (!t.context.prompt_template_id.empty()) {
        j["prompt_template"] = {{"id", t.context.prompt_template_id},
                                {"version", t.context.prompt_template_version}};
    }
    j["request"] = t.request;
    j["conversation"] = t.conversation.toJson();
    j["attempts"] = t.attempts;
    j["http_status"] = t.http_status;
    j["raw_stream"] = t.raw_stream;
    return j;
}

Transcript transcriptFromJson(const nlohmann::json& j) {
    if (!j.is_object()) {
        throw std::runtime_error("not a JSON object");
    }
    Transcript t;
    const auto format = valueOr<std::string>(j, "format", "", "");
    if (format == "kernelforge.conversation/1") {
        t.conversation = conversationFromJson(j, "");
        return t;
    }
    if (format != kTranscriptFormat) {
        throw std::runtime_error("format: expected \"" + std::string(kTranscriptFormat) + "\", found \"" +
                                 format + "\"");
    }
    t.context.spec_id = valueOr<std::string>(j, "spec_id", "", "");
    t.context.spec_file = valueOr<std::string>(j, "spec_file", "", "");
    if (const auto it = j.find("prompt_template"); it != j.end() && it->is_object()) {
        t.context.prompt_template_id = valueOr<std::string>(*it, "id", "", "prompt_template");
        t.context.prompt_template_version = valueOr<std::string>(*it, "version", "", "prompt_template");
    }
    const auto provider = valueOr<std::string>(j, "provider", "anthropic", "");
    if (!parseProvider(provider, t.settings.provider)) {
        throw std::runtime_error("provider: unknown \"" + provider + "\"");
    }
    t.settings.model = valueOr<std::string>(j, "model", "", "");
    if (const auto it = j.find("settings"); it != j.end() && it->is_object()) {
        const auto& s = *it;
        t.settings.effort = valueOr<std::string>(s, "effort", "", "settings");
        t.settings.budget_tokens = valueOr<int64_t>(s, "budget_tokens", 0, "settings");
        t.settings.max_tokens = valueOr<int64_t>(s, "max_tokens", t.settings.max_tokens, "settings");
        t.settings.show_thinking = valueOr<bool>(s, "show_thinking", true, "settings");
        t.settings.base_url = valueOr<std::string>(s, "base_url", "", "settings");
    }
    if (const auto it = j.find("request"); it != j.end()) {
        t.request = *it;
    }
    const auto conv = j.find("conversation");
    if (conv == j.end()) {
        throw std::runtime_error("conversation: missing");
    }
    t.conversation = conversationFromJson(*conv, "conversation.");
    t.attempts = valueOr<int>(j, "attempts", 0, "");
    t.http_status = valueOr<int>(j, "http_status", 0, "");
    t.raw_stream = valueOr<std::string>(j, "raw_stream", "", "");
    return t;
}

} // namespace kf::teacher
