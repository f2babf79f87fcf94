// SPDX-License-Identifier: MIT
#include "ollama_decoder.h"

namespace kf::teacher {

namespace {

using detail::intField;
using detail::Json;
using detail::objectField;
using detail::stringField;
using T = StreamEvent::Type;

} // namespace

void OllamaDecoder::feed(std::string_view bytes, std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    m_lines.clear();
    m_ndjson.feed(bytes, m_lines);
    for (const std::string& line : m_lines) {
        if (m_ended) {
            break;
        }
        feedLine(line, out);
    }
}

void OllamaDecoder::finish(std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    const bool pending = m_ndjson.hasPendingLine();
    if (pending) {
        // A server that omits the final newline still sent a whole object; a cut line is not JSON.
        const std::string& line = m_ndjson.pendingLine();
        const Json j = detail::parseJson(line);
        if (!j.is_discarded() && j.is_object()) {
            feedLine(line, out);
            if (m_ended) {
                return;
            }
            fail(detail::incompleteStream("the final \"done\": true object", false), out);
            return;
        }
    }
    fail(detail::incompleteStream("the final \"done\": true object", pending), out);
}

void OllamaDecoder::fail(StreamEvent error, std::vector<StreamEvent>& out) {
    out.push_back(std::move(error));
    m_ended = true;
}

void OllamaDecoder::feedLine(std::string_view line, std::vector<StreamEvent>& out) {
    if (m_ended) {
        return;
    }
    ++m_line_number;
    const Json j = detail::parseJson(line);
    if (j.is_discarded() || !j.is_object()) {
        fail(detail::protocolError("Ollama stream: line " + std::to_string(m_line_number) +
                                   (j.is_discarded() ? " is not valid JSON: " : " is not a JSON object: ") +
                                   detail::excerpt(line)),
             out);
        return;
    }

    if (const auto error = j.find("error"); error != j.end() && !error->is_null()) {
        std::string message;
        if (error->is_string()) {
            message = error->get<std::string>();
        } else if (const std::string* m = stringField(*error, "message")) {
            message = *m;
        } else {
            message = detail::excerpt(detail::dumpJson(*error), 200);
        }
        StreamEvent e =
            detail::errorEvent("api_error", message.empty() ? "the server reported an error" : message);
        e.raw = detail::dumpJson(*error);
        fail(std::move(e), out);
        return;
    }

    if (!m_started) {
        m_started = true;
        StreamEvent e;
        e.type = T::MessageStart;
        if (const std::string* model = stringField(j, "model")) {
            e.model = *model;
        }
        out.push_back(std::move(e));
    }

    const Json* message = objectField(j, "message");
    const std::string* thinking = message != nullptr ? stringField(*message, "thinking") : nullptr;
    const std::string* content = message != nullptr ? stringField(*message, "content") : nullptr;
    if (thinking == nullptr) {
        thinking = stringField(j, "thinking"); // /api/generate
    }
    if (content == nullptr) {
        content = stringField(j, "response"); // /api/generate
    }
    if (thinking != nullptr && !thinking->empty()) {
        StreamEvent e;
        e.type = T::ThinkingDelta;
        e.index = m_blocks.ensure(BlockKind::Thinking, out);
        e.text = *thinking;
        out.push_back(std::move(e));
    }
    if (content != nullptr && !content->empty()) {
        StreamEvent e;
        e.type = T::TextDelta;
        e.index = m_blocks.ensure(BlockKind::Text, out);
        e.text = *content;
        out.push_back(std::move(e));
    }

    const auto done = j.find("done");
    if (done != j.end() && done->is_boolean() && done->get<bool>()) {
        m_blocks.close(out);
        if (const std::string* reason = stringField(j, "done_reason")) {
            StreamEvent e;
            e.type = T::Stop;
            e.stop_reason = *reason;
            out.push_back(std::move(e));
        }
        StreamEvent usage;
        usage.type = T::Usage;
        usage.input_tokens = intField(j, "prompt_eval_count");
        usage.output_tokens = intField(j, "eval_count");
        if (usage.input_tokens >= 0 || usage.output_tokens >= 0) {
            out.push_back(std::move(usage));
        }
        StreamEvent e;
        e.type = T::Done;
        out.push_back(std::move(e));
        m_ended = true;
    }
}

} // namespace kf::teacher
