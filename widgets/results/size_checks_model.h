// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/results/size_rows_model.h"

namespace kf::widgets {

// Per size: checks passed of checks run, the worst rel-L2 error over them, and what went wrong.
class SizeChecksModel : public SizeRowsModel {
    Q_OBJECT
public:
    enum Column { Size, Checks, WorstRelL2, Problems, ColumnCount };
    using SizeRowsModel::SizeRowsModel;

protected:
    int columns() const override { return ColumnCount; }
    QString header(int column) const override;
    QVariant cell(const runner::RunSummary::SizeRow& row, int column, int role) const override;
};

} // namespace kf::widgets
