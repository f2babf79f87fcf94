// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/cuda_editor.h"

#include "widgets/cuda_editor/cuda_lexer.h"

#include <QFileInfo>

namespace kf::widgets {

CudaEditor::CudaEditor(QWidget* parent)
    : CodeEditor(parent)
    , lexer_(new CudaLexer(this)) {
    setCodeLexer(lexer_);
    if (!lexer_->installIdentifierStyles(this)) {
        qWarning(
            "CudaEditor: Scintilla gave other substyle numbers: built-ins and intrinsics are not coloured");
    }
    paletteApplied(isDark());
}

void CudaEditor::paletteApplied(bool dark) {
    // The substyles are no QsciLexer styles QsciScintilla knows of: set them on Scintilla directly.
    if (lexer_ == nullptr)
        return;
    for (const int style : {CudaLexer::BuiltinVariable, CudaLexer::Intrinsic}) {
        const QColor c = adaptColor(lexer_->defaultColor(style), dark);
        SendScintilla(SCI_STYLESETFORE, static_cast<unsigned long>(style), c);
        SendScintilla(SCI_STYLESETBACK, static_cast<unsigned long>(style), lexer_->paper(CudaLexer::Default));
        SendScintilla(SCI_STYLESETFONT, static_cast<unsigned long>(style),
                      lexer_->font(CudaLexer::Identifier).family().toUtf8().constData());
        SendScintilla(SCI_STYLESETSIZEFRACTIONAL, static_cast<unsigned long>(style),
                      static_cast<long>(lexer_->font(CudaLexer::Identifier).pointSizeF() * 100));
    }
}

void CudaEditor::setCompilerDiagnostics(const QList<CompilerDiagnostic>& diagnostics) {
    QList<EditorDiagnostic> mine;
    for (const auto& d : diagnostics) {
        if (d.line <= 0 || QFileInfo(d.file).fileName() != QFileInfo(source_name_).fileName())
            continue;
        mine.push_back({d.line, d.column, 0, d.severity, d.message});
    }
    setDiagnostics(mine);
}

void CudaEditor::jumpTo(const QString& file, int line, int column) {
    if (line <= 0)
        return;
    if (!file.isEmpty() && QFileInfo(file).fileName() != QFileInfo(source_name_).fileName())
        return;
    goTo(line, column);
}

} // namespace kf::widgets
