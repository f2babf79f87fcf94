// SPDX-License-Identifier: MIT
#include "synthetic_streams.h"

#include <nlohmann/json.hpp>
#include <vector>

namespace kf::teacher::test {
namespace {

using json = nlohmann::json;

std::vector<std::string> pieces(const std::string& text, std::size_t chunk) {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < text.size();) {
        std::size_t n = std::min(chunk, text.size() - i);
        while (i + n < text.size() && (static_cast<unsigned char>(text[i + n]) & 0xC0) == 0x80) {
            ++n; // never split a UTF-8 sequence inside a JSON string
        }
        out.push_back(text.substr(i, n));
        i += n;
    }
    return out;
}

std::string sse(const std::string& event, const json& data) {
    return "event: " + event + "\ndata: " + data.dump() + "\n\n";
}

} // namespace

std::string anthropicStream(const std::string& thinking, const std::string& answer, std::size_t chunk) {
    std::string s = sse("message_start", {{"type", "message_start"},
                                          {"message",
                                           {{"id", "msg_test"},
                                            {"type", "message"},
                                            {"role", "assistant"},
                                            {"model", "claude-test-1"},
                                            {"content", json::array()},
                                            {"stop_reason", nullptr},
                                            {"usage", {{"input_tokens", 1200}, {"output_tokens", 1}}}}}});
    s += sse("content_block_start",
             {{"type", "content_block_start"},
              {"index", 0},
              {"content_block", {{"type", "thinking"}, {"thinking", ""}, {"signature", ""}}}});
    for (const auto& p : pieces(thinking, chunk)) {
        s += sse("content_block_delta", {{"type", "content_block_delta"},
                                         {"index", 0},
                                         {"delta", {{"type", "thinking_delta"}, {"thinking", p}}}});
    }
    s +=
        sse("content_block_delta", {{"type", "content_block_delta"},
                                    {"index", 0},
                                    {"delta", {{"type", "signature_delta"}, {"signature", "c2lnbmF0dXJl"}}}});
    s += sse("content_block_stop", {{"type", "content_block_stop"}, {"index", 0}});
    s += "event: ping\ndata: {\"type\": \"ping\"}\n\n";
    s += sse(
        "content_block_start",
        {{"type", "content_block_start"}, {"index", 1}, {"content_block", {{"type", "text"}, {"text", ""}}}});
    for (const auto& p : pieces(answer, chunk)) {
        s += sse("content_block_delta", {{"type", "content_block_delta"},
                                         {"index", 1},
                                         {"delta", {{"type", "text_delta"}, {"text", p}}}});
    }
    s += sse("content_block_stop", {{"type", "content_block_stop"}, {"index", 1}});
    s += sse("message_delta", {{"type", "message_delta"},
                               {"delta", {{"stop_reason", "end_turn"}, {"stop_sequence", nullptr}}},
                               {"usage", {{"output_tokens", 2345}}}});
    s += sse("message_stop", {{"type", "message_stop"}});
    return s;
}

std::string openaiStream(const std::string& reasoning, const std::string& answer, std::size_t chunk) {
    const auto chunkJson = [](const json& delta, const json& finish) {
        return "data: " +
               json{{"id", "chatcmpl-test"},
                    {"object", "chat.completion.chunk"},
                    {"model", "test-reasoner"},
                    {"choices", json::array({{{"index", 0}, {"delta", delta}, {"finish_reason", finish}}})}}
                   .dump() +
               "\n\n";
    };
    std::string s =
        chunkJson({{"role", "assistant"}, {"content", nullptr}, {"reasoning_content", ""}}, nullptr);
    for (const auto& p : pieces(reasoning, chunk)) {
        s += chunkJson({{"content", nullptr}, {"reasoning_content", p}}, nullptr);
    }
    for (const auto& p : pieces(answer, chunk)) {
        s += chunkJson({{"content", p}, {"reasoning_content", nullptr}}, nullptr);
    }
    s += chunkJson(json::object(), "stop");
    s += "data: " +
         json{{"id", "chatcmpl-test"},
              {"object", "chat.completion.chunk"},
              {"model", "test-reasoner"},
              {"choices", json::array()},
              {"usage", {{"prompt_tokens", 900}, {"completion_tokens", 1500}}}}
             .dump() +
         "\n\ndata: [DONE]\n\n";
    return s;
}

std::string ollamaStream(const std::string& thinking, const std::string& answer, std::size_t chunk) {
    const auto line = [](const json& message) {
        return json{{"model", "qwen3"},
                    {"created_at", "2026-11-22T00:00:00Z"},
                    {"message", message},
                    {"done", false}}
                   .dump() +
               "\n";
    };
    std::string s;
    for (const auto& p : pieces(thinking, chunk)) {
        s += line({{"role", "assistant"}, {"content", ""}, {"thinking", p}});
    }
    for (const auto& p : pieces(answer, chunk)) {
        s += line({{"role", "assistant"}, {"content", p}});
    }
    s += json{{"model", "qwen3"},
              {"created_at", "2026-11-22T00:00:01Z"},
              {"message", {{"role", "assistant"}, {"content", ""}}},
              {"done", true},
              {"done_reason", "stop"},
              {"prompt_eval_count", 700},
              {"eval_count", 1100}}
             .dump() +
         "\n";
    return s;
}

} // namespace kf::teacher::test
