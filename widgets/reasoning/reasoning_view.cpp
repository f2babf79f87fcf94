// SPDX-License-Identifier: MIT
#include "widgets/reasoning/reasoning_view.h"

#include "widgets/reasoning/code_highlighter.h"
#include "widgets/reasoning/reasoning_document.h"
#include "widgets/reasoning/reasoning_find_bar.h"
#include "widgets/reasoning/stream_coalescer.h"
#include "widgets/reasoning/teacher_session.h"

#include <QAction>
#include <QKeyEvent>
#include <QLineEdit>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>
#include <algorithm>

namespace kf::widgets {

namespace {

constexpr int kMaxHighlights = 1000; // matches highlighted at once; the count says when there are more

using Kind = ReasoningDocument::StatusKind;

} // namespace

ReasoningView::ReasoningView(QWidget* parent)
    : QWidget(parent)
    , m_edit(new QPlainTextEdit(this))
    , m_find(new ReasoningFindBar(this))
    , m_jump(new QToolButton(m_edit)) {
    m_edit->setReadOnly(true);
    m_edit->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_edit->setUndoRedoEnabled(false);
    m_edit->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_edit->setObjectName(QStringLiteral("reasoningText"));
    m_doc = std::make_unique<ReasoningDocument>(m_edit->document(), m_edit->palette(), m_edit->font());
    m_highlighter = new CodeHighlighter(m_edit->document(), ReasoningDocument::kCodeProperty,
                                        m_edit->palette().color(QPalette::Base).lightnessF() < 0.5);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_find);
    m_find->hide();

    m_jump->setText(tr("\u2193 Jump to live"));
    m_jump->setToolTip(tr("Follow the stream again (scrolling to the bottom does the same)"));
    m_jump->setCursor(Qt::PointingHandCursor);
    m_jump->hide();
    connect(m_jump, &QToolButton::clicked, this, &ReasoningView::jumpToLive);

    auto* sb = m_edit->verticalScrollBar();
    connect(sb, &QScrollBar::valueChanged, this, [this, sb](int value) {
        if (!m_scrolling) {
            setFollowing(value >= sb->maximum());
        }
    });
    connect(sb, &QScrollBar::rangeChanged, this, [this] {
        if (m_following) {
            scrollToEnd();
        }
    });

    const auto addShortcut = [this](const QKeySequence& keys, auto slot) {
        auto* a = new QAction(this);
        a->setShortcut(keys);
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(a, &QAction::triggered, this, slot);
        addAction(a);
    };
    addShortcut(QKeySequence::Find, &ReasoningView::showFind);
    addShortcut(QKeySequence::FindNext, &ReasoningView::findNext);
    addShortcut(QKeySequence::FindPrevious, &ReasoningView::findPrevious);
    connect(m_find, &ReasoningFindBar::textChanged, this, [this] {
        m_current_match = {};
        refreshFindHighlights();
        if (!m_find->text().isEmpty()) {
            findNext();
        }
    });
    connect(m_find, &ReasoningFindBar::next, this, &ReasoningView::findNext);
    connect(m_find, &ReasoningFindBar::previous, this, &ReasoningView::findPrevious);
    connect(m_find, &ReasoningFindBar::closed, this, &ReasoningView::closeFind);

    m_edit->viewport()->installEventFilter(this);
    m_edit->viewport()->setMouseTracking(true);
    m_edit->installEventFilter(this);
}

ReasoningView::~ReasoningView() = default;

void ReasoningView::attach(TeacherSession* session) {
    connect(session, &TeacherSession::conversationReset, this, &ReasoningView::clear);
    connect(session, &TeacherSession::userTurnAdded, this, &ReasoningView::beginUserTurn);
    connect(session, &TeacherSession::turnStarted, this, &ReasoningView::beginTurn);
    connect(session, &TeacherSession::thinkingDelta, this, &ReasoningView::appendThinking);
    connect(session, &TeacherSession::answerDelta, this, &ReasoningView::appendAnswer);
    connect(session, &TeacherSession::thinkingNotice, this, &ReasoningView::addThinkingNotice);
    connect(session, &TeacherSession::statsChanged, this, &ReasoningView::updateStats);
    connect(session, &TeacherSession::retrying, this, &ReasoningView::showRetry);
    connect(session, &TeacherSession::turnFinished, this, &ReasoningView::finishTurn);
    connect(session, &TeacherSession::transcriptOpened, this,
            [this, session] { showConversation(session->conversation(), session->turnResults()); });
}

