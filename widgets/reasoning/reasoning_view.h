// SPDX-License-Identifier: MIT
#pragma once

#include "core/teacher/conversation.h"
#include "widgets/reasoning/session_types.h"

#include <QTextCursor>
#include <QWidget>
#include <memory>
#include <vector>

class QPlainTextEdit;
class QToolButton;

namespace kf::widgets {

class CodeHighlighter;
class ReasoningFindBar;
class ReasoningDocument;
class TeacherSession;

// The teacher's stream as it arrives: a section per turn with a header line whose tokens, tokens per second
// and cost grow live; thinking dimmed and italic under a "Thinking" label, set apart from the answer; code
// blocks in monospace with C++/CUDA highlighting; placeholder lines for redacted and omitted thinking. Click
// a header (or press Enter on it) to collapse its turn, a "Thinking" label to collapse that thinking.
// Follows the end while the user is at the bottom; scrolling up pauses that and shows "Jump to live".
// Ctrl+F finds (Enter/F3 next, Shift+Enter/Shift+F3 previous, Escape closes).
//
// Built on QPlainTextEdit: appends go to the end of the document through one cursor, its layout only lays out
// what changed, so a delta costs in proportion to its own text.
class ReasoningView : public QWidget {
    Q_OBJECT
public:
    explicit ReasoningView(QWidget* parent = nullptr);
    ~ReasoningView() override;

    // Connects the session's signals to the slots below (and reloads on transcriptOpened).
    void attach(TeacherSession* session);
    // Replaces the contents with a whole conversation (an opened transcript). `results`: the assistant turns'
    // counters and kernels (TeacherSession::turnResults()); a turn without one gets no counters or kernel
    // line.
    void showConversation(const teacher::Conversation& conversation,
                          const std::vector<TurnResult>& results = {});

    bool isFollowing() const { return m_following; }
    int turnCount() const;
    bool isTurnCollapsed(int turn) const;
    bool isThinkingCollapsed(int turn) const;
    QString thinkingText(int turn) const; // what the view shows, for tests and copy
    QString answerText(int turn) const;
    int findMatchCount() const { return m_match_count; }
    QPlainTextEdit* textEdit() const { return m_edit; }
    ReasoningFindBar* findBar() const { return m_find; }
    QToolButton* jumpToLiveButton() const { return m_jump; }

public slots:
    void clear();
    void beginUserTurn(int turn, const QString& text);
    void beginTurn(int turn);
    void appendThinking(int turn, const QString& text);
    void appendAnswer(int turn, const QString& text);
    void addThinkingNotice(int turn, kf::widgets::ThinkingNotice notice);
    void updateStats(const kf::widgets::TurnStats& stats);
    void finishTurn(const kf::widgets::TurnResult& result);
    void showError(int turn, const QString& message); // a line in the turn's section
    void showRetry(int turn, const QString& reason, int nextAttempt, int delayMs);
    void setTurnCollapsed(int turn, bool collapsed);
    void setThinkingCollapsed(int turn, bool collapsed);
    void setFollowing(bool following);
    void jumpToLive();
    void showFind();
    void findNext();
    void findPrevious();
    void closeFind();

signals:
    void followingChanged(bool following);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void scrollToEnd();
    void placeJumpButton();
    void find(bool backward);
    void refreshFindHighlights();

    QPlainTextEdit* m_edit;
    ReasoningFindBar* m_find;
    QToolButton* m_jump;
    std::unique_ptr<ReasoningDocument> m_doc;
    CodeHighlighter* m_highlighter;
    bool m_following = true;
    bool m_scrolling = false; // the view itself is moving the scroll bar
    QTextCursor m_current_match;
    int m_match_count = 0;
};

} // namespace kf::widgets
