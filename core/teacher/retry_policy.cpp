// SPDX-License-Identifier: MIT
#include "retry_policy.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>

namespace kf::teacher {
namespace {

using nlohmann::json;

std::string_view trim(std::string_view s) {
    const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

std::string lowered(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
    return out;
}

// Python's float(): optional surrounding whitespace and sign, decimal or exponent form, inf and nan.
std::optional<double> parseFloat(std::string_view s) {
    s = trim(s);
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    if (s.empty())
        return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

// Seconds to wait as the response asks, or nullopt (the Python SDK's _parse_retry_after_header): a parseable
// retry-after-ms wins even when out of range; then retry-after as a number, then as an HTTP-date.
std::optional<double> retryAfterSeconds(const HttpHead& head, std::chrono::system_clock::time_point now) {
    if (head.has("retry-after-ms"))
        if (auto ms = parseFloat(head.header("retry-after-ms")))
            return *ms / 1000.0;
    if (!head.has("retry-after"))
        return std::nullopt;
    const std::string value = head.header("retry-after");
    if (auto s = parseFloat(value))
        return *s;
    const time_t when = curl_getdate(value.c_str(), nullptr);
    if (when == -1)
        return std::nullopt;
    const auto target = std::chrono::system_clock::from_time_t(when);
    return std::chrono::duration<double>(target - now).count();
}

std::string formatDelay(std::chrono::milliseconds d) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(d.count()) / 1000.0);
    return buf;
}

const json* child(const json& j, const char* key) {
    if (!j.is_object())
        return nullptr;
    const auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}

std::string asText(const json* v) {
    if (!v)
        return {};
    if (v->is_string())
        return v->get<std::string>();
    if (v->is_number())
        return v->dump();
    return {};
}

// Collapses whitespace, drops control characters, keeps at most `limit` bytes (cut at a UTF-8 boundary).
std::string tidy(std::string_view s, std::size_t limit = 400) {
    std::string out;
    bool space = false;
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7f || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
    }
    if (out.size() > limit) {
        std::size_t cut = limit;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80)
            --cut;
        out.resize(cut);
        out += "...";
    }
    return out;
}

// The readable part of a non-JSON body: an HTML page's <title> (Cloudflare's 413 page), else the text
// without tags.
std::string textOfBody(std::string_view body) {
    const std::string low = lowered(body.substr(0, std::min<std::size_t>(body.size(), 64 * 1024)));
    const auto t0 = low.find("<title>");
    if (t0 != std::string::npos) {
        const auto t1 = low.find("</title>", t0);
        if (t1 != std::string::npos)
            return tidy(body.substr(t0 + 7, t1 - t0 - 7));
    }
    std::string text;
    bool in_tag = false;
    for (char c : body.substr(0, std::min<std::size_t>(body.size(), 64 * 1024))) {
        if (c == '<')
            in_tag = true;
        else if (c == '>' && in_tag) {
            in_tag = false;
            text += ' ';
        } else if (!in_tag)
            text += c;
    }
    return tidy(text);
}

struct ServiceError {
    std::string type;       // error.type (Anthropic, OpenAI-compatible)
    std::string message;    // the service's own words
    std::string code;       // error.code (OpenAI-compatible)
    std::string error_code; // error.details.error_code (Anthropic spend cap)
    std::string request_id;
    std::string n_prompt_tokens, n_ctx; // llama.cpp's exceed_context_size_error
};

ServiceError parseServiceError(std::string_view body) {
    ServiceError e;
    const json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        e.message = textOfBody(body);
        return e;
    }
    e.request_id = asText(child(j, "request_id"));
    const json* err = child(j, "error");
    if (err && err->is_object()) {
        e.type = asText(child(*err, "type"));
        e.message = asText(child(*err, "message"));
        e.code = asText(child(*err, "code"));
        if (const json* details = child(*err, "details"))
            e.error_code = asText(child(*details, "error_code"));
        e.n_prompt_tokens = asText(child(*err, "n_prompt_tokens"));
        e.n_ctx = asText(child(*err, "n_ctx"));
    } else if (err && err->is_string()) { // Ollama: {"error":"…"}
        e.message = err->get<std::string>();
    } else { // vLLM's ErrorResponse {"object":"error","message","type","code"}, FastAPI's {"detail":…}
        e.type = asText(child(j, "type"));
        e.message = asText(child(j, "message"));
        if (e.message.empty())
            if (const json* detail = child(j, "detail"))
                e.message = detail->is_string() ? detail->get<std::string>() : detail->dump();
    }
    if (e.type == "error") // Anthropic's top-level "type":"error" is not the error's type
        e.type.clear();
    e.message = tidy(e.message);
    return e;
}

