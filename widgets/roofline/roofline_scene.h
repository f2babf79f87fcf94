// SPDX-License-Identifier: MIT
#pragma once

#include "core/roofline/ceilings.h"
#include "core/roofline/perf_point.h"

#include <QString>
#include <QStringList>
#include <optional>
#include <vector>

class QChart;
class QAbstractSeries;
class QBarSet;

namespace kf::widgets {

class ChartLabels;

// What a roofline shows: the GPU's roofs, the roof a spec's arithmetic is bound by, the run's points and
// the earlier versions of the same attempt.
struct RooflineScene {
    std::optional<roofline::Ceilings> ceilings;
    std::optional<roofline::Roof> compute; // the spec's compute roof (nullopt: integer work, or no spec)
    std::vector<roofline::PerfPoint> points;
    std::vector<roofline::PerfPoint> trail; // oldest first
    QStringList sizeLabels;                 // the spec's sizes, in order
};

// A chart made from a scene, and what its hover handlers need.
struct BuiltChart {
    QChart* chart = nullptr;
    ChartLabels* labels = nullptr;
    QStringList notDrawn; // "softmax.cu (candidate) at rows=1 cols=5: its time is 0 us, not positive"
    struct Scatter {
        QAbstractSeries* series;
        std::vector<roofline::PerfPoint> points;
    };
    std::vector<Scatter> scatters;
    struct Bars {
        QBarSet* set;
        std::vector<std::optional<roofline::PerfPoint>> byCategory;
    };
    std::vector<Bars> bars;
};

// The log-log roofline: roofs as labelled lines, ridge points, and the points that can go on log axes.
BuiltChart buildLogRoofline(const RooflineScene& scene);
// For specs without FLOPs: achieved GB/s per size as bars, against the DRAM and L2 roofs.
BuiltChart buildBandwidthBars(const RooflineScene& scene);

// The hover text of a point: kernel, size, time, rates, intensity and the share of the roof that binds it.
QString describePoint(const roofline::PerfPoint& p, const RooflineScene& scene);
// "softmax.cu (candidate) at rows=4096 cols=8192"
QString pointName(const roofline::PerfPoint& p);

} // namespace kf::widgets
