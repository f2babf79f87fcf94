// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/editor/editor_diagnostic.h"

#include <QColor>
#include <QHash>
#include <QList>
#include <Qsci/qsciscintilla.h>

class QsciLexer;

namespace kf::widgets {

// The QScintilla editor both editors share: line numbers, a diagnostics margin, folding, a monospace font,
// the current line highlighted, light and dark palettes, and diagnostics shown as squiggles (one indicator
// per severity) plus margin markers, with the message as a tooltip over the text and over the margin.
class CodeEditor : public QsciScintilla {
    Q_OBJECT
public:
    enum Margin { LineNumberMargin = 0, DiagnosticMargin = 1, FoldMargin = 2 };

    explicit CodeEditor(QWidget* parent = nullptr);
    ~CodeEditor() override;

    // Installs `lexer` (the editor takes ownership) with the editor's font and current palette.
    void setCodeLexer(QsciLexer* lexer);
    void setDark(bool dark);
    bool isDark() const { return dark_; }

    // Replaces every diagnostic shown. Positions are 1-based bytes (what compilers and the spec validator
    // give); a line past the end lands on the last line.
    void setDiagnostics(const QList<EditorDiagnostic>& diagnostics);
    void clearDiagnostics();
    const QList<EditorDiagnostic>& diagnostics() const { return diagnostics_; }

    // The indicator and marker numbers each severity draws with (what indicator queries look for).
    static int indicatorNumber(EditorDiagnostic::Severity severity);
    static int markerNumber(EditorDiagnostic::Severity severity);

    // Byte position of 1-based `line` and `column` (clamped into the document).
    int bytePosition(int line, int column) const;
    // The diagnostics' messages at a point of the viewport: those under the text there, or, over the margins,
    // those of that line. Empty where there are none. What the tooltip shows.
    QString toolTipAt(const QPoint& viewport_pos) const;

    // Makes the text `text` by replacing only the span that differs from the current text (read-only or not),
    // so a large view that is updated live (a preview) restyles and re-wraps only that span and keeps its
    // scroll position; setText() would lay out the whole document again. An undo step only where the editor
    // is editable.
    void updateText(const QString& text);

    // Moves the cursor to 1-based `line` and byte `column` (0: the line's start), scrolls it into view,
    // focuses.
    void goTo(int line, int column);
    int cursorLine() const;   // 1-based
    int cursorColumn() const; // 1-based byte column

signals:
    void diagnosticsChanged();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    // Called after the palette or the lexer changed, for subclasses with styles of their own.
    virtual void paletteApplied(bool dark);
    // Light colour of a lexer style as the editor shows it in `dark` mode (lightness mirrored for dark).
    static QColor adaptColor(const QColor& light, bool dark);

private:
    struct Shown {
        EditorDiagnostic diagnostic;
        int marker_handle = -1;
    };

    void applyPalette();
    void defineDiagnosticStyles();
    void updateLineNumberWidth();
    QString messagesAtPosition(long position) const;
    QString messagesOnLine(int line0) const;

    bool dark_ = false;
    QList<EditorDiagnostic> diagnostics_;
    QList<Shown> shown_;
    QHash<int, QColor> light_colors_; // the lexer's own colours, kept to switch back from dark
};

} // namespace kf::widgets
