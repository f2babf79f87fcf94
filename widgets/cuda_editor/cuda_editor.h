// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/cuda_editor/compiler_diagnostic.h"
#include "widgets/editor/code_editor.h"

namespace kf::widgets {

class CudaLexer;

// A CodeEditor for CUDA sources (CudaLexer), showing the compiler's diagnostics about its own file.
class CudaEditor : public CodeEditor {
    Q_OBJECT
public:
    explicit CudaEditor(QWidget* parent = nullptr);

    CudaLexer* cudaLexer() const { return lexer_; }

    // The file name compiler diagnostics use for this source ("kernel.cu": the candidate's own name).
    void setSourceName(const QString& name) { source_name_ = name; }
    QString sourceName() const { return source_name_; }

    // Shows the diagnostics that point into sourceName() (line > 0); the rest (ptxas, the prelude, headers)
    // are for the DiagnosticsList.
    void setCompilerDiagnostics(const QList<CompilerDiagnostic>& diagnostics);

public slots:
    // Moves to a diagnostic's position when it is in this file (DiagnosticsList::jumpRequested).
    void jumpTo(const QString& file, int line, int column);

protected:
    void paletteApplied(bool dark) override;

private:
    CudaLexer* lexer_;
    QString source_name_ = QStringLiteral("kernel.cu");
};

} // namespace kf::widgets
