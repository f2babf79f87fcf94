// SPDX-License-Identifier: MIT
#include "core/roofline/roofline_model.h"
#include "widgets/results/result_format.h"
#include "widgets/roofline/roofline_scene.h"

#include <QObject>
#include <cmath>

namespace kf::widgets {

QString pointName(const roofline::PerfPoint& p) {
    QString name = QString::fromStdString(p.kernel);
    if (p.role != roofline::PointRole::Reference && p.role != roofline::PointRole::Baseline) {
        name += QStringLiteral(" (%1)").arg(QString::fromUtf8(roofline::pointRoleName(p.role).data()));
    }
    if (!p.size_label.empty()) {
        name += QStringLiteral(" at ") + QString::fromStdString(p.size_label);
    }
    return name;
}

QString describePoint(const roofline::PerfPoint& p, const RooflineScene& scene) {
    auto known = [](double v) { return std::isfinite(v) ? std::optional<double>(v) : std::nullopt; };
    QStringList lines;
    lines << QString::fromStdString(p.kernel) + QStringLiteral(" (") +
                 QString::fromUtf8(roofline::pointRoleName(p.role).data()) + QLatin1Char(')');
    if (!p.size_label.empty()) {
        lines << QString::fromStdString(p.size_label);
    }
    lines << QObject::tr("%1 µs · %2 GFLOP/s · %3 GB/s")
                 .arg(format::micros(known(p.median_us)), format::rate(known(p.gflops)),
                      format::rate(known(p.gbps)));
    const double ai = p.intensity();
    const bool hasFlops = std::isfinite(ai) && ai > 0;
    if (hasFlops) {
        lines << QObject::tr("%1 FLOP/byte").arg(QString::number(ai, 'g', 3));
    }
    if (!scene.ceilings) {
        lines << QObject::tr("no ceilings: run kforge calibrate to place it under its roofs");
        return lines.join(QLatin1Char('\n'));
    }
    const auto placed = hasFlops ? roofline::placePoint(*scene.ceilings, scene.compute, ai, p.gflops)
                                 : roofline::placeBandwidth(*scene.ceilings, p.gbps);
    if (placed) {
        QString line = QObject::tr("%1 of the %2 roof")
                           .arg(format::percent(placed->percent),
                                QString::fromUtf8(roofline::roofLabel(placed->roof).data()));
        if (placed->above_dram) {
            line += QObject::tr(" (above DRAM: its data came from L2)");
        }
        lines << line;
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace kf::widgets
