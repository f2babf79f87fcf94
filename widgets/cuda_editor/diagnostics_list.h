// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/cuda_editor/compiler_diagnostic.h"

#include <QWidget>
#include <nlohmann/json_fwd.hpp>

class QLabel;
class QTreeView;

namespace kf::widgets {

class DiagnosticsModel;

// The compiler's diagnostics of the last compile, as a list with a summary line. Activating one (Enter or a
// double click) asks to jump there: connect jumpRequested to CudaEditor::jumpTo.
class DiagnosticsList : public QWidget {
    Q_OBJECT
public:
    explicit DiagnosticsList(QWidget* parent = nullptr);

    DiagnosticsModel* model() const { return model_; }
    QTreeView* view() const { return view_; }
    QString summary() const;

    void setDiagnostics(const QList<CompilerDiagnostic>& diagnostics);
    // A `compiled` event (or its "diagnostics" array): false with `error` set when it is malformed, and the
    // list then shows that error instead.
    bool setCompiledEvent(const nlohmann::json& event, QString* error = nullptr);
    void clear();

signals:
    void jumpRequested(const QString& file, int line, int column);
    void diagnosticsChanged(const QList<kf::widgets::CompilerDiagnostic>& diagnostics);

private:
    void activate(const QModelIndex& index);

    DiagnosticsModel* model_;
    QTreeView* view_;
    QLabel* summary_;
};

} // namespace kf::widgets
