// SPDX-License-Identifier: MIT
#include "core/roofline/roofline_model.h"
#include "widgets/roofline/chart_labels.h"
#include "widgets/roofline/roofline_scene.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPen>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace kf::widgets {

namespace {

using roofline::PerfPoint;
using roofline::PointRole;
using roofline::Roof;

QColor roleColor(PointRole role) {
    switch (role) {
    case PointRole::Candidate:
        return QColor(0x15, 0x65, 0xc0);
    case PointRole::Reference:
        return QColor(0x8d, 0x6e, 0x63);
    case PointRole::Baseline:
        return QColor(0x75, 0x75, 0x75);
    case PointRole::Version:
        return QColor(0x90, 0xca, 0xf9);
    }
    return Qt::gray;
}

QString roleTitle(PointRole role) {
    switch (role) {
    case PointRole::Candidate:
        return QObject::tr("Candidate");
    case PointRole::Reference:
        return QObject::tr("Reference");
    case PointRole::Baseline:
        return QObject::tr("Baseline");
    case PointRole::Version:
        return QObject::tr("Earlier version");
    }
    return {};
}

} // namespace

BuiltChart buildBandwidthBars(const RooflineScene& scene) {
    BuiltChart out;
    QChart* chart = out.chart = new QChart;
    chart->legend()->setAlignment(Qt::AlignBottom);
    out.labels = new ChartLabels(chart);

    // One category per size: the spec's, or the sizes the points name.
    QStringList categories = scene.sizeLabels;
    for (const PerfPoint& p : scene.points) {
        while (p.size_index >= categories.size() && p.size_index < 1000) {
            categories << QObject::tr("size %1").arg(categories.size());
        }
    }
    std::vector<PerfPoint> drawable;
    for (const PerfPoint& p : scene.points) {
        if (const auto why = roofline::whyNoBandwidth(p)) {
            out.notDrawn << pointName(p) + QStringLiteral(": ") + QString::fromStdString(*why);
        } else if (p.size_index < 0 || p.size_index >= categories.size()) {
            out.notDrawn << pointName(p) + QObject::tr(": its size is not one of the spec's");
        } else {
            drawable.push_back(p);
        }
    }
    // Earlier versions have no bar: they would crowd the sizes; their times are in the dataset.
    double maxGbps = 0;
    auto* bars = new QBarSeries;
    bars->setObjectName(QStringLiteral("bandwidth"));
    for (const PointRole role : {PointRole::Candidate, PointRole::Reference, PointRole::Baseline}) {
        BuiltChart::Bars entry{
            nullptr, std::vector<std::optional<PerfPoint>>(static_cast<std::size_t>(categories.size()))};
        bool any = false;
        for (const PerfPoint& p : drawable) {
            if (p.role == role) {
                entry.byCategory[static_cast<std::size_t>(p.size_index)] = p;
                any = true;
                maxGbps = std::max(maxGbps, p.gbps);
            }
        }
        if (!any) {
            continue;
        }
        auto* set = new QBarSet(roleTitle(role));
        set->setColor(roleColor(role));
        set->setBorderColor(roleColor(role));
        for (const auto& p : entry.byCategory) {
            set->append(p ? p->gbps : 0.0);
        }
        bars->append(set);
        entry.set = set;
        out.bars.push_back(std::move(entry));
    }
    chart->addSeries(bars);

    // "rows=8192 cols=8192" is too long under a bar: the values alone, the names once in the axis title.
    auto* x = new QBarCategoryAxis;
    QStringList names;
    QStringList shortLabels;
    for (const QString& label : categories) {
        QStringList values;
        names.clear();
        for (const QString& part : label.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            names << part.section(QLatin1Char('='), 0, 0);
            values << part.section(QLatin1Char('='), 1);
        }
        shortLabels << values.join(QStringLiteral(" × "));
    }
    x->append(shortLabels);
    x->setTitleText(names.isEmpty() ? QObject::tr("Size")
                                    : QObject::tr("Size (%1)").arg(names.join(QStringLiteral(" × "))));
    auto* y = new QValueAxis;
    y->setTitleText(QObject::tr("Achieved bandwidth (GB/s)"));
    y->setLabelFormat(QStringLiteral("%.0f"));
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    bars->attachAxis(x);
    bars->attachAxis(y);

    double yhi = std::max(maxGbps * 1.15, 100.0);
    if (const auto& c = scene.ceilings) {
        const double n = static_cast<double>(std::max<qsizetype>(1, categories.size()));
        for (const Roof r : {Roof::Dram, Roof::L2}) {
            const auto bw = c->value(r);
            if (!bw) {
                continue;
            }
            yhi = std::max(yhi, *bw * 1.1);
            auto* line = new QLineSeries;
            const QString text = QStringLiteral("%1 %2 GB/s")
                                     .arg(QString::fromUtf8(roofline::roofLabel(r).data()))
                                     .arg(*bw, 0, 'f', 0);
            line->setName(text);
            line->setObjectName(QStringLiteral("roof:") + QString::fromUtf8(roofline::roofKey(r).data()));
            line->append(-0.5, *bw);
            line->append(n - 0.5, *bw);
            QPen pen(r == Roof::Dram ? QColor(0xc6, 0x28, 0x28) : QColor(0xef, 0x6c, 0x00));
            pen.setWidthF(r == Roof::Dram ? 2.0 : 1.4);
            if (r == Roof::L2) {
                pen.setStyle(Qt::DashLine);
            }
            line->setPen(pen);
            chart->addSeries(line);
            line->attachAxis(x);
            line->attachAxis(y);
            for (QLegendMarker* m : chart->legend()->markers(line)) {
                m->setVisible(false);
            }
            out.labels->add(text, line, pen.color(),
                            {{{n - 0.5, *bw}, ChartLabels::Place::AboveLeft, {}},
                             {{n - 0.5, *bw}, ChartLabels::Place::BelowLeft, {}}});
        }
    }
    // Ticks every 1, 2 or 5 times a power of ten GB/s (at most 8 intervals), from 0 to just above the roofs.
    const double mantissas[] = {1, 2, 5};
    double step = 1;
    for (int i = 1; yhi / step > 8; ++i) {
        step = mantissas[i % 3] * std::pow(10.0, i / 3);
    }
    y->setRange(0, yhi);
    y->setTickType(QValueAxis::TicksDynamic);
    y->setTickAnchor(0);
    y->setTickInterval(step);
    return out;
}

} // namespace kf::widgets
