// SPDX-License-Identifier: MIT
// ReasoningView on its own: sections, collapsing, auto-scroll that pauses and resumes, find, code lines.
#include "widgets/reasoning/reasoning_find_bar.h"
#include "widgets/reasoning/reasoning_view.h"

#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QToolButton>

using kf::widgets::ReasoningView;
using kf::widgets::ThinkingNotice;
using kf::widgets::TurnResult;
using kf::widgets::TurnStats;

namespace {

QString lines(int from, int count) {
    QString s;
    for (int i = from; i < from + count; ++i) {
        s += QStringLiteral("Line %1 of the answer, long enough to read like prose.\n").arg(i);
    }
    return s;
}

struct Shown {
    ReasoningView view;
    Shown() {
        view.resize(700, 400);
        view.show();
    }
    QScrollBar* bar() const { return view.textEdit()->verticalScrollBar(); }
    QString text() const { return view.textEdit()->document()->toPlainText(); }
};

} // namespace

class ReasoningViewTest : public QObject {
    Q_OBJECT

private slots:
    void autoScrollPausesOnScrollUpAndResumesAtTheBottom() {
        Shown s;
        QSignalSpy following(&s.view, &ReasoningView::followingChanged);
        s.view.beginTurn(1);
        s.view.appendAnswer(1, lines(0, 200));
        QTRY_VERIFY(s.bar()->maximum() > 0);
        QVERIFY(s.view.isFollowing());
        QCOMPARE(s.bar()->value(), s.bar()->maximum());

        s.bar()->setValue(s.bar()->maximum() / 3); // the user scrolls up
        QVERIFY(!s.view.isFollowing());
        QCOMPARE(following.count(), 1);
        QVERIFY(s.view.jumpToLiveButton()->isVisible());
        const int held = s.bar()->value();
        s.view.appendAnswer(1, lines(200, 200));
        QCOMPARE(s.bar()->value(), held); // new text does not pull the view away

        s.bar()->setValue(s.bar()->maximum()); // back at the bottom: following again
        QVERIFY(s.view.isFollowing());
        QVERIFY(!s.view.jumpToLiveButton()->isVisible());
        s.view.appendAnswer(1, lines(400, 200));
        QCOMPARE(s.bar()->value(), s.bar()->maximum());

        s.bar()->setValue(0);
        QVERIFY(!s.view.isFollowing());
        QTest::mouseClick(s.view.jumpToLiveButton(), Qt::LeftButton);
        QVERIFY(s.view.isFollowing());
        QCOMPARE(s.bar()->value(), s.bar()->maximum());
    }

