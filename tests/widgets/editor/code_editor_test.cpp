// SPDX-License-Identifier: MIT
#include "widgets/editor/code_editor.h"
#include "widgets/editor/find_bar.h"

#include <QLineEdit>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>
#include <Qsci/qscilexercpp.h>

using kf::widgets::CodeEditor;
using kf::widgets::EditorDiagnostic;
using kf::widgets::FindBar;
using Severity = EditorDiagnostic::Severity;

namespace {

const char* kSource = "__global__ void k(float* y, int n) {\n"  // 1
                      "    int i = threadIdx.x;\n"              // 2
                      "    if (i < n) y[i] = undefined_name;\n" // 3
                      "}\n";                                    // 4

// Which diagnostic indicators cover the byte at 1-based line and column (a bit per indicator number).
long indicatorsAt(const CodeEditor& e, int line, int column) {
    return e.SendScintilla(QsciScintillaBase::SCI_INDICATORALLONFOR,
                           static_cast<unsigned long>(e.bytePosition(line, column)));
}
bool has(long bits, Severity s) {
    return (bits >> CodeEditor::indicatorNumber(s)) & 1;
}

unsigned markersOn(const CodeEditor& e, int line) {
    return e.markersAtLine(line - 1);
}

QPoint pointOf(const CodeEditor& e, int line, int column) {
    const auto pos = static_cast<unsigned long>(e.bytePosition(line, column));
    const long x = e.SendScintilla(QsciScintillaBase::SCI_POINTXFROMPOSITION, 0UL, static_cast<long>(pos));
    const long y = e.SendScintilla(QsciScintillaBase::SCI_POINTYFROMPOSITION, 0UL, static_cast<long>(pos));
    return {static_cast<int>(x) + 2, static_cast<int>(y) + 4};
}

} // namespace

class CodeEditorTest : public QObject {
    Q_OBJECT
private slots:
    void diagnosticsLandAsIndicatorsAndMarkers() {
        CodeEditor e;
        e.setText(QString::fromLatin1(kSource));
        QSignalSpy changed(&e, &CodeEditor::diagnosticsChanged);
        e.setDiagnostics({
            {3, 23, 0, Severity::Error, QStringLiteral("identifier \"undefined_name\" is undefined")},
            {2, 13, 9, Severity::Warning, QStringLiteral("threadIdx.x narrowed")},
            {1, 0, 0, Severity::Note, QStringLiteral("kernel declared here")},
        });
        QCOMPARE(changed.count(), 1);
        // The error covers the word "undefined_name" (cols 23..36) and nothing either side.
        QVERIFY(has(indicatorsAt(e, 3, 23), Severity::Error));
        QVERIFY(has(indicatorsAt(e, 3, 36), Severity::Error));
        QVERIFY(!has(indicatorsAt(e, 3, 22), Severity::Error));
        QVERIFY(!has(indicatorsAt(e, 3, 37), Severity::Error));
        // The warning covers exactly 9 bytes from column 13: "threadIdx".
        QVERIFY(has(indicatorsAt(e, 2, 13), Severity::Warning));
        QVERIFY(has(indicatorsAt(e, 2, 21), Severity::Warning));
        QVERIFY(!has(indicatorsAt(e, 2, 22), Severity::Warning));
        QVERIFY(!has(indicatorsAt(e, 2, 13), Severity::Error));
        // Column 0: the whole line from its first non-blank.
        QVERIFY(has(indicatorsAt(e, 1, 1), Severity::Note));
        QVERIFY(has(indicatorsAt(e, 1, 35), Severity::Note));
        // Margin markers on each diagnostic's line.
        QCOMPARE(markersOn(e, 3), 1u << CodeEditor::markerNumber(Severity::Error));
        QCOMPARE(markersOn(e, 2), 1u << CodeEditor::markerNumber(Severity::Warning));
        QCOMPARE(markersOn(e, 1), 1u << CodeEditor::markerNumber(Severity::Note));
        QCOMPARE(markersOn(e, 4), 0u);

        e.clearDiagnostics();
        QCOMPARE(changed.count(), 2);
        QCOMPARE(indicatorsAt(e, 3, 23), 0L);
        QCOMPARE(markersOn(e, 3), 0u);
    }

    void outOfRangePositionsAreClamped() {
        CodeEditor e;
        e.setText(QString::fromLatin1(kSource));
        e.setDiagnostics({{99, 3, 0, Severity::Error, QStringLiteral("past the end")},
                          {2, 200, 0, Severity::Error, QStringLiteral("past the line")},
                          {0, 0, 0, Severity::Error, QStringLiteral("the whole file")}});
        QVERIFY(markersOn(e, 5) != 0u);                        // the last (empty) line
        QVERIFY(has(indicatorsAt(e, 2, 24), Severity::Error)); // the line's last character
        QVERIFY(markersOn(e, 1) != 0u);
    }

    void toolTipsOverTextAndMargin() {
        CodeEditor e;
        e.resize(800, 400);
        e.show();
        QVERIFY(QTest::qWaitForWindowExposed(&e));
        e.setText(QString::fromLatin1(kSource));
        e.setDiagnostics({{3, 24, 0, Severity::Error, QStringLiteral("identifier is undefined")}});
        QCOMPARE(e.toolTipAt(pointOf(e, 3, 26)), QStringLiteral("error: identifier is undefined"));
        QCOMPARE(e.toolTipAt(pointOf(e, 3, 8)), QString());
        const QPoint margin(e.marginWidth(CodeEditor::LineNumberMargin) + 3, pointOf(e, 3, 1).y());
        QCOMPARE(e.toolTipAt(margin), QStringLiteral("error: identifier is undefined"));
        QCOMPARE(e.toolTipAt(QPoint(margin.x(), pointOf(e, 2, 1).y())), QString());
        // After an edit above it, the squiggle and its message move with the text.
        e.insertAt(QStringLiteral("// a new first line\n"), 0, 0);
        QCOMPARE(e.toolTipAt(pointOf(e, 4, 26)), QStringLiteral("error: identifier is undefined"));
    }

