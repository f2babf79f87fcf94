// SPDX-License-Identifier: MIT
#include "widgets/editor/code_editor.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHelpEvent>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <Qsci/qscilexer.h>

namespace kf::widgets {
namespace {

using Severity = EditorDiagnostic::Severity;

// Scintilla leaves indicators 0-7 to lexers; 8 and up belong to the container.
constexpr int kFirstIndicator = 8;
constexpr int kFirstMarker = 0;

QColor severityColor(Severity s) {
    switch (s) {
    case Severity::Error:
        return QColor(0xe5, 0x14, 0x00);
    case Severity::Warning:
        return QColor(0xd8, 0x8c, 0x00);
    case Severity::Note:
        return QColor(0x3a, 0x8e, 0xe6);
    }
    return Qt::red;
}

// A margin icon per severity: a disc for errors, a triangle for warnings, a ring for notes.
QImage markerImage(Severity s, int size) {
    QImage img(size, size, QImage::Format_ARGB32_Premultiplied);
    img.fill(Qt::transparent);
    QPainter p(&img);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor c = severityColor(s);
    const QRectF r(1.5, 1.5, size - 3.0, size - 3.0);
    if (s == Severity::Warning) {
        QPainterPath path;
        path.moveTo(r.center().x(), r.top());
        path.lineTo(r.right(), r.bottom());
        path.lineTo(r.left(), r.bottom());
        path.closeSubpath();
        p.fillPath(path, c);
    } else if (s == Severity::Error) {
        p.setBrush(c);
        p.setPen(Qt::NoPen);
        p.drawEllipse(r);
    } else {
        p.setBrush(Qt::NoBrush);
        p.setPen(QPen(c, 2.0));
        p.drawEllipse(r.adjusted(1, 1, -1, -1));
    }
    return img;
}

} // namespace

CodeEditor::CodeEditor(QWidget* parent)
    : QsciScintilla(parent) {
    setUtf8(true);
    setEolMode(EolUnix);
    setIndentationsUseTabs(false);
    setTabWidth(4);
    setAutoIndent(true);
    setBraceMatching(SloppyBraceMatch);
    setCaretLineVisible(true);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    // Scintilla re-measures every visible line on each repaint unless its layout is cached, and measuring
    // through QTextLayout is the GUI thread's main cost while typing: keep the visible page's layouts, and
    // more segments.
    SendScintilla(SCI_SETLAYOUTCACHE, static_cast<unsigned long>(SC_CACHE_PAGE));
    SendScintilla(SCI_SETPOSITIONCACHE, 4096UL);

    setMarginType(LineNumberMargin, NumberMargin);
    setMarginMarkerMask(LineNumberMargin, 0);
    setMarginType(DiagnosticMargin, SymbolMargin);
    setMarginWidth(DiagnosticMargin, 16);
    setMarginSensitivity(DiagnosticMargin, true);
    setMarginMarkerMask(DiagnosticMargin, 0b111 << kFirstMarker);
    setFolding(BoxedTreeFoldStyle, FoldMargin);
    connect(this, &QsciScintilla::linesChanged, this, &CodeEditor::updateLineNumberWidth);
    updateLineNumberWidth();

    defineDiagnosticStyles();
    viewport()->installEventFilter(this);
    viewport()->setMouseTracking(true);
    applyPalette();
}

CodeEditor::~CodeEditor() = default;

int CodeEditor::indicatorNumber(Severity severity) {
    return kFirstIndicator + static_cast<int>(severity);
}
int CodeEditor::markerNumber(Severity severity) {
    return kFirstMarker + static_cast<int>(severity);
}

void CodeEditor::defineDiagnosticStyles() {
    const int icon = 12;
    for (const Severity s : {Severity::Error, Severity::Warning, Severity::Note}) {
        const int ind = indicatorNumber(s);
        indicatorDefine(s == Severity::Note ? DotsIndicator : SquigglePixmapIndicator, ind);
        setIndicatorForegroundColor(severityColor(s), ind);
        setIndicatorDrawUnder(true, ind);
        markerDefine(markerImage(s, icon), markerNumber(s));
    }
}

void CodeEditor::setCodeLexer(QsciLexer* code_lexer) {
    QsciLexer* old = lexer();
    light_colors_.clear();
    if (code_lexer != nullptr) {
        code_lexer->setParent(this);
        for (int style = 0; style <= QsciScintillaBase::STYLE_MAX; ++style) {
            if (!code_lexer->description(style).isEmpty()) {
                light_colors_.insert(style, code_lexer->defaultColor(style));
            }
        }
    }
    setLexer(code_lexer);
    if (old != nullptr && old != code_lexer && old->parent() == this) {
        old->deleteLater();
    }
    applyPalette();
}

void CodeEditor::setDark(bool dark) {
    if (dark == dark_)
        return;
    dark_ = dark;
    applyPalette();
}

QColor CodeEditor::adaptColor(const QColor& light, bool dark) {
    if (!dark)
        return light;
    float h = 0;
    float s = 0;
    float l = 0;
    float a = 0;
    light.getHslF(&h, &s, &l, &a);
    // Mirror the lightness so dark ink on white becomes light ink on the dark paper; keep the hue.
    const float mirrored = 1.0f - l;
    return QColor::fromHslF(h, s * 0.85f, std::max(mirrored, 0.62f), a);
}

void CodeEditor::applyPalette() {
    const QColor paper = dark_ ? QColor(0x1e, 0x1f, 0x22) : QColor(Qt::white);
    const QColor ink = dark_ ? QColor(0xd4, 0xd4, 0xd4) : QColor(Qt::black);
    const QColor margin = dark_ ? QColor(0x2b, 0x2d, 0x30) : QColor(0xf3, 0xf3, 0xf3);
    const QColor margin_ink = dark_ ? QColor(0x85, 0x88, 0x8c) : QColor(0x80, 0x80, 0x80);

    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    if (QsciLexer* current = lexer()) {
        current->setDefaultPaper(paper);
        current->setDefaultColor(ink);
        current->setPaper(paper, -1);
        for (auto it = light_colors_.cbegin(); it != light_colors_.cend(); ++it) {
            current->setColor(adaptColor(it.value(), dark_), it.key());
            QFont f = mono;
            const QFont own = current->defaultFont(it.key());
            f.setBold(own.bold());
            f.setItalic(own.italic());
            current->setFont(f, it.key());
        }
    } else {
        setPaper(paper);
        setColor(ink);
        setFont(mono);
    }
    setMarginsFont(mono);
    setMarginsBackgroundColor(margin);
    setMarginsForegroundColor(margin_ink);
    setFoldMarginColors(margin, margin);
    setCaretForegroundColor(ink);
    setCaretLineBackgroundColor(dark_ ? QColor(0x2c, 0x31, 0x3a) : QColor(0xe8, 0xf2, 0xfe));
    setSelectionBackgroundColor(dark_ ? QColor(0x26, 0x4f, 0x78) : QColor(0xad, 0xd6, 0xff));
    setSelectionForegroundColor(ink);
    setMatchedBraceBackgroundColor(dark_ ? QColor(0x3b, 0x51, 0x4d) : QColor(0xd0, 0xec, 0xd0));
    setMatchedBraceForegroundColor(ink);
    setIndentationGuidesBackgroundColor(margin_ink);
    setIndentationGuidesForegroundColor(margin_ink);
    updateLineNumberWidth();
    paletteApplied(dark_);
}

void CodeEditor::paletteApplied(bool) {}

void CodeEditor::updateLineNumberWidth() {
    if (marginType(LineNumberMargin) != NumberMargin)
        return; // a view that uses the margin for its own text
    const QString digits = QString::number(std::max(lines(), 100));
    setMarginWidth(LineNumberMargin, QStringLiteral("0") + digits);
}

int CodeEditor::bytePosition(int line, int column) const {
    const long last = SendScintilla(SCI_GETLINECOUNT) - 1;
    const long line0 = std::clamp<long>(line - 1, 0, last);
    const long start = SendScintilla(SCI_POSITIONFROMLINE, static_cast<unsigned long>(line0));
    const long end = SendScintilla(SCI_GETLINEENDPOSITION, static_cast<unsigned long>(line0));
    return static_cast<int>(std::clamp<long>(start + std::max(column, 1) - 1, start, end));
}

void CodeEditor::clearDiagnostics() {
    const long length = SendScintilla(SCI_GETLENGTH);
    for (const Severity s : {Severity::Error, Severity::Warning, Severity::Note}) {
        SendScintilla(SCI_SETINDICATORCURRENT, static_cast<unsigned long>(indicatorNumber(s)));
        SendScintilla(SCI_INDICATORCLEARRANGE, 0UL, length);
        markerDeleteAll(markerNumber(s));
    }
    const bool had = !diagnostics_.isEmpty();
    diagnostics_.clear();
    shown_.clear();
    if (had)
        emit diagnosticsChanged();
}

void CodeEditor::setDiagnostics(const QList<EditorDiagnostic>& diagnostics) {
    clearDiagnostics();
    diagnostics_ = diagnostics;
    const long last_line = SendScintilla(SCI_GETLINECOUNT) - 1;
    for (int i = 0; i < diagnostics.size(); ++i) {
        const EditorDiagnostic& d = diagnostics[i];
        const int line0 = static_cast<int>(std::clamp<long>(d.line - 1, 0, last_line));
        Shown shown{d, markerAdd(line0, markerNumber(d.severity))};
        shown_.push_back(shown);
        if (d.line <= 0)
            continue; // the whole file: margin only

        const auto uline = static_cast<unsigned long>(line0);
        const long line_start = SendScintilla(SCI_POSITIONFROMLINE, uline);
        const long line_end = SendScintilla(SCI_GETLINEENDPOSITION, uline);
        long start = 0;
        long end = 0;
        if (d.column <= 0) {
            start = SendScintilla(SCI_GETLINEINDENTPOSITION, uline);
            end = line_end;
        } else {
            start = std::min(line_start + d.column - 1, line_end);
            if (start == line_end && start > line_start) {
                start = SendScintilla(SCI_POSITIONBEFORE, static_cast<unsigned long>(start)); // past the end
            }
            if (d.length > 0) {
                end = std::min(start + d.length, line_end);
            } else {
                end = SendScintilla(SCI_WORDENDPOSITION, static_cast<unsigned long>(start), 1L);
                if (end <= start)
                    end = SendScintilla(SCI_POSITIONAFTER, static_cast<unsigned long>(start));
                end = std::min(end, line_end);
            }
        }
        if (end <= start)
            continue; // an empty line: the marker says it
        // The value is the diagnostic's index + 1, so a position finds its message again after edits move it.
        SendScintilla(SCI_SETINDICATORCURRENT, static_cast<unsigned long>(indicatorNumber(d.severity)));
        SendScintilla(SCI_SETINDICATORVALUE, static_cast<unsigned long>(i + 1));
        SendScintilla(SCI_INDICATORFILLRANGE, static_cast<unsigned long>(start), end - start);
    }
    emit diagnosticsChanged();
}

QString CodeEditor::messagesAtPosition(long position) const {
    QStringList out;
    for (const Severity s : {Severity::Error, Severity::Warning, Severity::Note}) {
        const long value =
            SendScintilla(SCI_INDICATORVALUEAT, static_cast<unsigned long>(indicatorNumber(s)), position);
        if (value > 0 && value <= shown_.size()) {
            const auto& d = shown_[static_cast<int>(value - 1)].diagnostic;
            out << severityName(d.severity) + QStringLiteral(": ") + d.message;
        }
    }
    return out.join(QLatin1Char('\n'));
}

QString CodeEditor::messagesOnLine(int line0) const {
    QStringList out;
    for (const Shown& s : shown_) {
        if (s.marker_handle >= 0 && markerLine(s.marker_handle) == line0) {
            out << severityName(s.diagnostic.severity) + QStringLiteral(": ") + s.diagnostic.message;
        }
    }
    return out.join(QLatin1Char('\n'));
}

QString CodeEditor::toolTipAt(const QPoint& pos) const {
    if (shown_.isEmpty())
        return {};
    int margins = 0;
    for (int m = LineNumberMargin; m <= FoldMargin; ++m)
        margins += marginWidth(m);
    if (pos.x() < margins) {
        const long p = SendScintilla(SCI_POSITIONFROMPOINT, static_cast<unsigned long>(margins), pos.y());
        return messagesOnLine(
            static_cast<int>(SendScintilla(SCI_LINEFROMPOSITION, static_cast<unsigned long>(p))));
    }
    const long p = SendScintilla(SCI_POSITIONFROMPOINTCLOSE, static_cast<unsigned long>(pos.x()), pos.y());
    if (p < 0)
        return {};
    QString here = messagesAtPosition(p);
    // The character left of the pointer: its squiggle ends where the pointer is.
    if (here.isEmpty() && p > 0)
        here = messagesAtPosition(p - 1);
    return here;
}

bool CodeEditor::eventFilter(QObject* watched, QEvent* event) {
    if (watched == viewport() && event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        const QString text = toolTipAt(help->pos());
        if (text.isEmpty()) {
            QToolTip::hideText();
        } else {
            QToolTip::showText(help->globalPos(), text, viewport());
        }
        return true;
    }
    return QsciScintilla::eventFilter(watched, event);
}

void CodeEditor::updateText(const QString& text) {
    const QByteArray now = this->text().toUtf8();
    const QByteArray want = text.toUtf8();
    if (now == want)
        return;
    const auto continuation = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; };
    qsizetype prefix = 0;
    const qsizetype shorter = std::min(now.size(), want.size());
    while (prefix < shorter && now[prefix] == want[prefix])
        ++prefix;
    while (prefix > 0 && prefix < now.size() && continuation(now[prefix]))
        --prefix; // whole characters only
    qsizetype suffix = 0;
    while (suffix < shorter - prefix && now[now.size() - 1 - suffix] == want[want.size() - 1 - suffix])
        ++suffix;
    while (suffix > 0 && continuation(now[now.size() - suffix]))
        --suffix;

