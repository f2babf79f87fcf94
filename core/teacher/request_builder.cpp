// SPDX-License-Identifier: MIT
#include "request_builder.h"

#include <algorithm>
#include <stdexcept>

namespace kf::teacher {
namespace {

using ojson = nlohmann::ordered_json;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

ojson anthropicThinking(const TeacherSettings& s, const ModelCapabilities& caps, int64_t max_tokens) {
    // Manual budget where asked (or where the model only knows manual thinking), adaptive otherwise.
    const bool manual = s.budget_tokens > 0 || (caps.known && caps.enabled && !caps.adaptive);
    if (manual && caps.known && !caps.enabled) {
        throw std::invalid_argument("model " + s.model +
                                    " takes adaptive thinking only: use --effort instead of --budget");
    }
    if (!manual && caps.known && !caps.adaptive && !caps.enabled) {
        return ojson{{"type", "disabled"}};
    }
    ojson t;
    if (manual) {
        const int64_t budget =
            s.budget_tokens > 0 ? s.budget_tokens : std::min<int64_t>(16000, max_tokens - 1);
        if (budget < 1024 || budget >= max_tokens) {
            throw std::invalid_argument("the thinking budget (" + std::to_string(budget) +
                                        ") must be at least 1024 and below max_tokens (" +
                                        std::to_string(max_tokens) + ")");
        }
        t = {{"type", "enabled"}, {"budget_tokens", budget}};
    } else {
        t = {{"type", "adaptive"}};
    }
    // Opus 4.7+ default to "omitted": ask for summaries whenever the reasoning is to be shown.
    t["display"] = s.show_thinking ? "summarized" : "omitted";
    return t;
}

HttpRequest anthropic(const TeacherSettings& s, const ModelCapabilities& caps, const Conversation& c) {
    const int64_t max_tokens =
        caps.known && caps.max_tokens > 0 ? std::min(s.max_tokens, caps.max_tokens) : s.max_tokens;
    ojson messages = ojson::array();
    for (const auto& t : c.turns()) {
        ojson content = ojson::array();
        for (const auto& b : t.blocks) {
            content.push_back(anthropicBlockJson(b));
        }
        messages.push_back({{"role", t.role}, {"content", content}});
    }
    ojson body{{"model", s.model}, {"max_tokens", max_tokens}, {"stream", true}};
    body["thinking"] = anthropicThinking(s, caps, max_tokens);
    if (!s.effort.empty()) {
        if (body["thinking"]["type"] != "adaptive") {
            throw std::invalid_argument("--effort needs adaptive thinking, which model " + s.model +
                                        " does not take");
        }
        if (caps.known && !caps.efforts.empty() &&
            std::find(caps.efforts.begin(), caps.efforts.end(), s.effort) == caps.efforts.end()) {
            throw std::invalid_argument("model " + s.model + " does not take effort '" + s.effort + "'");
        }
        body["output_config"] = {{"effort", s.effort}};
    }
    body["messages"] = messages;
    // No sampling parameters: thinking forbids temperature/top_k, and Opus 4.7+ rejects any non-default.
    return HttpRequest{s.base_url + "/v1/messages",
                       {{"x-api-key", s.api_key},
                        {"anthropic-version", "2023-06-01"},
                        {"content-type", "application/json"},
                        {"accept", "text/event-stream"}},
                       body.dump()};
}

HttpRequest openai(const TeacherSettings& s, const Conversation& c) {
    ojson messages = ojson::array();
    for (const auto& t : c.turns()) {
        // Reasoning is not sent back: servers differ on whether they accept it, and none need it without
        // tools.
        messages.push_back({{"role", t.role}, {"content", t.answerText()}});
    }
    ojson body{{"model", s.model},
               {"messages", messages},
               {"stream", true},
               {"stream_options", {{"include_usage", true}}},
               {"max_tokens", s.max_tokens}};
    if (!s.effort.empty()) {
        body["reasoning_effort"] = s.effort;
    }
    std::vector<std::pair<std::string, std::string>> headers = {{"content-type", "application/json"},
                                                                {"accept", "text/event-stream"}};
    if (!s.api_key.empty()) {
        headers.emplace_back("authorization", "Bearer " + s.api_key);
    }
    return HttpRequest{s.base_url + "/chat/completions", headers, body.dump()};
}

HttpRequest ollama(const TeacherSettings& s, const Conversation& c) {
    ojson messages = ojson::array();
    for (const auto& t : c.turns()) {
        ojson m{{"role", t.role}, {"content", t.answerText()}};
        if (t.role == "assistant" && !t.thinkingText().empty()) {
            m["thinking"] = t.thinkingText();
        }
        messages.push_back(std::move(m));
    }
    ojson body{{"model", s.model}, {"messages", messages}, {"stream", true}};
    body["think"] = s.effort.empty() ? ojson(s.show_thinking) : ojson(s.effort);
    body["options"] = {{"num_predict", s.max_tokens}};
    return HttpRequest{s.base_url + "/api/chat", {{"content-type", "application/json"}}, body.dump()};
}

} // namespace

ModelCapabilities parseModelCapabilities(const nlohmann::json& info) {
    ModelCapabilities caps;
    if (!info.is_object() || !info.contains("capabilities") || !info["capabilities"].is_object()) {
        return caps;
    }
    const auto& c = info["capabilities"];
    const auto supported = [](const nlohmann::json& j, const char* key) {
        if (!j.is_object() || !j.contains(key)) {
            return false;
        }
        const auto& v = j[key];
        return v.is_boolean() ? v.get<bool>() : v.is_object() && v.value("supported", false);
    };
    if (c.contains("thinking") && c["thinking"].is_object() && c["thinking"].contains("types")) {
        caps.adaptive = supported(c["thinking"]["types"], "adaptive");
        caps.enabled = supported(c["thinking"]["types"], "enabled");
    }
    if (c.contains("effort") && c["effort"].is_object()) {
        for (const auto& e : {"low", "medium", "high", "xhigh", "max"}) {
            if (supported(c["effort"], e)) {
                caps.efforts.emplace_back(e);
            }
        }
    }
    if (info.contains("max_tokens") && info["max_tokens"].is_number_integer()) {
        caps.max_tokens = info["max_tokens"].get<int64_t>();
    }
    caps.known = true;
    return caps;
}

HttpRequest capabilitiesRequest(const TeacherSettings& s) {
    return HttpRequest{s.base_url + "/v1/models/" + s.model,
                       {{"x-api-key", s.api_key}, {"anthropic-version", "2023-06-01"}},
                       {}};
}

HttpRequest buildRequest(const TeacherSettings& s, const ModelCapabilities& caps, const Conversation& c) {
    switch (s.provider) {
    case Provider::OpenAi:
        return openai(s, c);
    case Provider::Ollama:
        return ollama(s, c);
    case Provider::Anthropic:
        break;
    }
    return anthropic(s, caps, c);
}

std::string redactUrl(const std::string& url) {
    const auto scheme = url.find("://");
    const auto start = scheme == std::string::npos ? 0 : scheme + 3;
    const auto authority_end = url.find_first_of("/?#", start);
    const auto at = url.rfind('@', authority_end == std::string::npos ? std::string::npos : authority_end);
    if (at == std::string::npos || at < start) {
        return url;
    }
    return url.substr(0, start) + "<redacted>@" + url.substr(at + 1);
}

std::vector<std::pair<std::string, std::string>>
redactHeaders(const std::vector<std::pair<std::string, std::string>>& h) {
    auto out = h;
    for (auto& [name, value] : out) {
        const auto n = lower(name);
        if (n == "x-api-key" || n == "authorization" || n == "proxy-authorization" ||
            n.find("token") != std::string::npos || n.find("key") != std::string::npos) {
            value = "<redacted>";
        }
    }
    return out;
}

} // namespace kf::teacher
