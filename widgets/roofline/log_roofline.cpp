// SPDX-License-Identifier: MIT
#include "core/roofline/roofline_model.h"
#include "widgets/roofline/chart_labels.h"
#include "widgets/roofline/roofline_scene.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QPen>
#include <QScatterSeries>
#include <algorithm>
#include <cmath>
#include <limits>

namespace kf::widgets {

namespace {

using roofline::PerfPoint;
using roofline::PointRole;
using roofline::Roof;

double decadeBelow(double v) {
    return std::pow(10.0, std::floor(std::log10(v)));
}

double decadeAbove(double v) {
    return std::pow(10.0, std::ceil(std::log10(v)));
}

QColor roofColor(Roof r) {
    switch (r) {
    case Roof::Dram:
        return QColor(0xc6, 0x28, 0x28);
    case Roof::L2:
        return QColor(0xef, 0x6c, 0x00);
    case Roof::Fp64:
        return QColor(0x5d, 0x40, 0x37);
    case Roof::Fp32:
        return QColor(0x2e, 0x7d, 0x32);
    case Roof::Tf32:
        return QColor(0x6a, 0x1b, 0x9a);
    case Roof::Fp16:
        return QColor(0x00, 0x83, 0x8f);
    case Roof::Bf16:
        return QColor(0x15, 0x65, 0xc0);
    }
    return Qt::black;
}

QString roofText(Roof r, double value) {
    const QString label = QString::fromUtf8(roofline::roofLabel(r).data());
    if (roofline::isBandwidthRoof(r)) {
        return QStringLiteral("%1 %2 GB/s").arg(label).arg(value, 0, 'f', 0);
    }
    return QStringLiteral("%1 %2 TFLOP/s").arg(label).arg(value / 1e3, 0, 'g', 3);
}

struct Axes {
    QLogValueAxis* x;
    QLogValueAxis* y;
};

template <typename Series>
Series* add(QChart* chart, Series* s, const Axes& axes, const QString& id) {
    s->setObjectName(id);
    chart->addSeries(s);
    s->attachAxis(axes.x);
    s->attachAxis(axes.y);
    return s;
}

QLineSeries* roofLine(QChart* chart, const Axes& axes, Roof r, QPointF from, QPointF to, bool emphasized,
                      double value) {
    auto* line = new QLineSeries;
    line->setName(roofText(r, value));
    line->append(from);
    line->append(to);
    QPen pen(roofColor(r));
    pen.setWidthF(emphasized ? 2.5 : 1.4);
    if (!emphasized) {
        pen.setStyle(Qt::DashLine);
    }
    line->setPen(pen);
    return add(chart, line, axes, QStringLiteral("roof:") + QString::fromUtf8(roofline::roofKey(r).data()));
}

QScatterSeries* pointSeries(PointRole role) {
    auto* s = new QScatterSeries;
    switch (role) {
    case PointRole::Candidate:
        s->setName(QObject::tr("Candidate"));
        s->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        s->setMarkerSize(13);
        s->setColor(QColor(0x15, 0x65, 0xc0));
        break;
    case PointRole::Reference:
        s->setName(QObject::tr("Reference"));
        s->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
        s->setMarkerSize(14);
        s->setColor(QColor(0x6d, 0x4c, 0x41));
        break;
    case PointRole::Baseline:
        s->setName(QObject::tr("Baseline"));
        s->setMarkerShape(QScatterSeries::MarkerShapeRotatedRectangle);
        s->setMarkerSize(13);
        s->setColor(QColor(0x61, 0x61, 0x61));
        break;
    case PointRole::Version:
        s->setName(QObject::tr("Earlier versions"));
        s->setMarkerShape(QScatterSeries::MarkerShapeCircle);
        s->setMarkerSize(9);
        s->setColor(QColor(0x90, 0xca, 0xf9));
        break;
    }
    s->setBorderColor(Qt::white);
    return s;
}

void hideFromLegend(QChart* chart, QAbstractSeries* s) {
    for (QLegendMarker* m : chart->legend()->markers(s)) {
        m->setVisible(false);
    }
}

} // namespace

BuiltChart buildLogRoofline(const RooflineScene& scene) {
    BuiltChart out;
    QChart* chart = out.chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    Axes axes{new QLogValueAxis, new QLogValueAxis};
    axes.x->setTitleText(QObject::tr("Arithmetic intensity (FLOP/byte)"));
    axes.y->setTitleText(QObject::tr("Performance (GFLOP/s)"));
    for (QLogValueAxis* a : {axes.x, axes.y}) {
        a->setBase(10);
        a->setLabelFormat(QStringLiteral("%g"));
        a->setMinorTickCount(8);
        a->setMinorGridLineColor(QColor(0xee, 0xee, 0xee));
    }
    chart->addAxis(axes.x, Qt::AlignBottom);
    chart->addAxis(axes.y, Qt::AlignLeft);
    out.labels = new ChartLabels(chart);

    // The points that have a place on log axes, and why the others have none.
    std::vector<PerfPoint> drawable;
    for (const auto* list : {&scene.trail, &scene.points}) {
        for (const PerfPoint& p : *list) {
            if (const auto why = roofline::whyNotOnLogAxes(p)) {
                out.notDrawn << pointName(p) + QStringLiteral(": ") + QString::fromStdString(*why);
            } else {
                drawable.push_back(p);
            }
        }
    }

    // The roofs drawn: FP32, TF32, FP16 and BF16 always, FP64 where the spec works in it.
    std::vector<Roof> roofs;
    const auto& c = scene.ceilings;
    if (c) {
        for (const Roof r : c->computeRoofs()) {
            if (r != Roof::Fp64 || scene.compute == Roof::Fp64) {
                roofs.push_back(r);
            }
        }
    }
    const double dram = c ? *c->value(Roof::Dram) : 0;
    const double l2 = c && c->has(Roof::L2) ? *c->value(Roof::L2) : 0;
    const double top = roofs.empty() ? 0 : *c->value(roofs.back());

    // Ranges: whole decades of intensity around the points and the ridges; performance from the lowest
    // point or the DRAM roof's start to above the highest roof.
    double aiMin = std::numeric_limits<double>::infinity(), aiMax = 0;
    double gMin = std::numeric_limits<double>::infinity(), gMax = 0;
    for (const PerfPoint& p : drawable) {
        aiMin = std::min(aiMin, p.intensity());
        aiMax = std::max(aiMax, p.intensity());
        gMin = std::min(gMin, p.gflops);
        gMax = std::max(gMax, p.gflops);
    }
    double xlo = drawable.empty() ? 0.01 : decadeBelow(aiMin / 2);
    double xhi = drawable.empty() ? 100 : decadeAbove(aiMax * 2);
    if (c) {
        xlo = std::min(xlo, 0.1);
        if (top > 0) {
            xhi = std::max(xhi, decadeAbove(top / dram * 3));
        }
    }
    double ylo = drawable.empty() ? 1 : decadeBelow(gMin / 2);
    double yhi = drawable.empty() ? 1e6 : gMax * 3;
    if (c) {
        ylo = std::min(ylo, decadeBelow(dram * xlo));
        yhi = std::max(yhi, (top > 0 ? top : dram * xhi) * 2);
    }
    // A hair beyond the decades, so that the first and last decade keep their tick labels.
    axes.x->setRange(xlo * 0.999, xhi * 1.001);
    axes.y->setRange(ylo * 0.999, yhi);

    if (c) {
        // Bandwidth roofs rise until the highest compute roof (or the plot's right edge without one); compute
        // roofs run from where they meet the highest bandwidth roof to the right edge.
        const double roofTop = top > 0 ? top : dram * xhi;
        auto slope = [&](Roof r, double bw) {
            auto* line =
                roofLine(chart, axes, r, {xlo, bw * xlo}, {roofTop / bw, roofTop}, r == Roof::Dram, bw);
            const QPointF along(xlo * 16, bw * xlo * 16);
            out.labels->add(roofText(r, bw), line, roofColor(r),
                            {{{xlo * 1.6, bw * xlo * 1.6}, ChartLabels::Place::AboveRight, along},
                             {{xlo * 1.6, bw * xlo * 1.6}, ChartLabels::Place::BelowRight, along}});
        };
        slope(Roof::Dram, dram);
        if (l2 > 0) {
            slope(Roof::L2, l2);
        }
        const double highestBw = std::max(dram, l2);
        auto* ridges = new QScatterSeries;
        ridges->setName(QObject::tr("Ridge points"));
        ridges->setMarkerSize(7);
        ridges->setColor(Qt::white);
        ridges->setBorderColor(QColor(0x42, 0x42, 0x42));
        std::vector<std::pair<QLineSeries*, Roof>> lines;
        for (const Roof r : roofs) {
            const double peak = *c->value(r);
            lines.emplace_back(
                roofLine(chart, axes, r, {peak / highestBw, peak}, {xhi, peak}, r == scene.compute, peak), r);
            ridges->append(roofline::ridgePoint(peak, dram), peak);
        }
        // Names at the right end, above the line or else below it, or else halfway along: the highest roof
        // first, so that of two roofs close together (FP16 and BF16) the lower one gives way.
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
            const double peak = *c->value(it->second);
            const double mid = std::sqrt(peak / highestBw * xhi);
            using P = ChartLabels::Place;
            out.labels->add(roofText(it->second, peak), it->first, roofColor(it->second),
                            {{{xhi, peak}, P::AboveLeft, {}},
                             {{xhi, peak}, P::BelowLeft, {}},
                             {{mid, peak}, P::AboveLeft, {}},
                             {{mid, peak}, P::BelowLeft, {}}});
        }
        if (!roofs.empty()) {
            add(chart, ridges, axes, QStringLiteral("ridges"));
            hideFromLegend(chart, ridges);
            if (scene.compute && c->has(*scene.compute)) {
                const double peak = *c->value(*scene.compute);
                const double ridge = roofline::ridgePoint(peak, dram);
                out.labels->add(QObject::tr("ridge %1 FLOP/B").arg(ridge, 0, 'g', 3), ridges,
                                QColor(0x42, 0x42, 0x42),
                                {{{ridge, peak}, ChartLabels::Place::BelowRight, {}},
                                 {{ridge, peak}, ChartLabels::Place::AboveLeft, {}}});
            }
        } else {
            delete ridges;
        }
        for (QAbstractSeries* s : chart->series()) {
            hideFromLegend(chart, s); // roofs are named on the chart itself
        }
    }

