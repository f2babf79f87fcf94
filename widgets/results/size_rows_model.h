// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/run_summary.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <optional>
#include <vector>

namespace kf::widgets {

// One row per size of the spec, in the spec's order: the sizes a run will visit are listed from its start
// (pending), and fill in as the run's `checked` and `timed` events arrive. Subclasses pick the columns.
class SizeRowsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit SizeRowsModel(QObject* parent = nullptr);

    // The sizes the run will visit ("rows=4096 cols=8192"); starts over.
    void setPlannedSizes(const QStringList& labels);
    // The run's rows so far (RunSummary::sizes()); rows only grow within a run.
    void setRows(const std::vector<runner::RunSummary::SizeRow>& rows);
    void clear();
    // The run is over: what has not happened yet never will ("not reached" rather than "pending").
    void setFinished(bool over);
    bool finished() const { return m_finished; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    virtual int columns() const = 0;
    virtual QString header(int column) const = 0;
    // A reached size's cell; column 0 (the size) is the base class's.
    virtual QVariant cell(const runner::RunSummary::SizeRow& row, int column, int role) const = 0;

private:
    QString label(int row) const;

    QStringList m_planned;
    bool m_finished = false;
    std::vector<std::optional<runner::RunSummary::SizeRow>> m_rows; // by size index
};

} // namespace kf::widgets