    // In a read-only view the change is no undo step; in an editable editor it is one, like any edit.
    const bool read_only = isReadOnly();
    setReadOnly(false);
    if (read_only)
        SendScintilla(SCI_SETUNDOCOLLECTION, 0UL);
    SendScintilla(SCI_SETTARGETRANGE, static_cast<unsigned long>(prefix),
                  static_cast<long>(now.size() - suffix));
    SendScintilla(SCI_REPLACETARGET, static_cast<uintptr_t>(want.size() - prefix - suffix),
                  want.constData() + prefix);
    if (read_only) {
        SendScintilla(SCI_SETUNDOCOLLECTION, 1UL);
        SendScintilla(SCI_EMPTYUNDOBUFFER);
    }
    setReadOnly(read_only);
}

void CodeEditor::goTo(int line, int column) {
    const int pos = bytePosition(line, column);
    const long line0 = SendScintilla(SCI_LINEFROMPOSITION, static_cast<unsigned long>(pos));
    SendScintilla(SCI_ENSUREVISIBLEENFORCEPOLICY, static_cast<unsigned long>(line0));
    SendScintilla(SCI_GOTOPOS, static_cast<unsigned long>(pos));
    SendScintilla(SCI_SCROLLCARET);
    setFocus(Qt::OtherFocusReason);
}

int CodeEditor::cursorLine() const {
    const long pos = SendScintilla(SCI_GETCURRENTPOS);
    return static_cast<int>(SendScintilla(SCI_LINEFROMPOSITION, static_cast<unsigned long>(pos))) + 1;
}

int CodeEditor::cursorColumn() const {
    const long pos = SendScintilla(SCI_GETCURRENTPOS);
    const long line0 = SendScintilla(SCI_LINEFROMPOSITION, static_cast<unsigned long>(pos));
    return static_cast<int>(pos - SendScintilla(SCI_POSITIONFROMLINE, static_cast<unsigned long>(line0))) + 1;
}

} // namespace kf::widgets
