// SPDX-License-Identifier: MIT
#pragma once

#include "decoder_common.h"
#include "ndjson_parser.h"
#include "stream_decoder.h"

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

// Ollama native NDJSON (docs/teacher-protocols.md §3), /api/chat (`message.thinking`, `message.content`) and
// /api/generate (top-level `thinking`, `response`).
//
// The first object -> MessageStart (model). Thinking text goes to a Thinking block and content to a Text
// block, switching blocks as the OpenAI decoder does. The final `done: true` object closes the open block ->
// Stop (done_reason), Usage (prompt_eval_count input, eval_count output incl. thinking), Done. A `{"error":
// ...}` line -> Error (HTTP status 200: the status does not change once streaming started). A line that is
// not a JSON object -> Error{protocol_error}. At finish, a last line without its newline is decoded when it
// is a whole JSON object; otherwise the stream was cut and finish() reports incomplete_stream.
class OllamaDecoder final : public StreamDecoder {
public:
    void feed(std::string_view bytes, std::vector<StreamEvent>& out) override;
    void finish(std::vector<StreamEvent>& out) override;
    bool ended() const override { return m_ended; }

    // One NDJSON line, bypassing framing.
    void feedLine(std::string_view line, std::vector<StreamEvent>& out);

private:
    void fail(StreamEvent error, std::vector<StreamEvent>& out);

    NdjsonParser m_ndjson;
    std::vector<std::string> m_lines; // scratch, reused across feeds
    detail::BlockSwitcher m_blocks;
    std::size_t m_line_number = 0;
    bool m_started = false;
    bool m_ended = false;
};

} // namespace kf::teacher
