// SPDX-License-Identifier: MIT
#include "widgets/editor/editor_diagnostic.h"

namespace kf::widgets {

QString severityName(EditorDiagnostic::Severity severity) {
    switch (severity) {
    case EditorDiagnostic::Severity::Error:
        return QStringLiteral("error");
    case EditorDiagnostic::Severity::Warning:
        return QStringLiteral("warning");
    case EditorDiagnostic::Severity::Note:
        return QStringLiteral("note");
    }
    return QStringLiteral("error");
}

EditorDiagnostic::Severity severityFromName(const QString& name) {
    const QString n = name.trimmed().toLower();
    if (n == QLatin1String("warning"))
        return EditorDiagnostic::Severity::Warning;
    if (n == QLatin1String("note") || n == QLatin1String("remark") || n == QLatin1String("info"))
        return EditorDiagnostic::Severity::Note;
    return EditorDiagnostic::Severity::Error;
}

} // namespace kf::widgets