std::string keyVariable(std::string_view provider) {
    const std::string p = lowered(provider);
    if (p.find("anthropic") != std::string::npos)
        return "check ANTHROPIC_API_KEY";
    if (p.find("openai") != std::string::npos)
        return "check OPENAI_API_KEY";
    if (p.find("ollama") != std::string::npos)
        return "the server at OLLAMA_HOST wants credentials: check its authentication";
    return "check the API key setting";
}

bool contains(std::string_view hay, std::string_view needle) {
    return lowered(hay).find(lowered(needle)) != std::string::npos;
}

// "prompt is too long: 250000 tokens > 200000 maximum" (Anthropic), "maximum context length is 32768 tokens.
// However, you requested 33000 tokens" (vLLM, OpenAI), llama.cpp's n_prompt_tokens / n_ctx.
std::optional<std::string> promptTooLong(const ServiceError& e) {
    std::smatch m;
    static const std::regex anthropic(R"((\d+)\s*tokens\s*>\s*(\d+))");
    static const std::regex max_ctx(R"(maximum context length is (\d+) tokens)");
    static const std::regex requested(R"((?:requested|resulted in|have|contains?) (\d+) tokens)");
    if (std::regex_search(e.message, m, anthropic))
        return "the prompt is too long: " + m[1].str() + " tokens, the model takes at most " + m[2].str() +
               ": shorten the conversation (fewer or smaller turns, less attached context)";
    if (std::regex_search(e.message, m, max_ctx)) {
        const std::string limit = m[1].str();
        std::string used;
        if (std::regex_search(e.message, m, requested))
            used = m[1].str() + " tokens, ";
        return "the prompt is too long: " + used + "the model's context holds at most " + limit +
               " tokens: shorten the conversation or lower max_tokens";
    }
    if (!e.n_prompt_tokens.empty() && !e.n_ctx.empty())
        return "the prompt is too long: " + e.n_prompt_tokens + " tokens, the server's context holds " +
               e.n_ctx + ": shorten the conversation or start the server with a larger context";
    if (contains(e.message, "prompt is too long") || contains(e.message, "context length") ||
        e.type == "exceed_context_size_error")
        return std::string("the prompt is too long for the model's context: shorten the conversation");
    return std::nullopt;
}

std::string summary(int status, const ServiceError& e, std::string_view provider) {
    const std::string type = e.type.empty() ? std::string() : " (" + e.type + ")";
    switch (status) {
    case 400: {
        if (auto tl = promptTooLong(e))
            return *tl;
        if (contains(e.message, "credit balance"))
            return "the account has no credit left" + type + ": add credit in the provider's billing console";
        if (contains(e.message, "spend limit") || contains(e.message, "usage limit"))
            return "a spend limit was reached" + type +
                   ": raise it in the provider's console; retrying won't help";
        return "the service rejected the request" + type + ": the request or the settings need fixing";
    }
    case 401:
        return "the API key was rejected" + (e.type.empty() ? std::string(" (authentication_error)") : type) +
               ": " + keyVariable(provider);
    case 402:
        return "billing problem" + type + ": check the account's payment details and credit";
    case 403:
        return "the API key may not do this" + type +
               ": check its permissions and that the organisation has access to the model";
    case 404:
        return "unknown model or endpoint" + type + ": check the model name and the base URL";
    case 405:
        return "method not allowed" + type + ": check the base URL (it should be the API's root)";
    case 408:
        return "the service timed out reading the request" + type + ": try again";
    case 409:
        return "conflict" + type + ": try again";
    case 413:
        return "the request is too large" + type +
               ": shorten the conversation or the attached context (Anthropic accepts at most 32 MB)";
    case 422:
        return "the service could not process the request" + type +
               ": the request or the settings need fixing";
    case 429:
        if (e.error_code == "enforced_spend_limit_reached")
            return "the organisation's spend limit was reached" + type +
                   ": raise the limit in the provider's console or wait for the next period; retrying won't "
                   "help";
        return "rate limited" + type + ": wait a minute and try again, or lower the request rate";
    case 500:
        return "the service had an internal error" + type + ": try again later";
    case 502:
    case 503:
        return "the service (or a gateway in front of it) is unavailable" + type + ": try again later";
    case 504:
        return "the service timed out" + type +
               ": try again, perhaps with a smaller thinking budget or max_tokens";
    case 529:
        return "the service is overloaded" + (e.type.empty() ? std::string(" (overloaded_error)") : type) +
               ": try again in a few minutes";
    default:
        break;
    }
    if (status >= 300 && status < 400)
        return "unexpected redirect (redirects are not followed): check the base URL";
    if (status >= 500)
        return "server error" + type + ": try again later";
    if (status >= 400)
        return "the service refused the request" + type;
    return "unexpected HTTP status" + type;
}

