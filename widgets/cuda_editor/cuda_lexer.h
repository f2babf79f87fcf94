// SPDX-License-Identifier: MIT
#pragma once

#include <Qsci/qscilexercpp.h>

class QsciScintilla;

namespace kf::widgets {

// QsciLexerCPP that knows CUDA, each kind in a style of its own: qualifiers (__global__, __shared__, ...) in
// keyword set 2, types (dim3, __half, float4, cudaStream_t, ...) in set 4 (global classes), and built-in
// variables (threadIdx, ...) and intrinsics (__syncthreads, __shfl_sync, atomicAdd, ...) as two identifier
// substyles, which installIdentifierStyles() allocates once the lexer is on an editor.
class CudaLexer : public QsciLexerCPP {
    Q_OBJECT
public:
    enum CudaStyle {
        Qualifier = KeywordSet2,
        CudaType = GlobalClass,
        BuiltinVariable = 128, // Scintilla's first substyle of the C++ lexer's identifiers
        Intrinsic = 129,
    };

    explicit CudaLexer(QObject* parent = nullptr);

    const char* language() const override { return "CUDA"; }
    const char* keywords(int set) const override;
    QString description(int style) const override;
    QColor defaultColor(int style) const override;
    QFont defaultFont(int style) const override;

    static const char* qualifiers();
    static const char* types();
    static const char* builtinVariables();
    static const char* intrinsics();

    // Allocates the identifier substyles on `editor` (after setLexer) and fills them; false when Scintilla
    // gave other style numbers than BuiltinVariable and Intrinsic.
    bool installIdentifierStyles(QsciScintilla* editor);
};

} // namespace kf::widgets