    void wheelUpPausesFollowing() {
        Shown s;
        s.view.beginTurn(1);
        s.view.appendAnswer(1, lines(0, 300));
        QTRY_VERIFY(s.bar()->maximum() > 0);
        QVERIFY(s.view.isFollowing());
        auto* vp = s.view.textEdit()->viewport();
        const QPoint at(vp->width() / 2, vp->height() / 2);
        QWheelEvent wheel(at, vp->mapToGlobal(at), QPoint(0, 0), QPoint(0, 360), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(vp, &wheel);
        QVERIFY(!s.view.isFollowing());
    }

    void findFindsAndHighlights() {
        Shown s;
        s.view.beginTurn(1);
        s.view.appendThinking(1, QStringLiteral("Consider the warp shuffle reduction first.\n"));
        s.view.appendAnswer(1, lines(0, 100) + QStringLiteral("The needle is here.\n") + lines(100, 100) +
                                   QStringLiteral("Another NEEDLE.\n"));
        s.view.activateWindow();
        s.view.textEdit()->setFocus();
        QTest::keySequence(s.view.textEdit(), QKeySequence::Find);
        if (!s.view.findBar()->isVisible()) {
            s.view.showFind(); // no active window on some platforms: the slot is what the shortcut calls
        }
        QVERIFY(s.view.findBar()->isVisible());
        QTest::keyClicks(s.view.findBar()->lineEdit(), QStringLiteral("needle"));
        QCOMPARE(s.view.findMatchCount(), 2);
        QCOMPARE(s.view.textEdit()->textCursor().selectedText().toLower(), QStringLiteral("needle"));
        const int first = s.view.textEdit()->textCursor().position();
        QVERIFY(!s.view.textEdit()->extraSelections().isEmpty());
        QCOMPARE(s.view.isFollowing(), s.bar()->value() >= s.bar()->maximum());
        QTest::keyClick(s.view.findBar()->lineEdit(), Qt::Key_Return);
        QVERIFY(s.view.textEdit()->textCursor().position() != first);
        QTest::keyClick(s.view.findBar()->lineEdit(), Qt::Key_Return, Qt::ShiftModifier);
        QCOMPARE(s.view.textEdit()->textCursor().position(), first);
        QTest::keyClick(s.view.findBar()->lineEdit(), Qt::Key_Return, Qt::ShiftModifier); // the middle one
        QVERIFY(!s.view.isFollowing()); // the user went to a match: new text does not pull the view away
        const int held = s.bar()->value();
        s.view.appendAnswer(1, lines(300, 50));
        QCOMPARE(s.bar()->value(), held);
        s.view.findBar()->lineEdit()->setText(QStringLiteral("warp shuffle"));
        QCOMPARE(s.view.findMatchCount(), 1);
        s.view.findBar()->lineEdit()->setText(QStringLiteral("absent words"));
        QCOMPARE(s.view.findMatchCount(), 0);
        QTest::keyClick(s.view.findBar()->lineEdit(), Qt::Key_Escape);
        QVERIFY(!s.view.findBar()->isVisible());
        QVERIFY(s.view.textEdit()->extraSelections().isEmpty());
    }

    void findRevealsCollapsedText() {
        Shown s;
        s.view.beginTurn(1);
        s.view.appendThinking(1, QStringLiteral("A hidden thought about tiling.\n"));
        s.view.appendAnswer(1, QStringLiteral("Answer.\n"));
        s.view.setThinkingCollapsed(1, true);
        QVERIFY(s.view.isThinkingCollapsed(1));
        s.view.showFind();
        s.view.findBar()->lineEdit()->setText(QStringLiteral("tiling"));
        QVERIFY(!s.view.isThinkingCollapsed(1));
        QVERIFY(s.view.textEdit()->textCursor().block().isVisible());
    }

    void sectionsCollapseByClickAndThinkingSeparately() {
        Shown s;
        s.view.beginUserTurn(0, QStringLiteral("Write a kernel."));
        s.view.beginTurn(1);
        s.view.appendThinking(1, QStringLiteral("First thought.\nSecond thought."));
        s.view.addThinkingNotice(1, ThinkingNotice::Redacted);
        s.view.appendAnswer(1, QStringLiteral("The answer."));
        QVERIFY(s.view.isTurnCollapsed(0));
        QVERIFY(!s.view.isTurnCollapsed(1));
        QCOMPARE(s.view.thinkingText(1), QStringLiteral("First thought.\nSecond thought."));
        QCOMPARE(s.view.answerText(1), QStringLiteral("The answer."));
        QVERIFY(s.text().contains(QStringLiteral("Thinking redacted by the service")));

        auto* doc = s.view.textEdit()->document();
        const QTextBlock thought = doc->find(QStringLiteral("Second thought")).block();
        const QTextBlock answer = doc->find(QStringLiteral("The answer")).block();
        s.view.setThinkingCollapsed(1, true);
        QVERIFY(!thought.isVisible());
        QVERIFY(answer.isVisible());
        s.view.setThinkingCollapsed(1, false);
        QVERIFY(thought.isVisible());

        // A click on the turn's header collapses it; another expands it.
        const QTextBlock header = doc->find(QStringLiteral("Turn 2")).block();
        auto* edit = s.view.textEdit();
        const auto clickOn = [&](const QTextBlock& b) {
            QTextCursor c(b);
            const QRect r = edit->cursorRect(c);
            QTest::mouseClick(edit->viewport(), Qt::LeftButton, {}, r.center() + QPoint(20, 0));
        };
        edit->verticalScrollBar()->setValue(0);
        clickOn(header);
        QVERIFY(s.view.isTurnCollapsed(1));
        QVERIFY(!answer.isVisible());
        clickOn(header);
        QVERIFY(!s.view.isTurnCollapsed(1));
        QVERIFY(answer.isVisible());
        // Text that streams into a collapsed section stays hidden.
        s.view.setTurnCollapsed(1, true);
        s.view.appendAnswer(1, QStringLiteral("\nMore answer."));
        QVERIFY(!doc->find(QStringLiteral("More answer")).block().isVisible());
        s.view.setTurnCollapsed(1, false);
        QVERIFY(doc->find(QStringLiteral("More answer")).block().isVisible());
    }

    void headerShowsLiveCounters() {
        Shown s;
        s.view.beginTurn(1);
        TurnStats st;
        st.turn = 1;
        st.model = QStringLiteral("claude-test");
        st.input_tokens = 1200;
        st.output_tokens = 2345;
        st.output_estimated = true;
        st.tokens_per_second = 87.4;
        st.cost_usd = 0.0123;
        st.cost_estimated = true;
        st.live = true;
        s.view.updateStats(st);
        QVERIFY2(s.text().contains(
                     QStringLiteral("Turn 2 \u00b7 Teacher \u00b7 claude-test \u00b7 1,200 in / ~2,345 out "
                                    "tokens \u00b7 87 tok/s \u00b7 ~$0.0123 \u00b7 streaming")),
                 qPrintable(s.text()));
        st.output_tokens = 2400;
        st.output_estimated = false;
        st.cost_estimated = false;
        TurnResult r;
        r.turn = 1;
        r.stop_reason = QStringLiteral("max_tokens");
        r.stats = st;
        r.kernel_message = QStringLiteral("no fenced C/C++/CUDA block defines kf_launch");
        s.view.finishTurn(r);
        QVERIFY(s.text().contains(QStringLiteral("2,400 out tokens")));
        QVERIFY(s.text().contains(QStringLiteral("max_tokens")));
        QVERIFY(s.text().contains(QStringLiteral("output token limit")));
        QVERIFY(s.text().contains(QStringLiteral("No kernel in this answer")));
    }

    void codeBlocksAreMarkedEvenWhenFencesArriveInPieces() {
        Shown s;
        s.view.beginTurn(1);
        for (const char* piece :
             {"Here:\n``", "`cu", "da\n__global__ void k(float* y) {\n  y[threadIdx.x] = 0;", "\n}\n``",
              "`\nDone.\n"}) {
            s.view.appendAnswer(1, QString::fromLatin1(piece));
        }
        auto* doc = s.view.textEdit()->document();
        const auto isCode = [&](const QString& text) {
            return doc->find(text).block().blockFormat().boolProperty(0x100000 + 3);
        };
        QVERIFY(!isCode(QStringLiteral("Here:")));
        QVERIFY(isCode(QStringLiteral("```cuda")));
        QVERIFY(isCode(QStringLiteral("__global__")));
        QVERIFY(isCode(QStringLiteral("threadIdx")));
        QVERIFY(!isCode(QStringLiteral("Done.")));
        QCOMPARE(s.view.answerText(1),
                 QStringLiteral("Here:\n```cuda\n__global__ void k(float* y) {\n  y[threadIdx.x] = "
                                "0;\n}\n```\nDone.\n"));
        // The highlighter formats the code line (layout formats, not document text).
        const QTextBlock code = doc->find(QStringLiteral("__global__")).block();
        QVERIFY(!code.layout()->formats().isEmpty());
    }
};

QTEST_MAIN(ReasoningViewTest)
#include "reasoning_view_test.moc"