bool keyChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '*' || c == '.';
}

} // namespace

bool isSpendCapError(std::string_view body) {
    const json j = json::parse(body.begin(), body.end(), nullptr, false);
    if (j.is_discarded())
        return false;
    const json* err = child(j, "error");
    const json* details = err ? child(*err, "details") : nullptr;
    return details && asText(child(*details, "error_code")) == "enforced_spend_limit_reached";
}

RetryDecision decideRetry(int status, const HttpHead& head, std::string_view body, int retries_so_far,
                          std::mt19937& rng, std::chrono::system_clock::time_point now) {
    RetryDecision d;
    const std::string what =
        status == 0 ? std::string("connection failed") : "HTTP " + std::to_string(status);
    if (status >= 200 && status < 300) {
        d.reason = what + ": nothing to retry";
        return d;
    }
    if (retries_so_far >= kMaxRetries) {
        d.reason = what + ": gave up after " + std::to_string(retries_so_far + 1) + " attempts";
        return d;
    }
    if (isSpendCapError(body)) {
        d.reason = what + ": spend limit reached, never retried";
        return d;
    }
    if (status == 400) {
        d.reason = what + ": a 400 is never retried";
        return d;
    }
    bool retry = status == 0 || status == 408 || status == 409 || status == 429 || status >= 500;
    std::string why = retry ? "retryable status" : "status not retryable";
    if (head.has("x-should-retry")) {
        const std::string v = lowered(trim(head.header("x-should-retry")));
        if (v == "true" || v == "false") {
            retry = v == "true";
            why = "x-should-retry: " + v;
        }
    }
    if (!retry) {
        d.reason = what + ": " + why;
        return d;
    }

    d.retry = true;
    const auto after = retryAfterSeconds(head, now);
    if (after && *after > 0 && *after <= 60) {
        d.delay = std::chrono::milliseconds(static_cast<long long>(std::ceil(*after * 1000.0)));
        d.reason = what + " (" + why + "), retry " + std::to_string(retries_so_far + 1) + " of " +
                   std::to_string(kMaxRetries) + " in " + formatDelay(d.delay) + " as the service asked";
        return d;
    }
    const double base = std::min(0.5 * std::pow(2.0, retries_so_far), 8.0);
    std::uniform_real_distribution<double> jitter(0.0, 0.25);
    const double seconds = std::max(0.0, base * (1.0 - jitter(rng)));
    d.delay = std::chrono::milliseconds(static_cast<long long>(std::llround(seconds * 1000.0)));
    d.reason = what + " (" + why + "), retry " + std::to_string(retries_so_far + 1) + " of " +
               std::to_string(kMaxRetries) + " in " + formatDelay(d.delay) + " (backoff)";
    return d;
}

std::string scrubSecrets(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    bool after_bearer = false;
    while (i < text.size()) {
        if (!keyChar(text[i])) {
            out += text[i++];
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && keyChar(text[j]))
            ++j;
        std::string_view word = text.substr(i, j - i);
        // Trailing dots end sentences, not keys.
        std::size_t dots = 0;
        while (dots < word.size() && word[word.size() - 1 - dots] == '.')
            ++dots;
        const std::string_view core = word.substr(0, word.size() - dots);
        const bool looks_like_key =
            (core.size() >= 8 && (core.starts_with("sk-") || core.starts_with("sk_"))) ||
            (after_bearer && core.size() >= 8) || (core.size() >= 40 && !core.starts_with("req_"));
        after_bearer = lowered(core) == "bearer";
        if (looks_like_key) {
            out += "[redacted]";
            out.append(dots, '.');
        } else {
            out += word;
        }
        i = j;
    }
    return out;
}

std::string describeHttpError(int status, std::string_view body, std::string_view provider_name,
                              std::string_view request_id_header) {
    const ServiceError e = parseServiceError(body);
    std::string msg;
    if (!provider_name.empty()) {
        msg += provider_name;
        msg += ' ';
    }
    msg += "HTTP " + std::to_string(status) + ": " + summary(status, e, provider_name);
    if (!e.message.empty())
        msg += ". The service said: \"" + scrubSecrets(e.message) + "\"";
    const std::string request_id =
        !e.request_id.empty() ? e.request_id : std::string(trim(request_id_header));
    if (!request_id.empty())
        msg += " (request id " + tidy(request_id, 100) + ")";
    return msg;
}

} // namespace kf::teacher
