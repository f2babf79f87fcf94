// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/kernel_diff_view.h"

#include "widgets/cuda_editor/cuda_editor.h"

#include <QLabel>
#include <QVBoxLayout>

namespace kf::widgets {
namespace {

QString numberColumn(int n) {
    return n > 0 ? QString::number(n).rightJustified(5) : QString(5, QLatin1Char(' '));
}

} // namespace

KernelDiffView::KernelDiffView(QWidget* parent)
    : QWidget(parent)
    , summary_(new QLabel(this))
    , editor_(new CudaEditor(this)) {
    editor_->setReadOnly(true);
    editor_->setCaretLineVisible(false);
    // Margin 0 carries "old new" line numbers as text; margin 1 the -/+ signs; no folding in a diff.
    editor_->setMarginType(CodeEditor::LineNumberMargin, QsciScintilla::TextMargin);
    editor_->setMarginWidth(CodeEditor::LineNumberMargin, QStringLiteral("00000 00000 "));
    editor_->setMarginMarkerMask(CodeEditor::DiagnosticMargin, (1 << RemovedSign) | (1 << AddedSign));
    editor_->setFolding(QsciScintilla::NoFoldStyle, CodeEditor::FoldMargin);
    editor_->markerDefine(QsciScintilla::Background, RemovedMarker);
    editor_->markerDefine(QsciScintilla::Background, AddedMarker);
    editor_->markerDefine(QsciScintilla::Minus, RemovedSign);
    editor_->markerDefine(QsciScintilla::Plus, AddedSign);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(editor_, 1);
    applyColors();
    clear();
}

void KernelDiffView::setDark(bool dark) {
    editor_->setDark(dark);
    applyColors();
}

void KernelDiffView::applyColors() {
    const bool dark = editor_->isDark();
    editor_->setMarkerBackgroundColor(dark ? QColor(0x4b, 0x1d, 0x1d) : QColor(0xff, 0xeb, 0xe9),
                                      RemovedMarker);
    editor_->setMarkerBackgroundColor(dark ? QColor(0x1d, 0x3b, 0x24) : QColor(0xe6, 0xff, 0xec),
                                      AddedMarker);
    for (const auto& [marker, colour] :
         {std::pair{RemovedSign, QColor(0xcf, 0x22, 0x2e)}, std::pair{AddedSign, QColor(0x1a, 0x7f, 0x37)}}) {
        editor_->setMarkerForegroundColor(colour, marker);
        editor_->setMarkerBackgroundColor(colour, marker);
    }
}

void KernelDiffView::clear() {
    diff_.clear();
    editor_->clear();
    summary_->setText(tr("No previous version to compare with."));
}

QString KernelDiffView::summary() const {
    return summary_->text();
}

void KernelDiffView::setVersions(const QString& previous, const QString& current,
                                 const QString& previous_label, const QString& current_label) {
    diff_ = text::diffText(previous.toStdString(), current.toStdString());
    QString body;
    for (const auto& line : diff_)
        body += QString::fromStdString(line.text) + QLatin1Char('\n');
    editor_->setReadOnly(false);
    editor_->setText(body);
    editor_->setReadOnly(true);
    editor_->markerDeleteAll();
    editor_->clearMarginText();
    for (int i = 0; i < static_cast<int>(diff_.size()); ++i) {
        const auto& line = diff_[static_cast<std::size_t>(i)];
        editor_->setMarginText(i,
                               numberColumn(line.old_line) + QLatin1Char(' ') + numberColumn(line.new_line),
                               QsciScintillaBase::STYLE_LINENUMBER);
        if (line.op == text::DiffOp::Deleted) {
            editor_->markerAdd(i, RemovedMarker);
            editor_->markerAdd(i, RemovedSign);
        } else if (line.op == text::DiffOp::Inserted) {
            editor_->markerAdd(i, AddedMarker);
            editor_->markerAdd(i, AddedSign);
        }
    }
    const auto stats = text::diffStats(diff_);
    const QString from = previous_label.isEmpty() ? tr("the previous version") : previous_label;
    const QString to = current_label.isEmpty() ? tr("the current source") : current_label;
    summary_->setText(
        stats.inserted + stats.deleted == 0
            ? tr("No changes between %1 and %2.").arg(from, to)
            : tr("%1 → %2: %3 added, %4 removed")
                  .arg(from, to, QString::number(stats.inserted), QString::number(stats.deleted)));
}

} // namespace kf::widgets