    void updateTextReplacesOnlyTheDifference() {
        CodeEditor e;
        e.setReadOnly(true);
        QString text;
        for (int i = 0; i < 200; ++i)
            text += QStringLiteral("line %1 \u00e9\u4e2d\n").arg(i);
        e.updateText(text);
        QCOMPARE(e.text(), text);
        e.setFirstVisibleLine(120);
        QString changed = text;
        changed.replace(QStringLiteral("line 150 \u00e9"), QStringLiteral("line 150 \u00e8 changed"));
        e.updateText(changed);
        QCOMPARE(e.text(), changed);
        QCOMPARE(e.firstVisibleLine(), 120); // the view keeps its place
        QVERIFY(e.isReadOnly());
        QVERIFY(!e.isUndoAvailable()); // no undo step in a read-only view
        // Multi-byte characters that share their first bytes: the replaced span starts on a character
        // boundary.
        e.updateText(QStringLiteral("\u00e9"));
        e.updateText(QStringLiteral("\u00e8"));
        QCOMPARE(e.text(), QStringLiteral("\u00e8"));
        e.updateText(QString());
        QCOMPARE(e.text(), QString());
    }

    void goToMovesTheCursor() {
        CodeEditor e;
        e.setText(QString::fromLatin1(kSource));
        e.goTo(3, 24);
        QCOMPARE(e.cursorLine(), 3);
        QCOMPARE(e.cursorColumn(), 24);
        e.goTo(50, 1);
        QCOMPARE(e.cursorLine(), 5);
    }

    void darkPaletteRecoloursAndSwitchesBack() {
        CodeEditor e;
        auto* lexer = new QsciLexerCPP;
        e.setCodeLexer(lexer);
        const QColor keyword_light = lexer->color(QsciLexerCPP::Keyword);
        e.setDark(true);
        QVERIFY(lexer->paper(QsciLexerCPP::Default).lightness() < 64);
        QVERIFY(lexer->color(QsciLexerCPP::Default).lightness() > 150);
        QVERIFY(lexer->color(QsciLexerCPP::Keyword) != keyword_light);
        e.setDark(false);
        QCOMPARE(lexer->color(QsciLexerCPP::Keyword), keyword_light);
        QCOMPARE(lexer->paper(QsciLexerCPP::Default), QColor(Qt::white));
    }

    void findReplaceAndShortcuts() {
        QWidget host;
        auto* layout = new QVBoxLayout(&host);
        auto* e = new CodeEditor(&host);
        auto* bar = new FindBar(e, &host);
        layout->addWidget(e);
        layout->addWidget(bar);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        e->setText(QStringLiteral("float a; float b;\nFloat c; floater d;\n"));
        e->setFocus();
        QVERIFY(bar->isHidden());
        QTest::keyClick(e, Qt::Key_F, Qt::ControlModifier);
        QVERIFY(bar->isVisible());
        QVERIFY(bar->findField()->hasFocus());
        QTest::keyClicks(bar->findField(), QStringLiteral("float"));
        QCOMPARE(bar->countMatches(), 4); // case-insensitive, not whole words
        bar->setCaseSensitive(true);
        QCOMPARE(bar->countMatches(), 3);
        bar->setWholeWord(true);
        QCOMPARE(bar->countMatches(), 2);

        e->setCursorPosition(0, 0);
        QVERIFY(bar->findNext());
        QCOMPARE(e->selectedText(), QStringLiteral("float"));
        QCOMPARE(e->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART), 0L);
        QVERIFY(bar->findNext());
        QCOMPARE(e->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART), 9L);
        QVERIFY(bar->findNext()); // wraps around
        QCOMPARE(e->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART), 0L);
        QVERIFY(bar->findPrevious()); // wraps backwards
        QCOMPARE(e->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART), 9L);
        e->setFocus();
        QTest::keyClick(e, Qt::Key_F3, Qt::ShiftModifier);
        QCOMPARE(e->SendScintilla(QsciScintillaBase::SCI_GETSELECTIONSTART), 0L);

        QTest::keyClick(e, Qt::Key_H, Qt::ControlModifier);
        QVERIFY(bar->replaceField()->isVisible());
        bar->replaceField()->setText(QStringLiteral("double"));
        QVERIFY(bar->replaceCurrent()); // the selection is a match: replaced, then on to the next
        QCOMPARE(e->text(), QStringLiteral("double a; float b;\nFloat c; floater d;\n"));

        bar->setWholeWord(false);
        bar->setCaseSensitive(false);
        bar->setRegularExpression(true);
        bar->findField()->setText(QStringLiteral("([a-z]) ([a-z]);"));
        bar->replaceField()->setText(QStringLiteral("\\2 \\1;"));
        QCOMPARE(bar->replaceAll(), 4);
        QCOMPARE(e->text(), QStringLiteral("doubla e; floab t;\nFloac t; floated r;\n"));
        e->undo(); // one undo step for all of them
        QCOMPARE(e->text(), QStringLiteral("double a; float b;\nFloat c; floater d;\n"));

        bar->findField()->setText(QStringLiteral("nowhere"));
        QVERIFY(!bar->findNext());

        bar->findField()->setFocus();
        QTest::keyClick(bar->findField(), Qt::Key_Escape);
        QVERIFY(bar->isHidden());
        QVERIFY(e->hasFocus());
    }
};

QTEST_MAIN(CodeEditorTest)
#include "code_editor_test.moc"
