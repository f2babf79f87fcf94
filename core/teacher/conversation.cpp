// SPDX-License-Identifier: MIT
#include "conversation.h"

#include <stdexcept>

namespace kf::teacher {
namespace {

using ojson = nlohmann::ordered_json;

const char* statusName(TurnStatus s) {
    switch (s) {
    case TurnStatus::Streaming:
        return "streaming";
    case TurnStatus::Failed:
        return "failed";
    case TurnStatus::Cancelled:
        return "cancelled";
    case TurnStatus::Complete:
        break;
    }
    return "complete";
}

TurnStatus parseStatus(const std::string& s) {
    if (s == "streaming") {
        return TurnStatus::Streaming;
    }
    if (s == "failed") {
        return TurnStatus::Failed;
    }
    if (s == "cancelled") {
        return TurnStatus::Cancelled;
    }
    return TurnStatus::Complete;
}

BlockKind parseKind(const std::string& s) {
    for (const auto k :
         {BlockKind::Thinking, BlockKind::RedactedThinking, BlockKind::Text, BlockKind::ToolUse}) {
        if (s == blockKindName(k)) {
            return k;
        }
    }
    return BlockKind::Other;
}

template <typename T>
T field(const nlohmann::json& j, const char* key, const std::string& path) {
    if (!j.contains(key)) {
        throw std::runtime_error(path + "." + key + ": missing");
    }
    try {
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error(path + "." + key + ": wrong type");
    }
}

} // namespace

void Conversation::addUser(std::string text) {
    Turn t;
    t.role = "user";
    t.blocks.push_back(Block{BlockKind::Text, std::move(text), {}, {}, {}});
    m_turns.push_back(std::move(t));
}

void Conversation::addAssistant(Turn turn) {
    turn.role = "assistant";
    m_turns.push_back(std::move(turn));
}

const Turn* Conversation::lastAssistant() const {
    for (auto it = m_turns.rbegin(); it != m_turns.rend(); ++it) {
        if (it->role == "assistant") {
            return &*it;
        }
    }
    return nullptr;
}

ojson anthropicBlockJson(const Block& b) {
    switch (b.kind) {
    case BlockKind::Thinking:
        return ojson{{"type", "thinking"}, {"thinking", b.text}, {"signature", b.signature}};
    case BlockKind::RedactedThinking:
        return ojson{{"type", "redacted_thinking"}, {"data", b.data}};
    case BlockKind::Text:
        return ojson{{"type", "text"}, {"text", b.text}};
    case BlockKind::ToolUse:
    case BlockKind::Other:
        break;
    }
    auto raw = ojson::parse(b.raw, nullptr, false);
    return raw.is_discarded() ? ojson{{"type", "text"}, {"text", b.text}} : raw;
}

ojson Conversation::toJson() const {
    ojson turns = ojson::array();
    for (const auto& t : m_turns) {
        ojson blocks = ojson::array();
        for (const auto& b : t.blocks) {
            blocks.push_back({{"kind", blockKindName(b.kind)},
                              {"text", b.text},
                              {"signature", b.signature},
                              {"data", b.data},
                              {"raw", b.raw}});
        }
        ojson turn{{"role", t.role}, {"blocks", blocks}};
        if (t.role == "assistant") {
            turn["status"] = statusName(t.status);
            turn["model"] = t.model;
            turn["message_id"] = t.message_id;
            turn["stop_reason"] = t.stop_reason;
            turn["stop_details"] = t.stop_details;
            turn["request_id"] = t.request_id;
            turn["error_type"] = t.error_type;
            turn["error"] = t.error;
            turn["usage"] = {{"input_tokens", t.usage.input_tokens},
                             {"output_tokens", t.usage.output_tokens},
                             {"thinking_tokens", t.usage.thinking_tokens},
                             {"cache_read_tokens", t.usage.cache_read_tokens},
                             {"cache_write_tokens", t.usage.cache_write_tokens}};
        }
        turns.push_back(std::move(turn));
    }
    return ojson{{"format", "kernelforge.conversation/1"}, {"turns", turns}};
}

Conversation Conversation::fromJson(const nlohmann::json& j) {
    if (!j.is_object() || j.value("format", "") != "kernelforge.conversation/1") {
        throw std::runtime_error("format: expected \"kernelforge.conversation/1\"");
    }
    Conversation c;
    const auto& turns = j.at("turns");
    for (std::size_t i = 0; i < turns.size(); ++i) {
        const auto path = "turns[" + std::to_string(i) + "]";
        const auto& tj = turns[i];
        Turn t;
        t.role = field<std::string>(tj, "role", path);
        const auto& blocks = tj.at("blocks");
        for (std::size_t k = 0; k < blocks.size(); ++k) {
            const auto bpath = path + ".blocks[" + std::to_string(k) + "]";
            t.blocks.push_back(Block{parseKind(field<std::string>(blocks[k], "kind", bpath)),
                                     field<std::string>(blocks[k], "text", bpath),
                                     field<std::string>(blocks[k], "signature", bpath),
                                     field<std::string>(blocks[k], "data", bpath),
                                     field<std::string>(blocks[k], "raw", bpath)});
        }
        if (t.role == "assistant") {
            t.status = parseStatus(field<std::string>(tj, "status", path));
            t.model = field<std::string>(tj, "model", path);
            t.message_id = field<std::string>(tj, "message_id", path);
            t.stop_reason = field<std::string>(tj, "stop_reason", path);
            t.stop_details = field<std::string>(tj, "stop_details", path);
            t.request_id = field<std::string>(tj, "request_id", path);
            t.error_type = field<std::string>(tj, "error_type", path);
            t.error = field<std::string>(tj, "error", path);
            const auto& u = tj.at("usage");
            t.usage = {u.value("input_tokens", int64_t{-1}), u.value("output_tokens", int64_t{-1}),
                       u.value("thinking_tokens", int64_t{-1}), u.value("cache_read_tokens", int64_t{-1}),
                       u.value("cache_write_tokens", int64_t{-1})};
        }
        c.m_turns.push_back(std::move(t));
    }
    return c;
}

} // namespace kf::teacher
