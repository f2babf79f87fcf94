// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

struct SseEvent {
    std::string event; // "" when the event had no event: field
    std::string data;  // data: lines joined with '\n'
    std::string id;
    std::string error; // the non-standard `error:` field of older llama.cpp servers
    bool operator==(const SseEvent&) const = default;
};

// Incremental WHATWG event-stream parser: accepts any split of the bytes (one at a time included), LF, CRLF
// or lone CR line ends (a CR at the end of one chunk and LF at the start of the next are one break),
// comments, multi-line data, lines of any length, UTF-8 split across chunks (lines are split on bytes, never
// decoded).
class SseParser {
public:
    // Receives each event as it completes. The event is the parser's own and is reused for the next one (no
    // allocation per event once its buffers have grown): copy what must outlive the call.
    class Sink {
    public:
        virtual void onEvent(const SseEvent& event) = 0;

    protected:
        ~Sink() = default;
    };

    void feed(std::string_view bytes, Sink& sink);

    // Appends a copy of every event completed by `bytes` to `out`.
    void feed(std::string_view bytes, std::vector<SseEvent>& out);

    // True when bytes after the last dispatched event would have formed a further event had the stream gone
    // on: at end of stream this means it was cut mid-event (an undelivered event, not dispatched).
    bool hasPendingEvent() const;

    std::size_t bytesFed() const { return m_total; }

private:
    void line(std::string_view l, Sink& sink);

    std::string m_line;     // the current line, when it started in an earlier chunk
    bool m_skip_lf = false; // the previous chunk ended with CR
    SseEvent m_event;
    bool m_has_data = false;
    bool m_has_fields = false;
    std::size_t m_total = 0;
};

} // namespace kf::teacher
