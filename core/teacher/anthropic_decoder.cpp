// SPDX-License-Identifier: MIT
#include "anthropic_decoder.h"

#include "decoder_common.h"
#include "json_scan.h"

#include <string>

namespace kf::teacher {

namespace {

using detail::intField;
using detail::Json;
using detail::objectField;
using detail::stringField;
using T = StreamEvent::Type;

BlockKind blockKind(const std::string* type) {
    if (type == nullptr) {
        return BlockKind::Other;
    }
    if (*type == "thinking") {
        return BlockKind::Thinking;
    }
    if (*type == "redacted_thinking") {
        return BlockKind::RedactedThinking;
    }
    if (*type == "text") {
        return BlockKind::Text;
    }
    if (*type == "tool_use") {
        return BlockKind::ToolUse;
    }
    return BlockKind::Other; // server_tool_use, *_tool_result, container_upload, betas: kept as raw JSON
}

// The usage counters of a message_start.message.usage or message_delta.usage object.
void readUsage(const Json& usage, StreamEvent& e) {
    e.input_tokens = intField(usage, "input_tokens");
    e.output_tokens = intField(usage, "output_tokens");
    e.cache_read_tokens = intField(usage, "cache_read_input_tokens");
    e.cache_write_tokens = intField(usage, "cache_creation_input_tokens");
    if (const Json* details = objectField(usage, "output_tokens_details")) {
        e.thinking_tokens = intField(*details, "thinking_tokens");
    }
}

bool isKnownEvent(std::string_view name) {
    return name == "message_start" || name == "content_block_start" || name == "content_block_delta" ||
           name == "content_block_stop" || name == "message_delta" || name == "message_stop" ||
           name == "error";
}

// The hot event, {"type":"content_block_delta","index":N,"delta":{"type":"thinking_delta","thinking":"..."}}
// with keys in any order, read without building a document: thinking and text deltas are nearly every event
// of a stream, and a full parse of each made decoding 15x slower than loopback delivers the bytes. Returns
// false for anything else (unknown delta types, a missing field, an escape in a key, a duplicate key,
// malformed JSON...): the caller then takes the full path, which gives the same result for every input
// accepted here.
bool fastDelta(std::string_view data, StreamEvent& e) {
    detail::JsonScan s(data);
    int64_t index = -1;
    bool have_index = false;
    bool have_delta = false;
    std::string_view delta_type;
    std::string_view text_key;
    if (!s.consume('{')) {
        return false;
    }
    for (bool done = false; !done;) {
        std::string_view k;
        if (!s.key(k)) {
            return false;
        }
        if (k == "index") {
            if (have_index || !s.integer(index)) {
                return false;
            }
            have_index = true;
        } else if (k == "delta") {
            if (have_delta || !s.consume('{')) {
                return false;
            }
            have_delta = true;
            for (bool delta_done = false; !delta_done;) {
                std::string_view dk;
                if (!s.key(dk)) {
                    return false;
                }
                if (dk == "type") {
                    if (!delta_type.empty() || !s.plainString(delta_type)) {
                        return false;
                    }
                } else if (dk == "thinking" || dk == "text" || dk == "signature" || dk == "partial_json") {
                    if (!text_key.empty() || !s.string(e.text)) {
                        return false;
                    }
                    text_key = dk;
                } else if (!s.skipValue()) {
                    return false;
                }
                if (!s.nextMember(delta_done)) {
                    return false;
                }
            }
        } else if (!s.skipValue()) {
            return false; // "type" and anything else: checked, not used (the event name selects the handler)
        }
        if (!s.nextMember(done)) {
            return false;
        }
    }
    if (!s.atEnd() || !have_index || index < 0 || index > 1'000'000) {
        return false;
    }
    if (delta_type == "thinking_delta" && text_key == "thinking") {
        e.type = T::ThinkingDelta;
    } else if (delta_type == "text_delta" && text_key == "text") {
        e.type = T::TextDelta;
    } else if (delta_type == "signature_delta" && text_key == "signature") {
        e.type = T::SignatureDelta;
    } else if (delta_type == "input_json_delta" && text_key == "partial_json") {
        e.type = T::ToolInputDelta;
    } else {
        return false;
    }
    e.index = static_cast<int>(index);
    return true;
}

} // namespace

// Routes each SSE event: the hot delta events through fastDelta, everything else through feedEvent.
class AnthropicDecoder::Dispatch final : public SseParser::Sink {
public:
    Dispatch(AnthropicDecoder& decoder, std::vector<StreamEvent>& out)
        : m_decoder(decoder)
        , m_out(out) {}

    void onEvent(const SseEvent& ev) override {
        if (m_decoder.m_ended) {
            return;
        }
        if (m_decoder.m_started && ev.event == "content_block_delta") {
            StreamEvent e;
            if (fastDelta(ev.data, e)) {
                ++m_decoder.m_event_number;
                m_out.push_back(std::move(e));
                return;
            }
        }
        m_decoder.feedEvent(ev, m_out);
    }

private:
    AnthropicDecoder& m_decoder;
    std::vector<StreamEvent>& m_out;
};

void AnthropicDecoder::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    Dispatch dispatch(*this, out);
    m_sse.feed(bytes, dispatch);
}

void AnthropicDecoder::finish(std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    fail(detail::incompleteStream("message_stop", m_sse.hasPendingEvent()), out);
}

void AnthropicDecoder::fail(StreamEvent error, std::vector<StreamEvent>& out) {
    out.push_back(std::move(error));
    m_ended = true;
}