void ReasoningView::clear() {
    m_current_match = {};
    m_match_count = 0;
    m_edit->setExtraSelections({});
    m_doc->clear();
    setFollowing(true);
}

void ReasoningView::showConversation(const teacher::Conversation& conversation,
                                     const std::vector<TurnResult>& results) {
    clear();
    m_edit->setUpdatesEnabled(false);
    m_doc->beginBatch();
    const auto& turns = conversation.turns();
    for (std::size_t i = 0; i < turns.size(); ++i) {
        const auto& t = turns[i];
        const int turn = static_cast<int>(i);
        if (t.role == "user") {
            m_doc->beginUserTurn(turn,
                                 QString::fromStdString(t.blocks.empty() ? std::string() : t.blocks[0].text));
            continue;
        }
        m_doc->beginAssistantTurn(turn);
        // The same coalescer the live stream goes through, so an opened turn reads exactly as it streamed.
        StreamCoalescer replay(SIZE_MAX);
        for (std::size_t b = 0; b < t.blocks.size(); ++b) {
            teacher::StreamEvent e;
            e.type = teacher::StreamEvent::Type::BlockStart;
            e.index = static_cast<int>(b);
            e.block_kind = t.blocks[b].kind;
            replay.apply(e);
            if (t.blocks[b].kind == teacher::BlockKind::Thinking ||
                t.blocks[b].kind == teacher::BlockKind::Text) {
                e.type = t.blocks[b].kind == teacher::BlockKind::Thinking
                             ? teacher::StreamEvent::Type::ThinkingDelta
                             : teacher::StreamEvent::Type::TextDelta;
                e.text = t.blocks[b].text;
                replay.apply(e);
            }
            e.type = teacher::StreamEvent::Type::BlockStop;
            e.text.clear();
            replay.apply(e);
        }
        for (const auto& p : replay.take(SIZE_MAX).pieces) {
            using K = StreamCoalescer::Piece::Kind;
            if (p.kind == K::Thinking) {
                m_doc->appendThinking(turn, QString::fromStdString(p.text));
            } else if (p.kind == K::Answer) {
                m_doc->appendAnswer(turn, QString::fromStdString(p.text));
            } else {
                m_doc->addNotice(turn,
                                 p.kind == K::Redacted ? ThinkingNotice::Redacted : ThinkingNotice::Omitted);
            }
        }
        const auto known = std::find_if(results.begin(), results.end(),
                                        [turn](const TurnResult& x) { return x.turn == turn; });
        TurnResult r;
        if (known != results.end()) {
            r = *known;
        } else { // no result given: the turn's own status, no kernel line
            r.turn = turn;
            r.status = t.status;
            r.stop_reason = QString::fromStdString(t.stop_reason);
            r.error = QString::fromStdString(t.error);
            r.stats.turn = turn;
            r.stats.model = QString::fromStdString(t.model);
            r.stats.input_tokens = t.usage.input_tokens;
            r.stats.output_tokens = t.usage.output_tokens;
            r.stats.thinking_tokens = t.usage.thinking_tokens;
        }
        finishTurn(r);
    }
    m_doc->endBatch();
    m_edit->setUpdatesEnabled(true);
    scrollToEnd();
}

int ReasoningView::turnCount() const {
    return m_doc->turnCount();
}
bool ReasoningView::isTurnCollapsed(int turn) const {
    return m_doc->isTurnCollapsed(turn);
}
bool ReasoningView::isThinkingCollapsed(int turn) const {
    return m_doc->isThinkingCollapsed(turn);
}
QString ReasoningView::thinkingText(int turn) const {
    return m_doc->thinkingText(turn);
}
QString ReasoningView::answerText(int turn) const {
    return m_doc->answerText(turn);
}

void ReasoningView::beginUserTurn(int turn, const QString& text) {
    m_doc->beginBatch();
    m_doc->beginUserTurn(turn, text);
    m_doc->endBatch();
}

void ReasoningView::beginTurn(int turn) {
    m_doc->beginBatch();
    m_doc->beginAssistantTurn(turn);
    m_doc->endBatch();
}

