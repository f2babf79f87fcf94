// SPDX-License-Identifier: MIT
#include "widgets/results/compile_summary_model.h"

#include "widgets/results/result_format.h"

#include <QBrush>
#include <QColor>
#include <QVariantMap>

namespace kf::widgets {

namespace {

const nlohmann::json* firstError(const runner::RunSummary::Compiled& c) {
    for (const auto& d : c.diagnostics) {
        if (d.is_object() && d.value("severity", std::string()) == "error") {
            return &d;
        }
    }
    return nullptr;
}

QString diagnosticText(const nlohmann::json& d) {
    return QStringLiteral("%1:%2:%3: %4")
        .arg(format::text(d, "file"))
        .arg(d.value("line", 0))
        .arg(d.value("col", 0))
        .arg(format::text(d, "message"));
}

QString kernelsText(const nlohmann::json& kernels) {
    QStringList parts;
    for (const auto& k : kernels) {
        if (!k.is_object()) {
            continue;
        }
        QString part =
            QStringLiteral("%1: %2 regs").arg(format::text(k, "name")).arg(k.value("registers", 0));
        const int spills = k.value("spill_stores", 0) + k.value("spill_loads", 0);
        if (spills > 0) {
            part += QStringLiteral(", %1 B spilled").arg(spills);
        }
        parts << part;
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

int countDiagnostics(const runner::RunSummary::Compiled& c, const char* severity) {
    int n = 0;
    for (const auto& d : c.diagnostics) {
        n += d.is_object() && d.value("severity", std::string()) == severity ? 1 : 0;
    }
    return n;
}

CompileSummaryModel::CompileSummaryModel(QObject* parent)
    : QAbstractTableModel(parent) {}

void CompileSummaryModel::setCompiled(const std::vector<runner::RunSummary::Compiled>& compiled) {
    if (compiled.size() < m_rows.size()) {
        beginResetModel();
        m_rows = compiled;
        endResetModel();
        return;
    }
    const int old = static_cast<int>(m_rows.size());
    const int now = static_cast<int>(compiled.size());
    if (now > old) {
        beginInsertRows({}, old, now - 1);
        m_rows = compiled;
        endInsertRows();
    } else {
        m_rows = compiled;
    }
    if (old > 0) {
        emit dataChanged(index(0, 0), index(old - 1, ColumnCount - 1));
    }
}

void CompileSummaryModel::clear() {
    setCompiled({});
}

int CompileSummaryModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int CompileSummaryModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CompileSummaryModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& c = m_rows[static_cast<std::size_t>(index.row())];
    const nlohmann::json* first = firstError(c);
    if (role == DiagnosticRole) {
        if (first == nullptr) {
            return {};
        }
        return QVariantMap{{QStringLiteral("file"), format::text(*first, "file")},
                           {QStringLiteral("line"), first->value("line", 0)},
                           {QStringLiteral("col"), first->value("col", 0)}};
    }
    if (role == Qt::ForegroundRole && index.column() == Result) {
        return QBrush(c.ok ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xc6, 0x28, 0x28));
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == FirstError && first != nullptr) {
            return diagnosticText(*first);
        }
        if (index.column() == Kernels) {
            return kernelsText(c.kernels);
        }
        return {};
    }
    if (role == Qt::TextAlignmentRole &&
        (index.column() == Seconds || index.column() == Errors || index.column() == Warnings)) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    switch (index.column()) {
    case Role:
        return QString::fromStdString(c.role);
    case Result:
        return c.ok ? (c.cached ? tr("ok (cached)") : tr("ok")) : tr("failed");
    case Seconds:
        return format::seconds(c.seconds);
    case Errors:
        return countDiagnostics(c, "error");
    case Warnings:
        return countDiagnostics(c, "warning");
    case Kernels:
        return kernelsText(c.kernels);
    case FirstError:
        return first != nullptr ? diagnosticText(*first) : QString();
    default:
        return {};
    }
}

QVariant CompileSummaryModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case Role:
        return tr("Role");
    case Result:
        return tr("Result");
    case Seconds:
        return tr("Time");
    case Errors:
        return tr("Errors");
    case Warnings:
        return tr("Warnings");
    case Kernels:
        return tr("Kernels");
    case FirstError:
        return tr("First error");
    default:
        return {};
    }
}

} // namespace kf::widgets
