// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/cuda_editor/compiler_diagnostic.h"

#include <QAbstractTableModel>

namespace kf::widgets {

// The compiler's diagnostics as a table: severity, location, message (its first line; the whole message as
// the tooltip).
class DiagnosticsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { SeverityColumn, LocationColumn, MessageColumn, ColumnCount };
    enum Role { FileRole = Qt::UserRole + 1, LineRole, ColumnRole, SeverityRole };

    explicit DiagnosticsModel(QObject* parent = nullptr);

    void setDiagnostics(const QList<CompilerDiagnostic>& diagnostics);
    const QList<CompilerDiagnostic>& diagnostics() const { return items_; }
    const CompilerDiagnostic& at(int row) const { return items_[row]; }
    int count(EditorDiagnostic::Severity severity) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<CompilerDiagnostic> items_;
};

} // namespace kf::widgets
