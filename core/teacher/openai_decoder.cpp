// SPDX-License-Identifier: MIT
#include "openai_decoder.h"

namespace kf::teacher {

namespace {

using detail::intField;
using detail::Json;
using detail::objectField;
using detail::stringField;
using T = StreamEvent::Type;

std::string_view trim(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) {
        return {};
    }
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

// An error value as the servers send it: {"message","type","code",...}, a bare string, or anything else.
StreamEvent errorFrom(const Json& err, std::string_view fallback_text) {
    std::string type = "api_error";
    std::string message;
    if (err.is_object()) {
        if (const std::string* t = stringField(err, "type")) {
            type = *t;
        } else if (const auto code = err.find("code"); code != err.end() && code->is_string()) {
            type = code->get<std::string>();
        } else if (code != err.end() && code->is_number_integer()) {
            type = std::to_string(code->get<int64_t>());
        }
        if (const std::string* m = stringField(err, "message")) {
            message = *m;
        }
    } else if (err.is_string()) {
        message = err.get<std::string>();
    }
    if (message.empty()) {
        message = err.is_discarded() || err.is_null() ? detail::excerpt(fallback_text, 200)
                                                      : detail::excerpt(detail::dumpJson(err), 200);
    }
    if (message.empty()) {
        message = "the server reported an error without details";
    }
    StreamEvent e = detail::errorEvent(std::move(type), std::move(message));
    if (!err.is_discarded() && !err.is_null()) {
        e.raw = detail::dumpJson(err);
    }
    return e;
}

} // namespace

// Hands each SSE event to feedEvent as it completes (no copy of the event).
class OpenAiDecoder::Dispatch final : public SseParser::Sink {
public:
    Dispatch(OpenAiDecoder& decoder, std::vector<StreamEvent>& out)
        : m_decoder(decoder)
        , m_out(out) {}
    void onEvent(const SseEvent& ev) override { m_decoder.feedEvent(ev, m_out); }

private:
    OpenAiDecoder& m_decoder;
    std::vector<StreamEvent>& m_out;
};

void OpenAiDecoder::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    Dispatch dispatch(*this, out);
    m_sse.feed(bytes, dispatch);
}

void OpenAiDecoder::finish(std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    fail(detail::incompleteStream("data: [DONE]", m_sse.hasPendingEvent()), out);
}

void OpenAiDecoder::fail(StreamEvent error, std::vector<StreamEvent>& out) {
    out.push_back(std::move(error));
    m_ended = true;
}

void OpenAiDecoder::feedEvent(const SseEvent& ev, std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    ++m_event_number;

    // Older llama.cpp servers: a non-standard `error:` field with the error JSON, then [DONE].
    if (!ev.error.empty()) {
        const Json err = detail::parseJson(ev.error);
        const Json* inner = objectField(err, "error");
        fail(errorFrom(inner != nullptr ? *inner : err, ev.error), out);
        return;
    }

    const std::string_view data = trim(ev.data);
    // Groq: a named error event, with no [DONE] after it.
    if (ev.event == "error") {
        const Json j = detail::parseJson(data);
        const auto inner = j.is_object() ? j.find("error") : j.end();
        fail(errorFrom(j.is_object() && inner != j.end() ? *inner : j, data), out);
        return;
    }
    if (data.empty()) {
        return; // an empty data: line carries nothing
    }
    if (data == "[DONE]") {
        m_blocks.close(out);
        StreamEvent e;
        e.type = T::Done;
        out.push_back(std::move(e));
        m_ended = true;
        return;
    }
    const Json j = detail::parseJson(data);
    if (j.is_discarded() || !j.is_object()) {
        fail(detail::protocolError("OpenAI-compatible stream: event " + std::to_string(m_event_number) +
                                   (j.is_discarded() ? " is not valid JSON: " : " is not a JSON object: ") +
                                   detail::excerpt(data)),
             out);
        return;
    }
    chunk(j, out);
}

void OpenAiDecoder::chunk(const Json& j, std::vector<StreamEvent>& out) {
    const auto error = j.find("error");
    const bool has_error = error != j.end() && !error->is_null();
    const auto choices = j.find("choices");

    if (!m_started && (!has_error || choices != j.end())) {
        m_started = true;
        StreamEvent e;
        e.type = T::MessageStart;
        if (const std::string* model = stringField(j, "model")) {
            e.model = *model;
        }
        if (const std::string* id = stringField(j, "id")) {
            e.message_id = *id;
        }
        out.push_back(std::move(e));
    }

    if (choices != j.end() && choices->is_array()) {
        for (const Json& choice : *choices) {
            const auto index = choice.is_object() ? choice.find("index") : choice.end();
            if (!choice.is_object() ||
                (index != choice.end() && (!index->is_number_integer() || *index != 0))) {
                continue; // n > 1: only the first choice is decoded
            }
            if (const Json* delta = objectField(choice, "delta")) {
                const std::string* reasoning = stringField(*delta, "reasoning_content");
                if (reasoning == nullptr) {
                    reasoning = stringField(*delta, "reasoning");
                }
                if (reasoning != nullptr && !reasoning->empty()) {
                    StreamEvent e;
                    e.type = T::ThinkingDelta;
                    e.index = m_blocks.ensure(BlockKind::Thinking, out);
                    e.text = *reasoning;
                    out.push_back(std::move(e));
                }
                const std::string* content = stringField(*delta, "content");
                if (content != nullptr && !content->empty()) {
                    StreamEvent e;
                    e.type = T::TextDelta;
                    e.index = m_blocks.ensure(BlockKind::Text, out);
                    e.text = *content;
                    out.push_back(std::move(e));
                }
            }
            if (const std::string* reason = stringField(choice, "finish_reason")) {
                m_blocks.close(out);
                if (*reason != m_last_stop) {
                    m_last_stop = *reason;
                    StreamEvent e;
                    e.type = T::Stop;
                    e.stop_reason = *reason;
                    out.push_back(std::move(e));
                }
            }
        }
    }

    if (const Json* usage = objectField(j, "usage")) {
        StreamEvent e;
        e.type = T::Usage;
        e.input_tokens = intField(*usage, "prompt_tokens");
        e.output_tokens = intField(*usage, "completion_tokens");
        if (const Json* details = objectField(*usage, "completion_tokens_details")) {
            e.thinking_tokens = intField(*details, "reasoning_tokens");
        }
        out.push_back(std::move(e));
    }

    if (has_error) {
        fail(errorFrom(*error, detail::dumpJson(j)), out);
    }
}

} // namespace kf::teacher