void ReasoningView::appendThinking(int turn, const QString& text) {
    m_doc->beginBatch();
    m_doc->appendThinking(turn, text);
    m_doc->endBatch();
}

void ReasoningView::appendAnswer(int turn, const QString& text) {
    m_doc->beginBatch();
    m_doc->appendAnswer(turn, text);
    m_doc->endBatch();
}

void ReasoningView::addThinkingNotice(int turn, ThinkingNotice notice) {
    m_doc->addNotice(turn, notice);
}

void ReasoningView::updateStats(const TurnStats& stats) {
    m_doc->setStats(stats);
}

void ReasoningView::finishTurn(const TurnResult& r) {
    if (!m_doc->hasTurn(r.turn)) {
        return;
    }
    m_doc->setStats(r.stats);
    switch (r.status) {
    case teacher::TurnStatus::Cancelled:
        m_doc->setState(r.turn, tr("cancelled"));
        m_doc->addStatus(r.turn, Kind::Warning, tr("\u25a0 Cancelled: what arrived is kept above."));
        break;
    case teacher::TurnStatus::Failed:
        m_doc->setState(r.turn, tr("failed"));
        showError(r.turn, r.error.isEmpty() ? tr("The answer failed.") : r.error);
        break;
    default:
        m_doc->setState(r.turn,
                        r.stop_reason == QLatin1String("end_turn") || r.stop_reason == QLatin1String("stop")
                            ? QString()
                            : r.stop_reason);
        if (r.stop_reason == QLatin1String("max_tokens") || r.stop_reason == QLatin1String("length")) {
            m_doc->addStatus(r.turn, Kind::Warning,
                             tr("\u26a0 The answer stopped at the output token limit; it may be cut off."));
        } else if (r.stop_reason == QLatin1String("refusal")) {
            m_doc->addStatus(r.turn, Kind::Warning,
                             tr("\u26a0 The model declined to answer (stop reason: refusal)."));
        }
        if (!r.kernel_ok && r.kernel_message.isEmpty()) {
            break; // not known (a conversation shown without its results)
        }
        m_doc->addStatus(r.turn, r.kernel_ok ? Kind::Info : Kind::Warning,
                         r.kernel_ok ? tr("\u2714 Kernel extracted: %1").arg(r.kernel_message)
                                     : tr("No kernel in this answer: %1").arg(r.kernel_message));
        break;
    }
}

void ReasoningView::showError(int turn, const QString& message) {
    if (m_doc->hasTurn(turn)) {
        m_doc->addStatus(turn, Kind::Error, tr("\u2716 %1").arg(message));
    }
}

void ReasoningView::showRetry(int turn, const QString& reason, int nextAttempt, int delayMs) {
    if (m_doc->hasTurn(turn)) {
        m_doc->addStatus(turn, Kind::Warning,
                         tr("\u21bb %1; attempt %2 in %3 s")
                             .arg(reason)
                             .arg(nextAttempt)
                             .arg(delayMs / 1000.0, 0, 'f', 1));
    }
}

void ReasoningView::setTurnCollapsed(int turn, bool collapsed) {
    m_scrolling = true;
    m_doc->setTurnCollapsed(turn, collapsed);
    m_scrolling = false;
}

void ReasoningView::setThinkingCollapsed(int turn, bool collapsed) {
    m_scrolling = true;
    m_doc->setThinkingCollapsed(turn, collapsed);
    m_scrolling = false;
}

void ReasoningView::setFollowing(bool following) {
    if (following != m_following) {
        m_following = following;
        m_jump->setVisible(!following);
        placeJumpButton();
        emit followingChanged(following);
    }
    if (following) {
        scrollToEnd();
    }
}

void ReasoningView::jumpToLive() {
    setFollowing(true);
}

void ReasoningView::scrollToEnd() {
    auto* sb = m_edit->verticalScrollBar();
    m_scrolling = true;
    sb->setValue(sb->maximum());
    m_scrolling = false;
}

void ReasoningView::placeJumpButton() {
    m_jump->adjustSize();
    const QRect vp = m_edit->viewport()->geometry();
    m_jump->move(vp.right() - m_jump->width() - 12, vp.bottom() - m_jump->height() - 12);
    m_jump->raise();
}

