// SPDX-License-Identifier: MIT
#include "widgets/reasoning/stream_coalescer.h"

#include <algorithm>

namespace kf::widgets {

using teacher::BlockKind;
using teacher::StreamEvent;

StreamCoalescer::StreamCoalescer(std::size_t backlog_bytes, std::function<void()> on_backlog)
    : m_backlog_bytes(backlog_bytes)
    , m_on_backlog(std::move(on_backlog)) {}

void StreamCoalescer::apply(const StreamEvent& e) {
    switch (e.type) {
    case StreamEvent::Type::MessageStart:
    case StreamEvent::Type::Usage: {
        std::lock_guard lock(m_mutex);
        const auto overwrite = [](int64_t& counter, int64_t v) {
            if (v >= 0) {
                counter = v;
            }
        };
        overwrite(m_usage.input_tokens, e.input_tokens);
        overwrite(m_usage.output_tokens, e.output_tokens);
        overwrite(m_usage.thinking_tokens, e.thinking_tokens);
        overwrite(m_usage.cache_read_tokens, e.cache_read_tokens);
        overwrite(m_usage.cache_write_tokens, e.cache_write_tokens);
        if (!e.model.empty()) {
            m_model = e.model;
        }
        break;
    }
    case StreamEvent::Type::BlockStart:
        m_block = e.block_kind;
        m_block_has_text = false;
        // Texts of one kind are joined with a blank line, as Turn::thinkingText()/answerText() join them.
        m_separate_next = (e.block_kind == BlockKind::Thinking && m_thinking_seen) ||
                          (e.block_kind == BlockKind::Text && m_answer_seen);
        if (e.block_kind == BlockKind::RedactedThinking) {
            noticeRedacted();
        }
        break;
    case StreamEvent::Type::ThinkingDelta:
    case StreamEvent::Type::TextDelta: {
        if (e.text.empty()) {
            break;
        }
        const bool thinking = e.type == StreamEvent::Type::ThinkingDelta;
        if (m_block != (thinking ? BlockKind::Thinking : BlockKind::Text)) {
            // A decoder without block starts (none today): treat the delta as opening a block of its kind.
            m_block = thinking ? BlockKind::Thinking : BlockKind::Text;
            m_separate_next = thinking ? m_thinking_seen : m_answer_seen;
        }
        m_block_has_text = true;
        (thinking ? m_thinking_seen : m_answer_seen) = true;
        const auto kind = thinking ? Piece::Kind::Thinking : Piece::Kind::Answer;
        if (m_separate_next) {
            m_separate_next = false;
            appendText(kind, "\n\n" + e.text);
        } else {
            appendText(kind, e.text);
        }
        break;
    }
    case StreamEvent::Type::BlockStop:
        if (m_block == BlockKind::Thinking && !m_block_has_text) {
            std::lock_guard lock(m_mutex);
            m_pending.push_back({Piece::Kind::Omitted, {}});
        }
        m_block = BlockKind::Other;
        break;
    default:
        break;
    }
}

void StreamCoalescer::noticeRedacted() {
    std::lock_guard lock(m_mutex);
    m_pending.push_back({Piece::Kind::Redacted, {}});
}

void StreamCoalescer::appendText(Piece::Kind kind, const std::string& text) {
    bool signal = false;
    {
        std::lock_guard lock(m_mutex);
        const auto now = Clock::now();
        if (!m_first_text) {
            m_first_text = now;
        }
        m_last_text = now;
        m_text_bytes += text.size();
        if (!m_pending.empty() && m_pending.back().kind == kind) {
            m_pending.back().text += text;
        } else {
            m_pending.push_back({kind, text});
        }
        m_pending_bytes += text.size();
        if (m_pending_bytes >= m_backlog_bytes && !m_backlog_signalled) {
            m_backlog_signalled = true;
            signal = true;
        }
    }
    if (signal && m_on_backlog) {
        m_on_backlog(); // outside the lock: it may queue a call that takes the lock on the GUI thread
    }
}

StreamCoalescer::Batch StreamCoalescer::take(std::size_t max_bytes) {
    std::lock_guard lock(m_mutex);
    Batch b;
    std::size_t taken = 0;
    std::size_t n = 0;
    for (; n < m_pending.size() && taken < max_bytes; ++n) {
        auto& p = m_pending[n];
        const std::size_t room = max_bytes - taken;
        if (p.text.size() <= room) {
            taken += p.text.size();
            b.pieces.push_back(std::move(p));
            continue;
        }
        std::size_t cut = room;
        while (cut > 0 && (static_cast<unsigned char>(p.text[cut]) & 0xC0) == 0x80) {
            --cut; // never split a UTF-8 sequence
        }
        if (cut == 0) {
            break;
        }
        b.pieces.push_back({p.kind, p.text.substr(0, cut)});
        p.text.erase(0, cut);
        taken += cut;
        break;
    }
    m_pending.erase(m_pending.begin(), m_pending.begin() + static_cast<std::ptrdiff_t>(n));
    m_pending_bytes -= std::min(m_pending_bytes, taken);
    m_backlog_signalled = false;
    b.more = !m_pending.empty();
    b.usage = m_usage;
    b.model = m_model;
    b.text_bytes = m_text_bytes;
    b.first_text = m_first_text;
    b.last_text = m_last_text;
    return b;
}

std::size_t StreamCoalescer::pendingBytes() const {
    std::lock_guard lock(m_mutex);
    return m_pending_bytes;
}

} // namespace kf::widgets
