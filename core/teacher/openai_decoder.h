// SPDX-License-Identifier: MIT
#pragma once

#include "decoder_common.h"
#include "sse_parser.h"
#include "stream_decoder.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

// OpenAI-compatible chat-completion chunk stream (docs/teacher-protocols.md §2): DeepSeek, vLLM, SGLang,
// llama.cpp, OpenRouter, Groq, Ollama /v1.
//
// The first chunk -> MessageStart (model, id). Reasoning text (`delta.reasoning_content` or
// `delta.reasoning`, whichever is first a non-null string, never both from one delta) goes to a Thinking
// block and `delta.content` to a Text block; a block is opened (BlockStart) when its kind of text starts and
// closed (BlockStop) when the other kind starts, so switching back opens a new block. Empty strings, null and
// absent fields carry nothing. `finish_reason` closes the open block -> Stop (a repeat of the same reason is
// not re-emitted); `usage` (in a `choices: []` chunk or on a content chunk) -> Usage; `[DONE]` -> Done.
// In-stream errors -> Error (HTTP status 200): a top-level `error` key in a chunk (OpenRouter, vLLM,
// llama.cpp; the rest of that chunk is applied first), `event: error` (Groq), and the legacy llama.cpp
// `error:` SSE field. Only choice 0 is read; tool-call deltas are not decoded.
class OpenAiDecoder final : public StreamDecoder {
public:
    void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
    void finish(std::vector<StreamEvent>& out) override;
    bool ended() const override { return m_ended; }

    // The event layer directly, bypassing SSE framing.
    void feedEvent(const SseEvent& event, std::vector<StreamEvent>& out);

private:
    void chunk(const detail::Json& j, std::vector<StreamEvent>& out);
    void fail(StreamEvent error, std::vector<StreamEvent>& out);

    class Dispatch;
    SseParser m_sse;
    detail::BlockSwitcher m_blocks;
    std::string m_last_stop;
    std::size_t m_event_number = 0;
    bool m_started = false;
    bool m_ended = false;
};

} // namespace kf::teacher
