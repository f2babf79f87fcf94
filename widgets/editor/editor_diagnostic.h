// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace kf::widgets {

// One problem to show in a CodeEditor, whatever found it (the spec validator, nvcc).
struct EditorDiagnostic {
    enum class Severity { Error, Warning, Note };

    int line = 0;   // 1-based; 0: the file as a whole (shown on line 1, margin only)
    int column = 0; // 1-based byte column; 0: the whole line
    int length = 0; // bytes to underline; 0: to the end of the word at `column` (at least one character)
    Severity severity = Severity::Error;
    QString message;

    bool operator==(const EditorDiagnostic&) const = default;
};

QString severityName(EditorDiagnostic::Severity severity); // "error", "warning", "note"
// "error", "warning", "note" (and "fatal error"/"remark" mapped to error/note); anything else is an error.
EditorDiagnostic::Severity severityFromName(const QString& name);

} // namespace kf::widgets

Q_DECLARE_METATYPE(kf::widgets::EditorDiagnostic)
