// SPDX-License-Identifier: MIT
#include "turn.h"

#include <nlohmann/json.hpp>

namespace kf::teacher {

namespace {

std::string joinBlocks(const std::vector<Block>& blocks, BlockKind kind) {
    std::string out;
    for (const Block& b : blocks) {
        if (b.kind != kind || b.text.empty()) {
            continue;
        }
        if (!out.empty()) {
            out += "\n\n";
        }
        out += b.text;
    }
    return out;
}

void overwrite(int64_t& counter, int64_t value) {
    if (value >= 0) {
        counter = value;
    }
}

void overwriteUsage(Usage& usage, const StreamEvent& e) {
    overwrite(usage.input_tokens, e.input_tokens);
    overwrite(usage.output_tokens, e.output_tokens);
    overwrite(usage.thinking_tokens, e.thinking_tokens);
    overwrite(usage.cache_read_tokens, e.cache_read_tokens);
    overwrite(usage.cache_write_tokens, e.cache_write_tokens);
}

// The initial field values a content_block_start carries (normally ""), kept like the SDKs' copy of the
// block.
void initialFields(Block& b) {
    if (b.raw.empty()) {
        return; // blocks synthesized by the OpenAI-compatible and Ollama decoders
    }
    const nlohmann::json j = nlohmann::json::parse(b.raw, nullptr, false);
    if (!j.is_object()) {
        return;
    }
    const auto str = [&](const char* key, std::string& into) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_string()) {
            into = it->get<std::string>();
        }
    };
    switch (b.kind) {
    case BlockKind::Thinking:
        str("thinking", b.text);
        str("signature", b.signature);
        break;
    case BlockKind::RedactedThinking:
        str("data", b.data);
        break;
    case BlockKind::Text:
        str("text", b.text);
        break;
    case BlockKind::ToolUse: // `input: {}` is a placeholder that the input_json deltas replace
    case BlockKind::Other:
        break;
    }
}

} // namespace

std::string Turn::thinkingText() const {
    return joinBlocks(blocks, BlockKind::Thinking);
}

std::string Turn::answerText() const {
    return joinBlocks(blocks, BlockKind::Text);
}

TurnAccumulator::TurnAccumulator() {
    m_turn.role = "assistant";
    m_turn.status = TurnStatus::Streaming;
}

Block* TurnAccumulator::block(int index) {
    if (index < 0 || static_cast<std::size_t>(index) >= m_index.size() || m_index[index] < 0) {
        return nullptr;
    }
    return &m_turn.blocks[static_cast<std::size_t>(m_index[index])];
}

void TurnAccumulator::apply(const StreamEvent& e) {
    using T = StreamEvent::Type;
    switch (e.type) {
    case T::MessageStart:
        m_turn.model = e.model;
        m_turn.message_id = e.message_id;
        overwriteUsage(m_turn.usage, e);
        break;
    case T::BlockStart: {
        // Indices come from the service; a start for an index already open is a protocol error, ignored here.
        if (e.index < 0 || e.index > 1'000'000 || block(e.index) != nullptr) {
            break;
        }
        if (static_cast<std::size_t>(e.index) >= m_index.size()) {
            m_index.resize(static_cast<std::size_t>(e.index) + 1, -1);
        }
        m_index[static_cast<std::size_t>(e.index)] = static_cast<int>(m_turn.blocks.size());
        Block b;
        b.kind = e.block_kind;
        b.raw = e.raw;
        initialFields(b);
        m_turn.blocks.push_back(std::move(b));
        break;
    }
    case T::ThinkingDelta:
    case T::TextDelta:
    case T::ToolInputDelta: {
        const BlockKind wanted = e.type == T::ThinkingDelta ? BlockKind::Thinking
                                 : e.type == T::TextDelta   ? BlockKind::Text
                                                            : BlockKind::ToolUse;
        Block* b = block(e.index);
        if (b != nullptr && b->kind == wanted) {
            b->text += e.text;
        }
        break;
    }
    case T::SignatureDelta: {
        Block* b = block(e.index);
        if (b != nullptr && b->kind == BlockKind::Thinking) {
            b->signature = e.text;
        }
        break;
    }
    case T::BlockStop:
        break;
    case T::Usage:
        overwriteUsage(m_turn.usage, e);
        break;
    case T::Stop:
        m_turn.stop_reason = e.stop_reason;
        m_turn.stop_details = e.raw;
        break;
    case T::Error:
        m_turn.status = TurnStatus::Failed;
        m_turn.error_type = e.error_type;
        m_turn.error = e.text;
        m_turn.request_id = e.request_id;
        break;
    case T::Done:
        if (m_turn.status != TurnStatus::Failed) {
            m_turn.status = TurnStatus::Complete;
        }
        break;
    }
}

} // namespace kf::teacher
