// SPDX-License-Identifier: MIT
#include "widgets/reasoning/code_highlighter.h"

#include <QTextBlock>

namespace kf::widgets {

namespace {

constexpr int kInBlockComment = 1;

bool identStart(QChar c) {
    return c.isLetter() || c == u'_';
}

bool identPart(QChar c) {
    return c.isLetterOrNumber() || c == u'_';
}

} // namespace

CodeHighlighter::CodeHighlighter(QTextDocument* doc, int code_property, bool dark)
    : QSyntaxHighlighter(doc)
    , m_code_property(code_property) {
    for (const char* k : {"alignas",
                          "alignof",
                          "auto",
                          "bool",
                          "break",
                          "case",
                          "char",
                          "const",
                          "constexpr",
                          "continue",
                          "default",
                          "delete",
                          "do",
                          "double",
                          "else",
                          "enum",
                          "extern",
                          "false",
                          "float",
                          "for",
                          "if",
                          "inline",
                          "int",
                          "long",
                          "namespace",
                          "new",
                          "nullptr",
                          "return",
                          "short",
                          "signed",
                          "sizeof",
                          "static",
                          "static_cast",
                          "reinterpret_cast",
                          "struct",
                          "switch",
                          "template",
                          "true",
                          "typedef",
                          "typename",
                          "union",
                          "unsigned",
                          "using",
                          "void",
                          "volatile",
                          "while",
                          "size_t",
                          "int8_t",
                          "int16_t",
                          "int32_t",
                          "int64_t",
                          "uint8_t",
                          "uint16_t",
                          "uint32_t",
                          "uint64_t",
                          "half",
                          "__half",
                          "__half2",
                          "__nv_bfloat16",
                          "__nv_bfloat162",
                          "float2",
                          "float4",
                          "int2",
                          "int4",
                          "dim3"}) {
        m_keywords.insert(QString::fromLatin1(k));
    }
    for (const char* k : {"__global__",       "__device__",      "__host__",          "__shared__",
                          "__constant__",     "__restrict__",    "__launch_bounds__", "__forceinline__",
                          "__noinline__",     "__syncthreads",   "__syncwarp",        "__shfl_sync",
                          "__shfl_down_sync", "__shfl_xor_sync", "__shfl_up_sync",    "__ldg",
                          "__expf",           "__fdividef",      "__fmaf_rn",         "atomicAdd",
                          "atomicMax",        "atomicCAS",       "threadIdx",         "blockIdx",
                          "blockDim",         "gridDim",         "warpSize",          "cudaStream_t",
                          "cudaError_t",      "kf_launch"}) {
        m_cuda.insert(QString::fromLatin1(k));
    }
    const auto color = [dark](const char* light, const char* darkc) { return QColor(dark ? darkc : light); };
    m_keyword.setForeground(color("#0033b3", "#7aa2f7"));
    m_keyword.setFontWeight(QFont::DemiBold);
    m_cuda_format.setForeground(color("#871094", "#c678dd"));
    m_number.setForeground(color("#1750eb", "#d19a66"));
    m_string.setForeground(color("#067d17", "#98c379"));
    m_comment.setForeground(color("#8c8c8c", "#7f848e"));
    m_comment.setFontItalic(true);
    m_preprocessor.setForeground(color("#9e880d", "#e5c07b"));
    m_fence.setForeground(color("#8c8c8c", "#7f848e"));
}

void CodeHighlighter::highlightBlock(const QString& text) {
    if (!currentBlock().blockFormat().boolProperty(m_code_property)) {
        setCurrentBlockState(-1);
        return;
    }
    const auto trimmed = QStringView(text).trimmed();
    if (trimmed.startsWith(u"```") || trimmed.startsWith(u"~~~")) {
        setFormat(0, static_cast<int>(text.size()), m_fence);
        setCurrentBlockState(0);
        return;
    }
    const int n = static_cast<int>(text.size());
    int i = 0;
    bool in_comment = previousBlockState() == kInBlockComment;
    if (!in_comment && trimmed.startsWith(u'#')) {
        setFormat(0, n, m_preprocessor);
        setCurrentBlockState(0);
        return;
    }
    while (i < n) {
        if (in_comment) {
            const auto end = text.indexOf(QLatin1String("*/"), i);
            const int stop = end < 0 ? n : static_cast<int>(end) + 2;
            setFormat(i, stop - i, m_comment);
            i = stop;
            in_comment = end < 0;
            continue;
        }
        const QChar c = text[i];
        if (c == u'/' && i + 1 < n && text[i + 1] == u'/') {
            setFormat(i, n - i, m_comment);
            break;
        }
        if (c == u'/' && i + 1 < n && text[i + 1] == u'*') {
            in_comment = true;
            const auto end = text.indexOf(QLatin1String("*/"), i + 2);
            const int stop = end < 0 ? n : static_cast<int>(end) + 2;
            setFormat(i, stop - i, m_comment);
            i = stop;
            in_comment = end < 0;
            continue;
        }
        if (c == u'"' || c == u'\'') {
            int j = i + 1;
            while (j < n && text[j] != c) {
                j += text[j] == u'\\' ? 2 : 1;
            }
            j = std::min(j + 1, n);
            setFormat(i, j - i, m_string);
            i = j;
            continue;
        }
        if (c.isDigit()) {
            int j = i + 1;
            while (j < n && (text[j].isLetterOrNumber() || text[j] == u'.')) {
                ++j;
            }
            setFormat(i, j - i, m_number);
            i = j;
            continue;
        }
        if (identStart(c)) {
            int j = i + 1;
            while (j < n && identPart(text[j])) {
                ++j;
            }
            const QString word = text.mid(i, j - i);
            if (m_keywords.contains(word)) {
                setFormat(i, j - i, m_keyword);
            } else if (m_cuda.contains(word)) {
                setFormat(i, j - i, m_cuda_format);
            }
            i = j;
            continue;
        }
        ++i;
    }
    setCurrentBlockState(in_comment ? kInBlockComment : 0);
}

} // namespace kf::widgets
