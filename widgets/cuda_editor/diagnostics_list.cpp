// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/diagnostics_list.h"

#include "widgets/cuda_editor/diagnostics_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>
#include <nlohmann/json.hpp>

namespace kf::widgets {

DiagnosticsList::DiagnosticsList(QWidget* parent)
    : QWidget(parent)
    , model_(new DiagnosticsModel(this))
    , view_(new QTreeView(this))
    , summary_(new QLabel(this)) {
    view_->setModel(model_);
    view_->setRootIsDecorated(false);
    view_->setUniformRowHeights(true);
    view_->setAlternatingRowColors(true);
    view_->header()->setStretchLastSection(true);
    view_->header()->setSectionResizeMode(DiagnosticsModel::SeverityColumn, QHeaderView::ResizeToContents);
    view_->header()->setSectionResizeMode(DiagnosticsModel::LocationColumn, QHeaderView::ResizeToContents);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(summary_);
    layout->addWidget(view_, 1);
    connect(view_, &QTreeView::activated, this, &DiagnosticsList::activate);
    clear();
}

QString DiagnosticsList::summary() const {
    return summary_->text();
}

void DiagnosticsList::clear() {
    model_->setDiagnostics({});
    summary_->setText(tr("No compile yet."));
}

void DiagnosticsList::setDiagnostics(const QList<CompilerDiagnostic>& diagnostics) {
    model_->setDiagnostics(diagnostics);
    using S = EditorDiagnostic::Severity;
    const int errors = model_->count(S::Error);
    const int warnings = model_->count(S::Warning);
    const int notes = model_->count(S::Note);
    summary_->setText(diagnostics.isEmpty() ? tr("No diagnostics.")
                                            : tr("%1, %2, %3")
                                                  .arg(tr("%n error(s)", nullptr, errors),
                                                       tr("%n warning(s)", nullptr, warnings),
                                                       tr("%n note(s)", nullptr, notes)));
    emit diagnosticsChanged(diagnostics);
}

bool DiagnosticsList::setCompiledEvent(const nlohmann::json& event, QString* error) {
    QList<CompilerDiagnostic> diagnostics;
    QString why;
    if (!parseCompilerDiagnostics(event, &diagnostics, &why)) {
        model_->setDiagnostics({});
        summary_->setText(tr("Cannot read the compiler's diagnostics: %1").arg(why));
        if (error)
            *error = why;
        return false;
    }
    setDiagnostics(diagnostics);
    return true;
}

void DiagnosticsList::activate(const QModelIndex& index) {
    if (!index.isValid())
        return;
    const CompilerDiagnostic& d = model_->at(index.row());
    if (d.line > 0)
        emit jumpRequested(d.file, d.line, d.column);
}

} // namespace kf::widgets
