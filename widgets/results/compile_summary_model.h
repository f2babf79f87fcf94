// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/run_summary.h"

#include <QAbstractTableModel>
#include <vector>

namespace kf::widgets {

// One row per compiled role (candidate, reference, baseline): whether it compiled, from the cache or not, how
// long it took, its error and warning counts, its kernels' resources and its first error.
class CompileSummaryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Role, Result, Seconds, Errors, Warnings, Kernels, FirstError, ColumnCount };
    // The first error's place, for a jump to it: {"file", "line", "col"} of the diagnostic (a QVariantMap).
    static constexpr int DiagnosticRole = Qt::UserRole + 1;

    explicit CompileSummaryModel(QObject* parent = nullptr);

    // The run's compiles so far; rows only grow within a run, and a shorter list starts over.
    void setCompiled(const std::vector<runner::RunSummary::Compiled>& compiled);
    void clear();

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<runner::RunSummary::Compiled> m_rows;
};

// How many diagnostics of `severity` ("error", "warning") a compile reported.
int countDiagnostics(const runner::RunSummary::Compiled& c, const char* severity);

} // namespace kf::widgets
