// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/editor/editor_diagnostic.h"

#include <QList>
#include <QString>
#include <nlohmann/json_fwd.hpp>

namespace kf::widgets {

// One compiler message of kf-runner's `compiled` event (docs/runner-protocol.md): {"file","line","col",
// "severity","message"}. `file` is the user's source name, a header, the prelude (kf_translation_unit.cu) or
// a tool (ptxas, nvlink, ld, nvcc, with line 0).
struct CompilerDiagnostic {
    QString file;
    int line = 0; // 1-based; 0 when the tool names no line
    int column = 0;
    EditorDiagnostic::Severity severity = EditorDiagnostic::Severity::Error;
    QString message; // may span lines (instantiation contexts)

    QString location() const; // "softmax.cu:12:5", "ptxas"
    bool operator==(const CompilerDiagnostic&) const = default;
};

// Reads the diagnostics of a `compiled` event, or its "diagnostics" array alone. On a bad shape returns false
// and says where in `error` ("diagnostics[2].line: expected an integer").
bool parseCompilerDiagnostics(const nlohmann::json& json, QList<CompilerDiagnostic>* out, QString* error);

} // namespace kf::widgets
