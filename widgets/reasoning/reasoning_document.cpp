// SPDX-License-Identifier: MIT
#include "widgets/reasoning/reasoning_document.h"

#include <QFontDatabase>
#include <QLocale>
#include <QStringView>
#include <algorithm>

namespace kf::widgets {

namespace {

QColor blend(const QColor& a, const QColor& b, double t) {
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

QString count(qint64 v) {
    return QLocale(QLocale::English).toString(v);
}

bool isFence(QStringView line) {
    const auto t = line.trimmed();
    return t.startsWith(u"```") || t.startsWith(u"~~~");
}

QString noticeText(ThinkingNotice n) {
    return n == ThinkingNotice::Redacted
               ? QStringLiteral("\u2298 Thinking redacted by the service: encrypted, not readable here "
                                "(kept byte for byte for the follow-up)")
               : QStringLiteral("\u2298 Thinking omitted by the service: only its signature arrived");
}

} // namespace

ReasoningDocument::ReasoningDocument(QTextDocument* doc, const QPalette& palette, const QFont& font)
    : m_doc(doc)
    , m_cursor(doc)
    , m_font(font)
    , m_mono(QFontDatabase::systemFont(QFontDatabase::FixedFont)) {
    m_doc->setUndoRedoEnabled(false);
    m_mono.setPointSizeF(font.pointSizeF() > 0 ? font.pointSizeF() * 0.95 : m_mono.pointSizeF());
    const QColor base = palette.color(QPalette::Base);
    m_text = palette.color(QPalette::Text);
    const bool dark = base.lightnessF() < 0.5;
    m_dim = blend(m_text, base, 0.42);
    m_header_bg = blend(base, palette.color(QPalette::Highlight), dark ? 0.30 : 0.14);
    m_thinking_bg = blend(base, palette.color(QPalette::Highlight), dark ? 0.10 : 0.045);
    m_code_bg = blend(base, m_text, dark ? 0.10 : 0.055);
    m_notice = dark ? QColor(0xe5, 0xc0, 0x7b) : QColor(0x9a, 0x5b, 0x00);
    m_warning = m_notice;
    m_error = dark ? QColor(0xff, 0x7b, 0x72) : QColor(0xc0, 0x1c, 0x28);
    for (int k = 0; k <= Status; ++k) {
        for (int code = 0; code < 2; ++code) {
            m_formats[k][code] = makeCharFormat(static_cast<BlockKind>(k), code == 1);
        }
    }
}

void ReasoningDocument::clear() {
    m_doc->clear();
    m_cursor = QTextCursor(m_doc);
    m_sections.clear();
    m_empty = true;
}

QTextCharFormat ReasoningDocument::charFormat(BlockKind kind, bool code) const {
    return m_formats[kind][code ? 1 : 0];
}

QTextCharFormat ReasoningDocument::makeCharFormat(BlockKind kind, bool code) const {
    QTextCharFormat f;
    f.setFont(code ? m_mono : m_font);
    f.setForeground(m_text);
    switch (kind) {
    case Header:
        f.setFontWeight(QFont::Bold);
        break;
    case ThinkingLabel:
    case AnswerLabel:
        f.setFontWeight(QFont::DemiBold);
        f.setForeground(kind == ThinkingLabel ? m_dim : m_text);
        f.setFontItalic(kind == ThinkingLabel);
        break;
    case Thinking:
    case UserText:
        f.setFontItalic(kind == Thinking);
        f.setForeground(m_dim);
        break;
    case Notice:
        f.setFontItalic(true);
        f.setForeground(m_notice);
        break;
    default:
        break;
    }
    return f;
}

void ReasoningDocument::newBlock(BlockKind kind, int turn, bool code) {
    QTextBlockFormat bf;
    bf.setProperty(kKindProperty, static_cast<int>(kind));
    bf.setProperty(kTurnProperty, turn);
    if (code) {
        bf.setProperty(kCodeProperty, true);
        bf.setBackground(m_code_bg);
    } else if (kind == Header) {
        bf.setBackground(m_header_bg);
    } else if (kind == Thinking || kind == ThinkingLabel || kind == Notice) {
        bf.setBackground(m_thinking_bg);
    }
    if (m_empty) {
        m_cursor.setBlockFormat(bf);
        m_cursor.setBlockCharFormat(charFormat(kind, code));
        m_empty = false;
    } else {
        m_cursor.insertBlock(bf, charFormat(kind, code));
    }
}

ReasoningDocument::Section* ReasoningDocument::section(int turn) {
    for (auto it = m_sections.rbegin(); it != m_sections.rend(); ++it) {
        if (it->turn == turn) {
            return &*it;
        }
    }
    return nullptr;
}

const ReasoningDocument::Section* ReasoningDocument::section(int turn) const {
    return const_cast<ReasoningDocument*>(this)->section(turn);
}

ReasoningDocument::Section& ReasoningDocument::openSection(int turn, bool user) {
    if (auto* s = section(turn)) {
        return *s;
    }
    if (!m_empty) {
        newBlock(static_cast<BlockKind>(0), turn); // a blank line between turns
    }
    Section s;
    s.turn = turn;
    s.user = user;
    s.collapsed = user; // prompts are long and known: shown on demand
    newBlock(Header, turn);
    s.header = m_cursor.blockNumber();
    m_sections.push_back(std::move(s));
    rewriteHeader(m_sections.back());
    return m_sections.back();
}

void ReasoningDocument::beginUserTurn(int turn, const QString& text) {
    Section& s = openSection(turn, true);
    s.user_chars = text.size();
    rewriteHeader(s);
    appendLines(s, segmentFor(s, UserText), text);
}

void ReasoningDocument::beginAssistantTurn(int turn) {
    Section& s = openSection(turn, false);
    s.state = QStringLiteral("streaming");
    rewriteHeader(s);
}

ReasoningDocument::Segment& ReasoningDocument::segmentFor(Section& s, BlockKind kind) {
    if (!s.segments.empty() && s.segments.back().kind == kind && kind != Notice && kind != Status) {
        return s.segments.back();
    }
    Segment seg;
    seg.kind = kind;
    if (kind == Thinking || kind == Answer) {
        const bool any_answer = std::any_of(s.segments.begin(), s.segments.end(),
                                            [](const Segment& x) { return x.kind == Answer; });
        // The answer gets a label when thinking came before it, so the two read as separate parts.
        const bool any_thinking = std::any_of(s.segments.begin(), s.segments.end(), [](const Segment& x) {
            return x.kind == Thinking || x.kind == Notice;
        });
        if (kind == Thinking || (!any_answer && any_thinking)) {
            newBlock(kind == Thinking ? ThinkingLabel : AnswerLabel, s.turn);
            seg.label = m_cursor.blockNumber();
            m_cursor.insertText(kind == Thinking ? QStringLiteral("\u25be Thinking")
                                                 : QStringLiteral("Answer"),
                                charFormat(kind == Thinking ? ThinkingLabel : AnswerLabel));
        }
    }
    newBlock(kind, s.turn);
    seg.first = m_cursor.blockNumber();
    s.segments.push_back(seg);
    if (s.collapsed) {
        applyVisibility(s, seg.label >= 0 ? seg.label : seg.first, seg.first);
    }
    return s.segments.back();
}

void ReasoningDocument::appendThinking(int turn, const QString& text) {
    Section& s = openSection(turn, false);
    appendLines(s, segmentFor(s, Thinking), text);
}

void ReasoningDocument::appendAnswer(int turn, const QString& text) {
    Section& s = openSection(turn, false);
    appendLines(s, segmentFor(s, Answer), text);
}

void ReasoningDocument::addNotice(int turn, ThinkingNotice notice) {
    Section& s = openSection(turn, false);
    segmentFor(s, Notice);
    m_cursor.insertText(noticeText(notice), charFormat(Notice));
}

void ReasoningDocument::addStatus(int turn, StatusKind kind, const QString& text) {
    Section& s = openSection(turn, false);
    segmentFor(s, Status);
    QTextCharFormat f = charFormat(Status);
    f.setForeground(kind == StatusKind::Error ? m_error : kind == StatusKind::Warning ? m_warning : m_dim);
    f.setFontWeight(kind == StatusKind::Info ? QFont::Normal : QFont::DemiBold);
    m_cursor.insertText(text, f);
}

// Inserts whole runs of lines at once (QTextCursor makes the blocks; new blocks take the current block's
// format), so the cost per line is Qt's own. Answers are cut into runs at their fences: a fence line opens or
// closes a code block, judged when the line is complete (it may arrive in pieces).
void ReasoningDocument::appendLines(Section& s, Segment& seg, const QString& text) {
    const int from = m_cursor.blockNumber();
    if (seg.kind != Answer) {
        m_cursor.insertText(text, charFormat(seg.kind));
    } else {
        qsizetype start = 0; // of the text not inserted yet
        for (qsizetype pos = 0;;) {
            const qsizetype nl = text.indexOf(u'\n', pos);
            if (nl < 0) {
                break;
            }
            const bool fence = pos == 0 ? isFence(m_cursor.block().text() + text.left(nl))
                                        : isFence(QStringView(text).mid(pos, nl - pos));
            if (fence && !seg.in_code) {
                m_cursor.insertText(text.mid(start, pos - start), charFormat(Answer, false));
                markCode(); // the fence line (and what follows, in its blocks) is code
                seg.in_code = true;
                start = pos;
            } else if (fence) {
                m_cursor.insertText(text.mid(start, nl - start), charFormat(Answer, true));
                newBlock(Answer, s.turn, false);
                seg.in_code = false;
                start = nl + 1;
            }
            pos = nl + 1;
        }
        if (start < text.size()) {
            m_cursor.insertText(start == 0 ? text : text.mid(start), charFormat(Answer, seg.in_code));
        }
    }
    if (s.collapsed || seg.collapsed) {
        applyVisibility(s, from, m_cursor.blockNumber());
    }
}

// Makes the cursor's block a code line, with what it already holds (a fence typed as prose until complete).
void ReasoningDocument::markCode() {
    QTextBlockFormat bf = m_cursor.blockFormat();
    bf.setProperty(kCodeProperty, true);
    bf.setBackground(m_code_bg);
    m_cursor.setBlockFormat(bf);
    if (m_cursor.positionInBlock() > 0) {
        QTextCursor c(m_cursor.block());
        c.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
        c.setCharFormat(charFormat(Answer, true));
    }
}

int ReasoningDocument::sectionEnd(const Section& s) const {
    for (std::size_t i = 0; i + 1 < m_sections.size(); ++i) {
        if (&m_sections[i] == &s) {
            return m_sections[i + 1].header - 2; // the blank line before the next header is not part of it
        }
    }
    return m_doc->blockCount() - 1;
}

int ReasoningDocument::segmentEnd(const Section& s, std::size_t i) const {
    if (i + 1 < s.segments.size()) {
        const auto& next = s.segments[i + 1];
        return (next.label >= 0 ? next.label : next.first) - 1;
    }
    return sectionEnd(s);
}

void ReasoningDocument::applyVisibility(const Section& s, int from, int to) {
    bool changed = false;
    QTextBlock b = m_doc->findBlockByNumber(from);
    const QTextBlock first = b;
    std::size_t seg = 0;
    for (int n = from; n <= to && b.isValid(); ++n, b = b.next()) {
        bool visible = true;
        if (s.collapsed) {
            visible = n == s.header;
        } else {
            while (seg + 1 < s.segments.size() && n > segmentEnd(s, seg)) {
                ++seg;
            }
            if (!s.segments.empty() && n > s.header) {
                const auto& g = s.segments[seg];
                visible = !g.collapsed || n == g.label || n < (g.label >= 0 ? g.label : g.first);
            }
        }
        if (b.isVisible() != visible) {
            b.setVisible(visible);
            changed = true;
        }
    }
    if (changed && first.isValid()) {
        const QTextBlock last = b.isValid() ? b : m_doc->lastBlock();
        m_doc->markContentsDirty(first.position(), last.position() + last.length() - first.position());
    }
}

void ReasoningDocument::setTurnCollapsed(int turn, bool collapsed) {
    Section* s = section(turn);
    if (!s || s->collapsed == collapsed) {
        return;
    }
    s->collapsed = collapsed;
    rewriteHeader(*s);
    applyVisibility(*s, s->header, sectionEnd(*s));
}

void ReasoningDocument::setSegmentCollapsed(Section& s, std::size_t i, bool collapsed) {
    auto& g = s.segments[i];
    if (g.kind != Thinking || g.collapsed == collapsed) {
        return;
    }
    g.collapsed = collapsed;
    QTextCursor c(m_doc->findBlockByNumber(g.label));
    c.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    c.insertText(collapsed ? QStringLiteral("\u25b8 Thinking (collapsed)")
                           : QStringLiteral("\u25be Thinking"),
                 charFormat(ThinkingLabel));
    if (!s.collapsed) {
        applyVisibility(s, g.label, segmentEnd(s, i));
    }
}

void ReasoningDocument::setThinkingCollapsed(int turn, bool collapsed) {
    if (Section* s = section(turn)) {
        for (std::size_t i = 0; i < s->segments.size(); ++i) {
            setSegmentCollapsed(*s, i, collapsed);
        }
    }
}

bool ReasoningDocument::isTurnCollapsed(int turn) const {
    const Section* s = section(turn);
    return s && s->collapsed;
}

bool ReasoningDocument::isThinkingCollapsed(int turn) const {
    const Section* s = section(turn);
    if (!s) {
        return false;
    }
    bool any = false;
    for (const auto& g : s->segments) {
        if (g.kind == Thinking) {
            any = true;
            if (!g.collapsed) {
                return false;
            }
        }
    }
    return any;
}

bool ReasoningDocument::toggleAt(const QTextBlock& block) {
    const int kind = block.blockFormat().intProperty(kKindProperty);
    const int turn = block.blockFormat().intProperty(kTurnProperty);
    Section* s = section(turn);
    if (!s) {
        return false;
    }
    if (kind == Header) {
        setTurnCollapsed(turn, !s->collapsed);
        return true;
    }
    if (kind != ThinkingLabel) {
        return false;
    }
    for (std::size_t i = 0; i < s->segments.size(); ++i) {
        if (s->segments[i].label == block.blockNumber()) {
            setSegmentCollapsed(*s, i, !s->segments[i].collapsed);
            return true;
        }
    }
    return false;
}

void ReasoningDocument::reveal(const QTextBlock& block) {
    const int turn = block.blockFormat().intProperty(kTurnProperty);
    Section* s = section(turn);
    if (!s) {
        return;
    }
    setTurnCollapsed(turn, false);
    if (block.blockFormat().intProperty(kKindProperty) == Thinking && !block.isVisible()) {
        setThinkingCollapsed(turn, false);
    }
}

QString ReasoningDocument::segmentText(const Section& s, BlockKind kind) const {
    QString out;
    for (std::size_t i = 0; i < s.segments.size(); ++i) {
        if (s.segments[i].kind != kind) {
            continue;
        }
        const int end = segmentEnd(s, i);
        QTextBlock b = m_doc->findBlockByNumber(s.segments[i].first);
        for (int n = s.segments[i].first; n <= end && b.isValid(); ++n, b = b.next()) {
            if (b.blockFormat().intProperty(kKindProperty) != kind) {
                continue;
            }
            if (n > s.segments[i].first) {
                out += u'\n';
            }
            out += b.text();
        }
    }
    return out;
}

QString ReasoningDocument::thinkingText(int turn) const {
    const Section* s = section(turn);
    return s ? segmentText(*s, Thinking) : QString();
}

QString ReasoningDocument::answerText(int turn) const {
    const Section* s = section(turn);
    return s ? segmentText(*s, Answer) : QString();
}

void ReasoningDocument::setStats(const TurnStats& stats) {
    Section* s = section(stats.turn);
    if (!s) {
        return;
    }
    s->stats = stats;
    rewriteHeader(*s);
}

void ReasoningDocument::setState(int turn, const QString& state) {
    if (Section* s = section(turn)) {
        s->state = state;
        rewriteHeader(*s);
    }
}

QString ReasoningDocument::headerText(const Section& s) const {
    QString t = (s.collapsed ? QStringLiteral("\u25b8 ") : QStringLiteral("\u25be ")) +
                QStringLiteral("Turn %1").arg(s.turn + 1);
    if (s.user) {
        return t + QStringLiteral(" \u00b7 You \u00b7 %1 characters").arg(count(s.user_chars));
    }
    t += QStringLiteral(" \u00b7 Teacher");
    const auto& st = s.stats;
    if (!st.model.isEmpty()) {
        t += QStringLiteral(" \u00b7 ") + st.model;
    }
    if (st.output_tokens >= 0) {
        t += QStringLiteral(" \u00b7 ");
        if (st.input_tokens >= 0) {
            t += count(st.input_tokens) + QStringLiteral(" in / ");
        }
        t += (st.output_estimated ? QStringLiteral("~") : QString()) + count(st.output_tokens) +
             QStringLiteral(" out tokens");
        if (st.thinking_tokens >= 0) {
            t += QStringLiteral(" (%1 thinking)").arg(count(st.thinking_tokens));
        }
    }
    if (st.tokens_per_second > 0) {
        t += QStringLiteral(" \u00b7 %1 tok/s").arg(st.tokens_per_second, 0, 'f', 0);
    }
    if (st.cost_usd) {
        t += QStringLiteral(" \u00b7 %1$%2")
                 .arg(st.cost_estimated ? QStringLiteral("~") : QString())
                 .arg(*st.cost_usd, 0, 'f', 4);
    }
    if (!s.state.isEmpty()) {
        t += QStringLiteral(" \u00b7 ") + s.state;
    }
    return t;
}

void ReasoningDocument::rewriteHeader(const Section& s) {
    QTextBlock b = m_doc->findBlockByNumber(s.header);
    const QString text = headerText(s);
    if (b.text() == text) {
        return;
    }
    QTextCursor c(b);
    c.movePosition(QTextCursor::EndOfBlock, QTextCursor::KeepAnchor);
    c.insertText(text, charFormat(Header));
}

} // namespace kf::widgets
