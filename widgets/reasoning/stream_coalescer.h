// SPDX-License-Identifier: MIT
#pragma once

#include "core/teacher/stream_event.h"
#include "core/teacher/turn.h"

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace kf::widgets {

// Collects a stream's events on the worker thread so that the GUI thread takes them in batches (on a timer,
// or early when much has piled up) instead of one queued call per delta: at 5,000 tokens a second a call per
// delta would flood the event loop. Consecutive text of the same kind is merged; the order of thinking,
// answer and notices is kept. Thread-safe: apply() on the worker, take() on the GUI thread.
class StreamCoalescer {
public:
    using Clock = std::chrono::steady_clock;

    struct Piece {
        enum class Kind { Thinking, Answer, Redacted, Omitted };
        Kind kind = Kind::Answer;
        std::string text; // Thinking/Answer only
    };
    struct Batch {
        std::vector<Piece> pieces;
        teacher::Usage usage;       // the latest usage snapshot of the stream
        std::string model;          // as the service reported it, "" until it did
        std::size_t text_bytes = 0; // thinking and answer bytes streamed so far (all batches)
        std::optional<Clock::time_point> first_text; // when the first thinking or answer byte arrived
        std::optional<Clock::time_point> last_text;
        bool more = false; // take() left pending text behind (its limit)
    };

    // `on_backlog` runs on the worker when the pending text first exceeds `backlog_bytes` since the last
    // take().
    explicit StreamCoalescer(std::size_t backlog_bytes = 32 * 1024, std::function<void()> on_backlog = {});

    void apply(const teacher::StreamEvent& e); // worker thread
    void noticeRedacted();                     // worker thread (also from apply)

    // Everything pending, at most about `max_bytes` of text (a piece is cut on a UTF-8 boundary).
    Batch take(std::size_t max_bytes = 256 * 1024);
    std::size_t pendingBytes() const;

private:
    void appendText(Piece::Kind kind, const std::string& text);

    mutable std::mutex m_mutex;
    std::vector<Piece> m_pending;
    std::size_t m_pending_bytes = 0;
    std::size_t m_backlog_bytes;
    std::function<void()> m_on_backlog;
    bool m_backlog_signalled = false;

    teacher::Usage m_usage;
    std::string m_model;
    std::size_t m_text_bytes = 0;
    std::optional<Clock::time_point> m_first_text;
    std::optional<Clock::time_point> m_last_text;

    // Worker-side block state (only apply() touches it).
    teacher::BlockKind m_block = teacher::BlockKind::Other;
    bool m_block_has_text = false;
    bool m_thinking_seen = false; // a non-empty thinking block came before: the next one is set apart
    bool m_answer_seen = false;
    bool m_separate_next = false; // the next text of the current block starts with "\n\n"
};

} // namespace kf::widgets
