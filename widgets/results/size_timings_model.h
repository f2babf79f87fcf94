// SPDX-License-Identifier: MIT
#pragma once

#include "widgets/results/size_rows_model.h"

namespace kf::widgets {

// Per size: the candidate's and the baseline's median, IQR and sample count, the speedup (baseline median
// over candidate median), the candidate's achieved GFLOP/s and GB/s, and its review flags.
class SizeTimingsModel : public SizeRowsModel {
    Q_OBJECT
public:
    enum Column {
        Size,
        Median,
        Iqr,
        Samples,
        BaselineMedian,
        BaselineIqr,
        BaselineSamples,
        Speedup,
        Gflops,
        Gbps,
        Flags,
        ColumnCount
    };
    using SizeRowsModel::SizeRowsModel;

    // "reference" when the spec's baseline is its reference, else "baseline": names the baseline columns.
    void setBaselineName(const QString& name);
    const QString& baselineName() const { return m_baselineName; }

protected:
    int columns() const override { return ColumnCount; }
    QString header(int column) const override;
    QVariant cell(const runner::RunSummary::SizeRow& row, int column, int role) const override;

private:
    QString m_baselineName = QStringLiteral("baseline");
};

} // namespace kf::widgets
