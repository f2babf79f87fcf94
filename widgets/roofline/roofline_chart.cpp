// SPDX-License-Identifier: MIT
#include "widgets/roofline/roofline_chart.h"

#include "core/roofline/ceilings_store.h"
#include "core/runner/job.h"
#include "widgets/results/run_controller.h"
#include "widgets/roofline/chart_labels.h"

#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QCursor>
#include <QLabel>
#include <QScatterSeries>
#include <QToolTip>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace kf::widgets {

namespace {

// The stored point nearest to a hovered position, in log space (where the chart draws them).
const roofline::PerfPoint* nearest(const std::vector<roofline::PerfPoint>& points, QPointF at) {
    const roofline::PerfPoint* best = nullptr;
    double bestDistance = 0;
    for (const auto& p : points) {
        const double dx = std::log10(p.intensity()) - std::log10(at.x());
        const double dy = std::log10(p.gflops) - std::log10(at.y());
        const double d = dx * dx + dy * dy;
        if (best == nullptr || d < bestDistance) {
            best = &p;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace

RooflineChart::RooflineChart(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("rooflineMessage"));
    m_message->setWordWrap(true);
    m_message->setStyleSheet(QStringLiteral("QLabel { background: #fff8e1; color: #6d4c00; padding: 6px; }"));
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    m_view = new QChartView(this);
    m_view->setRenderHint(QPainter::Antialiasing);
    m_view->setMinimumSize(320, 240);
    layout->addWidget(m_view, 1);
    m_note = new QLabel(this);
    m_note->setObjectName(QStringLiteral("rooflineNote"));
    m_note->setWordWrap(true);
    m_note->setStyleSheet(QStringLiteral("QLabel { color: #b26a00; padding: 4px; }"));
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_note);
    rebuild();
}

QChart* RooflineChart::chart() const {
    return m_view->chart();
}

QString RooflineChart::messageText() const {
    return m_message->isHidden() ? QString() : m_message->text();
}

QString RooflineChart::noteText() const {
    return m_note->isHidden() ? QString() : m_note->text();
}

QStringList RooflineChart::chartLabels() const {
    return m_built.labels != nullptr ? m_built.labels->texts() : QStringList();
}

void RooflineChart::setCeilings(const nlohmann::json& ceilings) {
    m_ceilingsError.clear();
    m_scene.ceilings.reset();
    if (!ceilings.is_null()) {
        std::string why;
        m_scene.ceilings = roofline::parseCeilings(ceilings, &why);
        if (!m_scene.ceilings) {
            m_ceilingsError = QString::fromStdString(why);
        }
    }
    rebuild();
}

void RooflineChart::setSpec(const spec::Spec& spec) {
    m_spec = spec;
    m_hasSpec = true;
    m_scene.compute = roofline::computeRoofFor(spec);
    m_scene.sizeLabels.clear();
    m_specNoFlops = !spec.sizes.empty();
    for (std::size_t i = 0; i < spec.sizes.size(); ++i) {
        m_scene.sizeLabels << QString::fromStdString(roofline::sizeLabel(spec, static_cast<int>(i)));
        m_specNoFlops = m_specNoFlops && spec.sizes[i].flops == 0;
    }
    rebuild();
}

void RooflineChart::clearSpec() {
    m_hasSpec = false;
    m_spec = {};
    m_scene.compute.reset();
    m_scene.sizeLabels.clear();
    m_specNoFlops = false;
    rebuild();
}

void RooflineChart::setPoints(std::vector<roofline::PerfPoint> points) {
    m_scene.points = std::move(points);
    rebuild();
}

void RooflineChart::setRunEvents(const nlohmann::json& events, const std::string& candidateName) {
    setPoints(roofline::pointsFromEvents(events, m_hasSpec ? &m_spec : nullptr, candidateName));
}

void RooflineChart::setVersionTrail(std::vector<roofline::PerfPoint> earlier) {
    m_scene.trail = std::move(earlier);
    rebuild();
}

void RooflineChart::clear() {
    m_scene.points.clear();
    m_scene.trail.clear();
    rebuild();
}

void RooflineChart::attach(RunController* controller, const QString& ceilingsDir) {
    connect(controller, &RunController::started, this,
            [this](quint64, const nlohmann::json& job) { beginRun(job); });
    connect(controller, &RunController::eventArrived, this,
            [this, ceilingsDir](const nlohmann::json& ev) { addRunEvent(ev, ceilingsDir); });
}

void RooflineChart::beginRun(const nlohmann::json& job) {
    m_runEvents = nlohmann::json::array();
    m_candidateName.clear();
    m_scene.points.clear();
    try {
        const runner::Job parsed = runner::jobFromJson(job);
        m_candidateName = parsed.candidate_name;
        if (!parsed.options.ceilings.is_null()) {
            setCeilings(parsed.options.ceilings);
        }
        if (parsed.spec) {
            setSpec(*parsed.spec); // rebuilds
            return;
        }
    } catch (const std::exception&) {
        // Not a job the runner will take: it says why in its events; there is no spec to draw against.
    }
    clearSpec();
}

void RooflineChart::addRunEvent(const nlohmann::json& ev, const QString& ceilingsDir) {
    const std::string kind = ev.value("event", std::string());
    if (kind == "hello") {
        const nlohmann::json device = ev.value("device", nlohmann::json());
        if (!device.is_object()) {
            return; // no GPU: a compile job, nothing will be timed
        }
        const std::string uuid = device.value("uuid", std::string());
        const auto stored = roofline::CeilingsStore(ceilingsDir.toStdString()).forDevice(uuid);
        if (!ceilingsDir.isEmpty() && !uuid.empty() && stored) {
            setCeilings(*stored);
        } else if (m_scene.ceilings && m_scene.ceilings->device_name != device.value("name", std::string())) {
            setCeilings(nullptr); // another GPU's roofs would mislead
        }
    } else if (kind == "ceilings") {
        setCeilings(ev);
    } else if (kind == "timed") {
        m_runEvents.push_back(ev);
        setRunEvents(m_runEvents, m_candidateName);
    }
}

void RooflineChart::showHover(const QString& text, bool state) {
    if (state) {
        m_hoverText = text;
        QToolTip::showText(QCursor::pos(), text, m_view);
    } else {
        QToolTip::hideText();
    }
}

void RooflineChart::rebuild() {
    // Bandwidth only: the spec counts no FLOPs at any size, or (without a spec) no point has any.
    bool noFlops = m_specNoFlops;
    if (!m_hasSpec && !m_scene.points.empty()) {
        noFlops = std::all_of(m_scene.points.begin(), m_scene.points.end(),
                              [](const roofline::PerfPoint& p) { return p.flops == 0 || p.gflops == 0; });
    }
    m_bandwidthView = noFlops;
    m_built = m_bandwidthView ? buildBandwidthBars(m_scene) : buildLogRoofline(m_scene);
    QChart* chart = m_built.chart;
    QString title = m_bandwidthView ? tr("Bandwidth (the spec counts no FLOPs)") : tr("Roofline");
    if (m_scene.ceilings && !m_scene.ceilings->device_name.empty()) {
        title += QStringLiteral(" · ") + QString::fromStdString(m_scene.ceilings->device_name);
    }
    chart->setTitle(title); // once: a title changed later is laid out only on the next event loop pass
    chart->setMargins(QMargins(4, 4, 4, 4));
    for (const auto& s : m_built.scatters) {
        auto* series = static_cast<QScatterSeries*>(s.series);
        const auto* points = &s.points;
        connect(series, &QScatterSeries::hovered, this, [this, points](const QPointF& at, bool state) {
            if (const roofline::PerfPoint* p = nearest(*points, at)) {
                showHover(describePoint(*p, m_scene), state);
            }
        });
    }
    for (const auto& b : m_built.bars) {
        const auto* byCategory = &b.byCategory;
        connect(b.set, &QBarSet::hovered, this, [this, byCategory](bool state, int index) {
            if (index >= 0 && static_cast<std::size_t>(index) < byCategory->size() && (*byCategory)[index]) {
                showHover(describePoint(*(*byCategory)[static_cast<std::size_t>(index)], m_scene), state);
            }
        });
    }
    QChart* old = m_view->chart();
    m_view->setChart(chart);
    if (old != chart) {
        delete old;
    }

    QString message;
    if (!m_scene.ceilings) {
        message =
            m_ceilingsError.isEmpty()
                ? tr("No calibrated ceilings for this GPU: run “kforge calibrate” on it to draw its roofs.")
                : tr("The stored ceilings cannot be used (%1): run “kforge calibrate” again.")
                      .arg(m_ceilingsError);
    }
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    if (m_built.notDrawn.isEmpty()) {
        m_note->clear();
        m_note->hide();
    } else {
        const QString where =
            m_bandwidthView ? tr("Not in the bandwidth view") : tr("Not drawn on the log axes");
        m_note->setText(where + QStringLiteral(":\n• ") + m_built.notDrawn.join(QStringLiteral("\n• ")));
        m_note->show();
    }
}

} // namespace kf::widgets
