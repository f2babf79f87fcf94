// SPDX-License-Identifier: MIT
#include "widgets/results/size_timings_model.h"

#include "widgets/results/result_format.h"

#include <QBrush>
#include <QColor>

namespace kf::widgets {

namespace {

std::optional<double> speedupOf(const runner::RunSummary::SizeRow& r) {
    if (const auto s = format::number(r.candidate, "speedup")) {
        return s;
    }
    const auto c = format::number(r.candidate, "median_us");
    const auto b = format::number(r.baseline, "median_us");
    return c && b && *c > 0 ? std::optional<double>(*b / *c) : std::nullopt;
}

QString samples(const nlohmann::json& timed) {
    const auto n = format::number(timed, "samples");
    return n ? QString::number(static_cast<long long>(*n)) : format::kUnknown;
}

} // namespace

void SizeTimingsModel::setBaselineName(const QString& name) {
    m_baselineName = name;
    emit headerDataChanged(Qt::Horizontal, BaselineMedian, BaselineSamples);
}

QString SizeTimingsModel::header(int column) const {
    const QString name = m_baselineName.left(1).toUpper() + m_baselineName.mid(1);
    switch (column) {
    case Median:
        return tr("Median µs");
    case Iqr:
        return tr("IQR µs");
    case Samples:
        return tr("Samples");
    case BaselineMedian:
        return tr("%1 µs").arg(name);
    case BaselineIqr:
        return tr("%1 IQR µs").arg(name);
    case BaselineSamples:
        return tr("%1 samples").arg(name);
    case Speedup:
        return tr("Speedup");
    case Gflops:
        return tr("GFLOP/s");
    case Gbps:
        return tr("GB/s");
    case Flags:
        return tr("Flags");
    default:
        return {};
    }
}

QVariant SizeTimingsModel::cell(const runner::RunSummary::SizeRow& r, int column, int role) const {
    const bool timed = r.candidate.is_object();
    const bool failed = r.checks_ok < r.checks;
    if (role == Qt::ForegroundRole) {
        if (!timed) {
            return QBrush(QColor(0x80, 0x80, 0x80));
        }
        if (column == Speedup) {
            const auto s = speedupOf(r);
            return s ? QBrush(*s >= 1.0 ? QColor(0x1b, 0x7f, 0x3b) : QColor(0xc6, 0x28, 0x28)) : QVariant();
        }
        if (column == Flags &&
            !format::strings(r.candidate.value("flags", nlohmann::json::array())).isEmpty()) {
            return QBrush(QColor(0xb2, 0x6a, 0x00));
        }
        return {};
    }
    if (role == Qt::ToolTipRole && timed && column == Median) {
        return tr("timer %1, %2 mode, stop: %3, min %4 µs, max %5 µs")
            .arg(format::text(r.candidate, "timer"), format::text(r.candidate, "mode"),
                 format::text(r.candidate, "stop"), format::micros(format::number(r.candidate, "min_us")),
                 format::micros(format::number(r.candidate, "max_us")));
    }
    if (role == Qt::TextAlignmentRole && column != Flags) {
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    }
    if (role != Qt::DisplayRole) {
        return {};
    }
    if (!timed) {
        // Sizes where the candidate fails are not timed; the others are waiting for their turn.
        if (column != Median) {
            return QString();
        }
        return failed ? tr("not timed: wrong") : finished() ? tr("not timed") : tr("waiting");
    }
    switch (column) {
    case Median:
        return format::micros(format::number(r.candidate, "median_us"));
    case Iqr:
        return format::micros(format::number(r.candidate, "iqr_us"));
    case Samples:
        return samples(r.candidate);
    case BaselineMedian:
        return format::micros(format::number(r.baseline, "median_us"));
    case BaselineIqr:
        return format::micros(format::number(r.baseline, "iqr_us"));
    case BaselineSamples:
        return r.baseline.is_object() ? samples(r.baseline) : format::kUnknown;
    case Speedup:
        return format::ratio(speedupOf(r));
    case Gflops:
        return format::rate(format::number(r.candidate, "gflops"));
    case Gbps:
        return format::rate(format::number(r.candidate, "gbps"));
    case Flags:
        return format::strings(r.candidate.value("flags", nlohmann::json::array()))
            .join(QStringLiteral(", "));
    default:
        return {};
    }
}

} // namespace kf::widgets