    // The trail: earlier versions in order, ending at the candidate's point at the same size.
    std::vector<PerfPoint> versions;
    for (const PerfPoint& p : drawable) {
        if (p.role == PointRole::Version) {
            versions.push_back(p);
        }
    }
    if (!versions.empty()) {
        auto* trail = new QLineSeries;
        trail->setName(QObject::tr("Version trail"));
        QPen pen(QColor(0x64, 0xb5, 0xf6));
        pen.setWidthF(1.5);
        pen.setStyle(Qt::DotLine);
        trail->setPen(pen);
        for (const PerfPoint& p : versions) {
            trail->append(p.intensity(), p.gflops);
        }
        for (const PerfPoint& p : drawable) {
            if (p.role == PointRole::Candidate && p.size_index == versions.back().size_index) {
                trail->append(p.intensity(), p.gflops);
                break;
            }
        }
        add(chart, trail, axes, QStringLiteral("trail"));
        hideFromLegend(chart, trail);
    }
    for (const PointRole role :
         {PointRole::Version, PointRole::Baseline, PointRole::Reference, PointRole::Candidate}) {
        std::vector<PerfPoint> mine;
        for (const PerfPoint& p : drawable) {
            if (p.role == role) {
                mine.push_back(p);
            }
        }
        if (mine.empty()) {
            continue;
        }
        QScatterSeries* s = pointSeries(role);
        for (const PerfPoint& p : mine) {
            s->append(p.intensity(), p.gflops);
        }
        add(chart, s, axes, QString::fromUtf8(roofline::pointRoleName(role).data()));
        out.scatters.push_back({s, std::move(mine)});
    }
    // The headline size's candidate says how close it comes to its roof; the others say it on hover.
    for (const auto& scatter : out.scatters) {
        for (const PerfPoint& p : scatter.points) {
            if (p.role != PointRole::Candidate || p.size_index != 0 || !c) {
                continue;
            }
            if (const auto placed = roofline::placePoint(*c, scene.compute, p.intensity(), p.gflops)) {
                const QString text = QObject::tr("%1% of %2")
                                         .arg(placed->percent, 0, 'f', placed->percent < 10 ? 1 : 0)
                                         .arg(QString::fromUtf8(roofline::roofLabel(placed->roof).data()));
                const QPointF at(p.intensity(), p.gflops);
                out.labels->add(
                    text, scatter.series, QColor(0x0d, 0x47, 0xa1),
                    {{at, ChartLabels::Place::BelowRight, {}}, {at, ChartLabels::Place::AboveRight, {}}});
            }
        }
    }
    return out;
}

} // namespace kf::widgets
