// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace kf::teacher {

enum class BlockKind { Thinking, RedactedThinking, Text, ToolUse, Other };

// One event of the vocabulary every provider's stream is turned into (docs/teacher-protocols.md).
// Flat rather than a variant so that tests can compare and print sequences directly.
struct StreamEvent {
    enum class Type {
        MessageStart,   // model, message_id, usage (input side) known
        BlockStart,     // index, block_kind; raw = the block's JSON as received (redacted data lives here)
        ThinkingDelta,  // index, text
        SignatureDelta, // index, text (replaces the signature)
        TextDelta,      // index, text
        ToolInputDelta, // index, text (a partial_json fragment)
        BlockStop,      // index
        Usage,          // usage snapshot: present counters overwrite earlier ones (-1 = not reported)
        Stop,           // stop_reason; raw = stop_details JSON or ""
        Error,          // error_type, text = message, request_id, http_status; ends the turn
        Done,           // the protocol's terminator arrived (message_stop, [DONE], done:true)
    };

    Type type = Type::Done;
    int index = -1;
    BlockKind block_kind = BlockKind::Other;
    std::string text;
    std::string raw;
    std::string model;
    std::string message_id;
    std::string stop_reason;
    std::string error_type; // overloaded_error, incomplete_stream, protocol_error, http_error, ...
    std::string request_id;
    int http_status = 0;
    int64_t input_tokens = -1;
    int64_t output_tokens = -1;   // includes thinking
    int64_t thinking_tokens = -1; // when the service splits it out
    int64_t cache_read_tokens = -1;
    int64_t cache_write_tokens = -1;

    bool operator==(const StreamEvent&) const = default;
};

const char* typeName(StreamEvent::Type t);
const char* blockKindName(BlockKind k);

} // namespace kf::teacher
