// SPDX-License-Identifier: MIT
#include "teacher_settings.h"

#include <cstdlib>

namespace kf::teacher {

Environment processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        if (v == nullptr || *v == '\0') {
            return std::nullopt;
        }
        return std::string(v);
    };
}

void applyEnvironment(TeacherSettings& s, const Environment& env) {
    const auto fill = [&env](std::string& dst, const char* var, const char* fallback) {
        if (dst.empty()) {
            dst = env(var).value_or(fallback);
        }
    };
    switch (s.provider) {
    case Provider::Anthropic:
        fill(s.base_url, "ANTHROPIC_BASE_URL", "https://api.anthropic.com");
        fill(s.api_key, "ANTHROPIC_API_KEY", "");
        fill(s.model, "KF_ANTHROPIC_MODEL", "claude-sonnet-4-6");
        break;
    case Provider::OpenAi:
        fill(s.base_url, "OPENAI_BASE_URL", "https://api.openai.com/v1");
        fill(s.api_key, "OPENAI_API_KEY", "");
        break;
    case Provider::Ollama:
        fill(s.base_url, "OLLAMA_HOST", "http://127.0.0.1:11434");
        if (s.base_url.find("://") == std::string::npos) {
            s.base_url = "http://" + s.base_url; // OLLAMA_HOST is often "host:port"
        }
        break;
    }
    while (!s.base_url.empty() && s.base_url.back() == '/') {
        s.base_url.pop_back();
    }
}

std::string validateSettings(const TeacherSettings& s) {
    if (s.model.empty()) {
        return std::string("no model: pass --model (") + providerName(s.provider) + " has no default)";
    }
    if (s.provider == Provider::Anthropic && s.api_key.empty()) {
        return "no API key: set ANTHROPIC_API_KEY";
    }
    if (!s.effort.empty() && s.budget_tokens > 0) {
        return "--effort and --budget exclude each other: effort is for adaptive thinking, a budget for "
               "manual";
    }
    if (s.budget_tokens > 0 && (s.budget_tokens < 1024 || s.budget_tokens >= s.max_tokens)) {
        return "the thinking budget must be at least 1024 and below max_tokens (" +
               std::to_string(s.max_tokens) + ")";
    }
    if (s.max_tokens < 1) {
        return "max_tokens must be positive";
    }
    return {};
}

} // namespace kf::teacher
