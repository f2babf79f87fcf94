// SPDX-License-Identifier: MIT
#include "widgets/results/size_rows_model.h"

#include "core/roofline/perf_point.h"
#include "widgets/results/result_format.h"

#include <QBrush>
#include <QColor>
#include <algorithm>

namespace kf::widgets {

SizeRowsModel::SizeRowsModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void SizeRowsModel::setPlannedSizes(const QStringList& labels) {
    beginResetModel();
    m_planned = labels;
    m_finished = false;
    m_rows.assign(static_cast<std::size_t>(labels.size()), std::nullopt);
    endResetModel();
}

void SizeRowsModel::clear() {
    setPlannedSizes({});
}

void SizeRowsModel::setFinished(bool over) {
    if (over == m_finished) {
        return;
    }
    m_finished = over;
    if (!m_rows.empty()) {
        emit dataChanged(index(0, 0), index(rowCount() - 1, columns() - 1));
    }
}

void SizeRowsModel::setRows(const std::vector<runner::RunSummary::SizeRow>& rows) {
    std::size_t needed = m_rows.size();
    for (const auto& r : rows) {
        if (r.index >= 0) {
            needed = std::max(needed, static_cast<std::size_t>(r.index) + 1);
        }
    }
    const int old = static_cast<int>(m_rows.size());
    if (needed > m_rows.size()) {
        beginInsertRows({}, old, static_cast<int>(needed) - 1);
        m_rows.resize(needed);
        endInsertRows();
    }
    for (const auto& r : rows) {
        if (r.index >= 0) {
            m_rows[static_cast<std::size_t>(r.index)] = r;
        }
    }
    if (old > 0) {
        emit dataChanged(index(0, 0), index(old - 1, columns() - 1));
    }
}

int SizeRowsModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SizeRowsModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : columns();
}

QString SizeRowsModel::label(int row) const {
    if (row < m_planned.size()) {
        return m_planned[row]; // in the spec's parameter order
    }
    const auto& r = m_rows[static_cast<std::size_t>(row)];
    if (r && !r->size.empty()) {
        return QString::fromStdString(roofline::sizeLabel(r->size, nullptr));
    }
    return tr("size %1").arg(row);
}

QVariant SizeRowsModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& r = m_rows[static_cast<std::size_t>(index.row())];
    if (index.column() == 0) {
        if (role == Qt::DisplayRole || role == Qt::ToolTipRole) {
            return label(index.row());
        }
        return {};
    }
    if (!r) {
        if (role == Qt::DisplayRole) {
            return index.column() == 1 ? (m_finished ? tr("not reached") : tr("pending")) : QString();
        }
        if (role == Qt::ForegroundRole) {
            return QBrush(QColor(0x80, 0x80, 0x80));
        }
        return {};
    }
    return cell(*r, index.column(), role);
}

QVariant SizeRowsModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= columns()) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    return section == 0 ? tr("Size") : header(section);
}

} // namespace kf::widgets
