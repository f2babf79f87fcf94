// SPDX-License-Identifier: MIT
#pragma once

#include "core/roofline/ceilings.h"
#include "core/roofline/perf_point.h"
#include "core/spec/spec.h"
#include "widgets/roofline/roofline_scene.h"

#include <QStringList>
#include <QWidget>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

class QChart;
class QChartView;
class QLabel;

namespace kf::widgets {

class RunController;

// The roofline of a run (Qt Charts, log-log): the GPU's measured roofs as labelled lines (DRAM and L2
// slopes; FP32, TF32, FP16 and BF16 roofs, FP64 for fp64 specs; ridge points), the candidate, baseline and
// reference at every size with distinct markers, and the trail of the attempt's earlier versions. Hovering a
// point shows its kernel, size, time and the share of the roof that binds it. A spec without FLOPs gets a
// bar view instead: achieved GB/s per size against the DRAM and L2 roofs. A point that cannot be drawn
// (zero or negative time, no FLOPs on log axes, ...) is named in a note under the chart, never dropped
// silently; without calibrated ceilings a line says how to get them.
class RooflineChart : public QWidget {
    Q_OBJECT
public:
    explicit RooflineChart(QWidget* parent = nullptr);

    // The GPU's `ceilings` event or stored profile (CeilingsStore); null for none. Unusable ceilings are
    // treated as none, and the line above the chart says what is wrong with them.
    void setCeilings(const nlohmann::json& ceilings);
    // The spec of the points: their compute roof, their sizes' labels, bandwidth-only or not.
    void setSpec(const spec::Spec& spec);
    void clearSpec();
    void setPoints(std::vector<roofline::PerfPoint> points);
    // The points of a run's events (RunSummary::events()), with the spec set here.
    void setRunEvents(const nlohmann::json& events, const std::string& candidateName);
    // Earlier versions of the attempt, oldest first (PointRole::Version), joined by a line that ends at the
    // candidate's point of the same size.
    void setVersionTrail(std::vector<roofline::PerfPoint> earlier);
    void clear(); // points and trail

    // Follows a controller's runs: each start takes the job's spec and candidate name and clears the points;
    // the device in the run's `hello` picks its ceilings from the CeilingsStore in `ceilingsDir` (the job's
    // own ceilings until then; none when they belong to another GPU); a `ceilings` event (a calibration)
    // replaces them; every `timed` event adds its point.
    void attach(RunController* controller, const QString& ceilingsDir);

    const std::optional<roofline::Ceilings>& ceilings() const { return m_scene.ceilings; }
    const RooflineScene& scene() const { return m_scene; }
    QChart* chart() const;
    bool bandwidthView() const { return m_bandwidthView; }
    QString messageText() const; // the line above the chart ("" when there is nothing to say)
    QString noteText() const;    // the points not drawn, under the chart ("" when every point is)
    QStringList chartLabels() const;
    QString hoverText() const { return m_hoverText; } // the last hover's text

private:
    void rebuild();
    void beginRun(const nlohmann::json& job);
    void addRunEvent(const nlohmann::json& event, const QString& ceilingsDir);
    void showHover(const QString& text, bool state);

    RooflineScene m_scene;
    bool m_specNoFlops = false;
    bool m_hasSpec = false;
    spec::Spec m_spec;
    QString m_ceilingsError;
    bool m_bandwidthView = false;
    BuiltChart m_built;
    QString m_hoverText;
    nlohmann::json m_runEvents = nlohmann::json::array(); // the attached controller's current run
    std::string m_candidateName;
    QLabel* m_message = nullptr;
    QChartView* m_view = nullptr;
    QLabel* m_note = nullptr;
};

} // namespace kf::widgets
