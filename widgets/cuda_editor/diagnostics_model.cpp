// SPDX-License-Identifier: MIT
#include "widgets/cuda_editor/diagnostics_model.h"

#include <QApplication>
#include <QColor>
#include <QStyle>

namespace kf::widgets {

DiagnosticsModel::DiagnosticsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void DiagnosticsModel::setDiagnostics(const QList<CompilerDiagnostic>& diagnostics) {
    beginResetModel();
    items_ = diagnostics;
    endResetModel();
}

int DiagnosticsModel::count(EditorDiagnostic::Severity severity) const {
    return static_cast<int>(
        std::count_if(items_.begin(), items_.end(), [&](const auto& d) { return d.severity == severity; }));
}

int DiagnosticsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(items_.size());
}

int DiagnosticsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DiagnosticsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CompilerDiagnostic& d = items_[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case SeverityColumn:
            return severityName(d.severity);
        case LocationColumn:
            return d.location();
        case MessageColumn:
            return d.message.section(QLatin1Char('\n'), 0, 0);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return d.location() + QStringLiteral(": ") + severityName(d.severity) + QStringLiteral(": ") +
               d.message;
    case Qt::DecorationRole:
        if (index.column() != SeverityColumn)
            return {};
        switch (d.severity) {
        case EditorDiagnostic::Severity::Error:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxCritical);
        case EditorDiagnostic::Severity::Warning:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        case EditorDiagnostic::Severity::Note:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxInformation);
        }
        return {};
    case FileRole:
        return d.file;
    case LineRole:
        return d.line;
    case ColumnRole:
        return d.column;
    case SeverityRole:
        return static_cast<int>(d.severity);
    default:
        return {};
    }
}

QVariant DiagnosticsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case LocationColumn:
        return tr("Location");
    case MessageColumn:
        return tr("Message");
    default:
        return {};
    }
}

} // namespace kf::widgets