bool ReasoningView::eventFilter(QObject* watched, QEvent* event) {
    if (watched == m_edit && event->type() == QEvent::Resize) {
        placeJumpButton();
    } else if (watched == m_edit && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if ((key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) &&
            m_doc->toggleAt(m_edit->textCursor().block())) {
            return true;
        }
    } else if (watched == m_edit->viewport() && event->type() == QEvent::MouseButtonRelease) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        if (mouse->button() == Qt::LeftButton && !m_edit->textCursor().hasSelection()) {
            m_scrolling = true;
            const bool toggled =
                m_doc->toggleAt(m_edit->cursorForPosition(mouse->position().toPoint()).block());
            m_scrolling = false;
            if (toggled) {
                return true;
            }
        }
    } else if (watched == m_edit->viewport() && event->type() == QEvent::MouseMove) {
        const auto* mouse = static_cast<QMouseEvent*>(event);
        const int kind = m_edit->cursorForPosition(mouse->position().toPoint())
                             .block()
                             .blockFormat()
                             .intProperty(ReasoningDocument::kKindProperty);
        const bool toggle = kind == ReasoningDocument::Header || kind == ReasoningDocument::ThinkingLabel;
        m_edit->viewport()->setCursor(toggle ? Qt::PointingHandCursor : Qt::IBeamCursor);
    }
    return QWidget::eventFilter(watched, event);
}

void ReasoningView::showFind() {
    m_find->show();
    const QString selected = m_edit->textCursor().selectedText();
    if (!selected.isEmpty() && !selected.contains(QChar::ParagraphSeparator)) {
        m_find->lineEdit()->setText(selected);
    }
    m_find->focusText();
}

void ReasoningView::closeFind() {
    m_find->hide();
    m_current_match = {};
    m_match_count = 0;
    m_edit->setExtraSelections({});
    m_edit->setFocus();
}

void ReasoningView::findNext() {
    find(false);
}

void ReasoningView::findPrevious() {
    find(true);
}

void ReasoningView::find(bool backward) {
    const QString text = m_find->text();
    if (text.isEmpty()) {
        return;
    }
    QTextDocument::FindFlags flags;
    if (m_find->matchCase()) {
        flags |= QTextDocument::FindCaseSensitively;
    }
    if (backward) {
        flags |= QTextDocument::FindBackward;
    }
    auto* doc = m_edit->document();
    const QTextCursor from = m_current_match.isNull() ? m_edit->textCursor() : m_current_match;
    QTextCursor found = doc->find(text, from, flags);
    if (found.isNull()) { // wrap around
        QTextCursor edge(doc);
        edge.movePosition(backward ? QTextCursor::End : QTextCursor::Start);
        found = doc->find(text, edge, flags);
    }
    m_current_match = found;
    if (!found.isNull()) {
        m_scrolling = true;
        m_doc->reveal(found.block());
        m_scrolling = false;
        m_edit->setTextCursor(found);
        m_edit->ensureCursorVisible();
        // QPlainTextEdit may move the scroll bar with its signals blocked: following pauses unless the match
        // is at the end.
        auto* sb = m_edit->verticalScrollBar();
        setFollowing(sb->value() >= sb->maximum());
    }
    refreshFindHighlights();
}

void ReasoningView::refreshFindHighlights() {
    QList<QTextEdit::ExtraSelection> selections;
    const QString text = m_find->text();
    m_match_count = 0;
    if (!text.isEmpty()) {
        QTextDocument::FindFlags flags;
        if (m_find->matchCase()) {
            flags |= QTextDocument::FindCaseSensitively;
        }
        QTextCharFormat all;
        all.setBackground(QColor(255, 214, 0, 110));
        QTextCursor c(m_edit->document());
        while (true) {
            c = m_edit->document()->find(text, c, flags);
            if (c.isNull()) {
                break;
            }
            if (++m_match_count <= kMaxHighlights) {
                selections.append({c, all});
            }
        }
        if (!m_current_match.isNull()) {
            QTextCharFormat current;
            current.setBackground(QColor(255, 140, 0, 200));
            selections.append({m_current_match, current});
        }
    }
    m_edit->setExtraSelections(selections);
    m_find->setStatus(text.isEmpty()       ? QString()
                      : m_match_count == 0 ? tr("No matches")
                      : m_match_count == 1 ? tr("1 match")
                                           : tr("%1 matches").arg(m_match_count));
}

} // namespace kf::widgets
