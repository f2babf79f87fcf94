// SPDX-License-Identifier: MIT
#include "widgets/results/size_checks_model.h"

#include "widgets/results/result_format.h"

#include <QBrush>
#include <QColor>

namespace kf::widgets {

QString SizeChecksModel::header(int column) const {
    switch (column) {
    case Checks:
        return tr("Checks");
    case WorstRelL2:
        return tr("Worst rel-L2");
    case Problems:
        return tr("Problems");
    default:
        return {};
    }
}

QVariant SizeChecksModel::cell(const runner::RunSummary::SizeRow& r, int column, int role) const {
    QStringList problems;
    for (const auto& p : r.problems) {
        problems << QString::fromStdString(p);
    }
    const bool failed = r.checks_ok < r.checks;
    if (role == Qt::ForegroundRole && column == Checks) {
        return QBrush(failed ? QColor(0xc6, 0x28, 0x28) : QColor(0x1b, 0x7f, 0x3b));
    }
    if (role == Qt::ToolTipRole && column == Problems && !problems.isEmpty()) {
        return problems.join(QLatin1Char('\n'));
    }
    if (role == Qt::TextAlignmentRole && (column == Checks || column == WorstRelL2)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (column) {
    case Checks:
        return r.checks == 0 ? tr("running") : QStringLiteral("%1/%2").arg(r.checks_ok).arg(r.checks);
    case WorstRelL2:
        return format::relError(r.worst_rel_l2);
    case Problems:
        return problems.join(QStringLiteral("; "));
    default:
        return {};
    }
}

} // namespace kf::widgets
