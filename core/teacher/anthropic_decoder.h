// SPDX-License-Identifier: MIT
#pragma once

#include "sse_parser.h"
#include "stream_decoder.h"

#include <cstddef>
#include <string_view>
#include <vector>

namespace kf::teacher {

// Anthropic Messages API stream (docs/teacher-protocols.md §1.3-1.7): SSE events -> StreamEvents.
//
// message_start -> MessageStart (model, id, input-side usage incl. cache counters, initial output_tokens);
// content_block_start -> BlockStart (raw = the content_block JSON); thinking/signature/text/input_json
// deltas; content_block_stop -> BlockStop; message_delta -> Stop (stop_reason, raw = stop_details) and Usage;
// message_stop -> Done; `event: error` -> Error (HTTP status 200). ping, unknown events, unknown block and
// delta types (citations_delta, ...) are ignored. An event before message_start, a second message_start
// before message_stop (two generations are never merged), or data that is not a JSON object end the stream
// with Error{protocol_error}.
class AnthropicDecoder final : public StreamDecoder {
public:
    void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
    void finish(std::vector<StreamEvent>& out) override;
    bool ended() const override { return m_ended; }

    // The event layer directly, bypassing SSE framing (e.g. payload-per-line recordings).
    void feedEvent(const SseEvent& event, std::vector<StreamEvent>& out);

private:
    class Dispatch;
    void fail(StreamEvent error, std::vector<StreamEvent>& out);

    SseParser m_sse;
    std::size_t m_event_number = 0; // SSE events seen, 1-based in messages
    bool m_started = false;         // message_start seen
    bool m_ended = false;
};

} // namespace kf::teacher
