// SPDX-License-Identifier: MIT
#pragma once

#include "stream_event.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kf::teacher {

// One content block exactly as received. Thinking text, signature and redacted data are kept byte for byte:
// Anthropic rejects a follow-up whose replayed thinking differs in any way.
struct Block {
    BlockKind kind = BlockKind::Text;
    std::string text;      // thinking or answer text; tool input JSON for ToolUse
    std::string signature; // thinking blocks
    std::string data;      // redacted_thinking's opaque payload
    std::string raw;       // BlockStart's JSON as received (the block's type and fields for Other/ToolUse)
    bool operator==(const Block&) const = default;
};

struct Usage {
    int64_t input_tokens = -1; // -1: not reported (a cancelled stream never gets final usage)
    int64_t output_tokens = -1;
    int64_t thinking_tokens = -1;
    int64_t cache_read_tokens = -1;
    int64_t cache_write_tokens = -1;
    bool operator==(const Usage&) const = default;
};

enum class TurnStatus { Streaming, Complete, Failed, Cancelled };

struct Turn {
    std::string role; // "user" or "assistant"
    std::vector<Block> blocks;
    // Assistant turns only:
    std::string model; // as the service reported it (aliases resolved)
    std::string message_id;
    std::string stop_reason;
    std::string stop_details; // JSON, or ""
    std::string request_id;
    Usage usage;
    TurnStatus status = TurnStatus::Complete;
    std::string error_type; // when Failed
    std::string error;      // a message a person can act on
    bool operator==(const Turn&) const = default;

    std::string thinkingText() const; // all thinking blocks, joined
    std::string answerText() const;   // all text blocks, joined
};

// Applies StreamEvents to an assistant turn, the way the official SDK accumulators do: deltas append,
// signature_delta replaces, usage counters overwrite, deltas whose type does not match their block are
// ignored.
class TurnAccumulator {
public:
    TurnAccumulator();
    void apply(const StreamEvent& e);
    const Turn& turn() const { return m_turn; }
    Turn& turn() { return m_turn; }

private:
    Block* block(int index);
    Turn m_turn;
    std::vector<int> m_index; // stream block index -> position in m_turn.blocks (-1: unknown)
};

} // namespace kf::teacher
