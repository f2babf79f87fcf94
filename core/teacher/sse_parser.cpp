// SPDX-License-Identifier: MIT
#include "sse_parser.h"

#include <cstring>

namespace kf::teacher {
namespace {

class CopyingSink final : public SseParser::Sink {
public:
    explicit CopyingSink(std::vector<SseEvent>& out)
        : m_out(out) {}
    void onEvent(const SseEvent& event) override { m_out.push_back(event); }

private:
    std::vector<SseEvent>& m_out;
};

const char* find(const char* from, const char* to, char c) {
    return static_cast<const char*>(std::memchr(from, c, static_cast<std::size_t>(to - from)));
}

} // namespace

void SseParser::feed(std::string_view bytes, std::vector<SseEvent>& out) {
    CopyingSink sink(out);
    feed(bytes, sink);
}

// Lines are found with memchr (the stream is mostly long data lines) and handed over in place when they lie
// within one chunk; only a line that spans chunks is assembled in m_line.
void SseParser::feed(std::string_view bytes, Sink& sink) {
    m_total += bytes.size();
    const char* p = bytes.data();
    const char* const end = p + bytes.size();
    if (m_skip_lf && p < end) {
        // The LF of a CRLF whose CR ended the previous chunk.
        if (*p == '\n') {
            ++p;
        }
        m_skip_lf = false;
    }
    const char* lf =
        nullptr; // the next LF at or after p, found once and reused until passed (linear overall)
    while (p < end) {
        if (lf == nullptr || lf < p) {
            lf = find(p, end, '\n');
            if (lf == nullptr) {
                lf = end;
            }
        }
        const char* cr = find(p, lf, '\r');
        const char* eol = cr != nullptr ? cr : lf;
        if (eol == end) {
            m_line.append(p, static_cast<std::size_t>(end - p));
            return;
        }
        if (m_line.empty()) {
            line(std::string_view(p, static_cast<std::size_t>(eol - p)), sink);
        } else {
            m_line.append(p, static_cast<std::size_t>(eol - p));
            line(m_line, sink);
            m_line.clear();
        }
        p = eol + 1;
        if (*eol == '\r') {
            if (p == end) {
                m_skip_lf = true;
            } else if (*p == '\n') {
                ++p;
            }
        }
    }
}

bool SseParser::hasPendingEvent() const {
    return m_has_fields || !m_line.empty();
}

void SseParser::line(std::string_view l, Sink& sink) {
    if (l.empty()) {
        // Dispatch. WHATWG drops events with no data; like the official SDK decoders (and the protocol notes,
        // §4), an event with a name but no data is still dispatched, and the llama.cpp error field is kept.
        if (m_has_data || !m_event.event.empty() || !m_event.error.empty()) {
            sink.onEvent(m_event);
        }
        // clear() keeps the buffers: the next event reuses them.
        m_event.event.clear();
        m_event.data.clear();
        m_event.id.clear();
        m_event.error.clear();
        m_has_data = false;
        m_has_fields = false;
        return;
    }
    if (l.front() == ':') {
        return; // comment (keep-alives, ": OPENROUTER PROCESSING")
    }
    const auto colon = l.find(':');
    std::string_view field = l.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : l.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') {
        value.remove_prefix(1);
    }
    m_has_fields = true;
    if (field == "data") {
        if (m_has_data) {
            m_event.data += '\n';
        }
        m_event.data.append(value);
        m_has_data = true;
    } else if (field == "event") {
        m_event.event.assign(value);
    } else if (field == "id") {
        m_event.id.assign(value);
    } else if (field == "error") {
        m_event.error.assign(value);
    }
    // retry: and unknown fields are ignored.
}

} // namespace kf::teacher
