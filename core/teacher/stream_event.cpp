// SPDX-License-Identifier: MIT
#include "stream_event.h"

namespace kf::teacher {

const char* typeName(StreamEvent::Type t) {
    using T = StreamEvent::Type;
    switch (t) {
    case T::MessageStart:
        return "MessageStart";
    case T::BlockStart:
        return "BlockStart";
    case T::ThinkingDelta:
        return "ThinkingDelta";
    case T::SignatureDelta:
        return "SignatureDelta";
    case T::TextDelta:
        return "TextDelta";
    case T::ToolInputDelta:
        return "ToolInputDelta";
    case T::BlockStop:
        return "BlockStop";
    case T::Usage:
        return "Usage";
    case T::Stop:
        return "Stop";
    case T::Error:
        return "Error";
    case T::Done:
        return "Done";
    }
    return "?";
}

const char* blockKindName(BlockKind k) {
    switch (k) {
    case BlockKind::Thinking:
        return "thinking";
    case BlockKind::RedactedThinking:
        return "redacted_thinking";
    case BlockKind::Text:
        return "text";
    case BlockKind::ToolUse:
        return "tool_use";
    case BlockKind::Other:
        return "other";
    }
    return "?";
}

} // namespace kf::teacher