void AnthropicDecoder::feedEvent(const SseEvent& ev, std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    ++m_event_number;
    const auto where = [&](std::string_view name) {
        return "event " + std::to_string(m_event_number) + " (" + std::string(name) + ")";
    };

    // The event name selects the handler; a payload without an `event:` line is named by its JSON `type`.
    std::string name = ev.event;
    Json j;
    bool parsed = false;
    if (name.empty() || isKnownEvent(name)) {
        j = detail::parseJson(ev.data);
        parsed = true;
        if ((j.is_discarded() || !j.is_object()) && name == "error") {
            // A proxy's plain-text error event: still the error that ends the turn.
            StreamEvent e =
                detail::errorEvent("api_error", ev.data.empty() ? std::string("error event without details")
                                                                : detail::excerpt(ev.data, 200));
            e.raw = ev.data;
            fail(std::move(e), out);
            return;
        }
        if (j.is_discarded() || !j.is_object()) {
            fail(detail::protocolError(
                     "Anthropic stream: " + where(name.empty() ? "unnamed" : name) +
                     (j.is_discarded() ? " is not valid JSON: " : " is not a JSON object: ") +
                     detail::excerpt(ev.data)),
                 out);
            return;
        }
        if (name.empty()) {
            const std::string* type = stringField(j, "type");
            name = type != nullptr ? *type : std::string();
        }
    }
    if (!parsed || !isKnownEvent(name)) {
        return; // ping, or an event type added after this client was written
    }

    if (name == "error") {
        const Json* err = objectField(j, "error");
        const std::string* type = err != nullptr ? stringField(*err, "type") : nullptr;
        const std::string* message = err != nullptr ? stringField(*err, "message") : nullptr;
        StreamEvent e = detail::errorEvent(type != nullptr ? *type : "api_error",
                                           message != nullptr ? *message : detail::excerpt(ev.data, 200));
        if (const std::string* request_id = stringField(j, "request_id")) {
            e.request_id = *request_id;
        }
        e.raw = ev.data;
        fail(std::move(e), out);
        return;
    }

    if (name == "message_start") {
        if (m_started) {
            fail(detail::protocolError(
                     "Anthropic stream: event " + std::to_string(m_event_number) +
                     " is a second message_start before message_stop; the service restarted the "
                     "generation and the two are not merged"),
                 out);
            return;
        }
        m_started = true;
        StreamEvent e;
        e.type = T::MessageStart;
        if (const Json* message = objectField(j, "message")) {
            if (const std::string* model = stringField(*message, "model")) {
                e.model = *model;
            }
            if (const std::string* id = stringField(*message, "id")) {
                e.message_id = *id;
            }
            if (const Json* usage = objectField(*message, "usage")) {
                readUsage(*usage, e);
            }
        }
        out.push_back(std::move(e));
        return;
    }

    if (!m_started) {
        fail(detail::protocolError("Anthropic stream: " + where(name) + " arrived before message_start"),
             out);
        return;
    }

    if (name == "message_stop") {
        StreamEvent e;
        e.type = T::Done;
        out.push_back(std::move(e));
        m_ended = true;
        return;
    }

    if (name == "message_delta") {
        if (const Json* delta = objectField(j, "delta")) {
            if (const std::string* reason = stringField(*delta, "stop_reason")) {
                StreamEvent e;
                e.type = T::Stop;
                e.stop_reason = *reason;
                const auto details = delta->find("stop_details");
                if (details != delta->end() && !details->is_null()) {
                    e.raw = detail::dumpInOrder(ev.data, {"delta", "stop_details"});
                }
                out.push_back(std::move(e));
            }
        }
        if (const Json* usage = objectField(j, "usage")) {
            StreamEvent e;
            e.type = T::Usage;
            readUsage(*usage, e);
            out.push_back(std::move(e));
        }
        return;
    }

    // Block events: all carry an index.
    const int64_t index = intField(j, "index");
    if (index < 0 || index > 1'000'000) {
        fail(detail::protocolError("Anthropic stream: " + where(name) +
                                   " has no valid block index: " + detail::excerpt(ev.data)),
             out);
        return;
    }
    StreamEvent e;
    e.index = static_cast<int>(index);

    if (name == "content_block_start") {
        const Json* block = objectField(j, "content_block");
        if (block == nullptr) {
            fail(detail::protocolError("Anthropic stream: " + where(name) +
                                       " has no content_block: " + detail::excerpt(ev.data)),
                 out);
            return;
        }
        e.type = T::BlockStart;
        e.block_kind = blockKind(stringField(*block, "type"));
        e.raw = detail::dumpInOrder(ev.data, {"content_block"});
        out.push_back(std::move(e));
        return;
    }

    if (name == "content_block_stop") {
        e.type = T::BlockStop;
        out.push_back(std::move(e));
        return;
    }

    // content_block_delta
    const Json* delta = objectField(j, "delta");
    const std::string* type = delta != nullptr ? stringField(*delta, "type") : nullptr;
    if (type == nullptr) {
        return;
    }
    const char* field = nullptr;
    if (*type == "thinking_delta") {
        e.type = T::ThinkingDelta;
        field = "thinking";
    } else if (*type == "text_delta") {
        e.type = T::TextDelta;
        field = "text";
    } else if (*type == "signature_delta") {
        e.type = T::SignatureDelta;
        field = "signature";
    } else if (*type == "input_json_delta") {
        e.type = T::ToolInputDelta;
        field = "partial_json";
    } else {
        return; // citations_delta, compaction_delta, future types
    }
    const std::string* value = stringField(*delta, field);
    if (value == nullptr) {
        return;
    }
    e.text = *value;
    out.push_back(std::move(e));
}

} // namespace kf::teacher
