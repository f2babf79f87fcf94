// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/reasoning/session_types.h"

#include <QColor>
#include <QFont>
#include <QPalette>
#include <QString>
#include <QTextBlock>
#include <QTextCharFormat>
#include <QTextCursor>
#include <QTextDocument>
#include <vector>

namespace kf::widgets {

// The reasoning view's document, built by appending only: one section per turn (a header line, then its
// parts), thinking in its own dimmed segments under a "Thinking" label, the answer with its fenced code lines
// marked for the highlighter, and placeholder lines for redacted or omitted thinking. Sections and thinking
// segments collapse by hiding their blocks. Work per append is proportional to the appended text; the one
// earlier line touched is the turn's header, rewritten when its counters change.
class ReasoningDocument {
public:
    enum BlockKind { Header = 1, UserText, ThinkingLabel, Thinking, AnswerLabel, Answer, Notice, Status };
    enum class StatusKind { Info, Warning, Error };

    // Block format properties (QTextFormat::UserProperty + n).
    static constexpr int kKindProperty = 0x100000 + 1;
    static constexpr int kTurnProperty = 0x100000 + 2;
    static constexpr int kCodeProperty = 0x100000 + 3;

    ReasoningDocument(QTextDocument* doc, const QPalette& palette, const QFont& font);

    void clear();
    // Batches the appends between them into one document change (one layout pass).
    void beginBatch() { m_cursor.beginEditBlock(); }
    void endBatch() { m_cursor.endEditBlock(); }

    void beginUserTurn(int turn, const QString& text);
    void beginAssistantTurn(int turn);
    void appendThinking(int turn, const QString& text);
    void appendAnswer(int turn, const QString& text);
    void addNotice(int turn, ThinkingNotice notice);
    void addStatus(int turn, StatusKind kind, const QString& text);
    void setStats(const TurnStats& stats);
    void setState(int turn, const QString& state); // "streaming", "cancelled", "failed", "" (done)

    bool hasTurn(int turn) const { return section(turn) != nullptr; }
    int turnCount() const { return static_cast<int>(m_sections.size()); }
    bool isTurnCollapsed(int turn) const;
    bool isThinkingCollapsed(int turn) const; // every thinking segment of the turn
    void setTurnCollapsed(int turn, bool collapsed);
    void setThinkingCollapsed(int turn, bool collapsed);
    // A click on a header or a "Thinking" label toggles what it heads; false elsewhere.
    bool toggleAt(const QTextBlock& block);
    // Expands whatever hides `block` (a find result).
    void reveal(const QTextBlock& block);

    // What the document shows for a turn, as streamed (segments of one kind concatenated).
    QString thinkingText(int turn) const;
    QString answerText(int turn) const;

private:
    struct Segment {
        BlockKind kind = Answer;
        int label = -1; // block number of its label line, -1 when none
        int first = -1; // first block of its text
        bool collapsed = false;
        bool in_code = false; // answer: inside a fence
    };
    struct Section {
        int turn = -1;
        bool user = false;
        int header = -1;
        bool collapsed = false;
        std::vector<Segment> segments;
        TurnStats stats;
        QString state;
        qsizetype user_chars = 0;
    };

    Section* section(int turn);
    const Section* section(int turn) const;
    Section& openSection(int turn, bool user);
    Segment& segmentFor(Section& s, BlockKind kind);
    int sectionEnd(const Section& s) const; // last block number
    int segmentEnd(const Section& s, std::size_t i) const;
    void newBlock(BlockKind kind, int turn, bool code = false);
    void appendLines(Section& s, Segment& seg, const QString& text);
    void markCode();
    void applyVisibility(const Section& s, int from, int to);
    void setSegmentCollapsed(Section& s, std::size_t i, bool collapsed);
    void rewriteHeader(const Section& s);
    QString headerText(const Section& s) const;
    QString segmentText(const Section& s, BlockKind kind) const;
    QTextCharFormat charFormat(BlockKind kind, bool code = false) const;
    QTextCharFormat makeCharFormat(BlockKind kind, bool code) const;

    QTextDocument* m_doc;
    QTextCursor m_cursor; // always at the end
    std::vector<Section> m_sections;
    bool m_empty = true; // the document's first block is still unused

    QFont m_font;
    QFont m_mono;
    QTextCharFormat m_formats[Status + 1][2]; // by kind and code: built once (formats are compared on insert)
    QColor m_text, m_dim, m_header_bg, m_thinking_bg, m_code_bg, m_notice, m_error, m_warning;
};

} // namespace kf::widgets
