// SPDX-License-Identifier: MIT
#pragma once

#include <QSet>
#include <QString>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace kf::widgets {

// Keywords, types, CUDA qualifiers and built-ins, numbers, strings, comments and preprocessor lines in the
// code blocks of a reasoning document; blocks without the code property are left alone, so prose costs one
// property lookup. Formats go to the layout, not the document: highlighting never changes the text.
class CodeHighlighter : public QSyntaxHighlighter {
    Q_OBJECT
public:
    // `code_property`: the QTextBlockFormat property that marks code lines; `dark`: the palette is dark.
    CodeHighlighter(QTextDocument* doc, int code_property, bool dark);

protected:
    void highlightBlock(const QString& text) override;

private:
    int m_code_property;
    QSet<QString> m_keywords;
    QSet<QString> m_cuda;
    QTextCharFormat m_keyword;
    QTextCharFormat m_cuda_format;
    QTextCharFormat m_number;
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
    QTextCharFormat m_preprocessor;
    QTextCharFormat m_fence;
};

} // namespace kf::widgets
