// SPDX-License-Identifier: MIT
#include "widgets/results/results_view.h"

#include "core/roofline/perf_point.h"
#include "core/runner/job.h"
#include "widgets/results/compile_summary_model.h"
#include "widgets/results/result_format.h"
#include "widgets/results/run_controller.h"
#include "widgets/results/size_checks_model.h"
#include "widgets/results/size_timings_model.h"
#include "widgets/results/stage_progress.h"
#include "widgets/results/verdict_banner.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace kf::widgets {

namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent) {
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setWordWrap(false);
    view->setAlternatingRowColors(true);
    view->horizontalHeader()->setStretchLastSection(true);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
    return view;
}

QLabel* sectionTitle(const QString& text, QWidget* parent) {
    auto* label = new QLabel(text, parent);
    QFont f = label->font();
    f.setBold(true);
    label->setFont(f);
    return label;
}

// What a job will go through: its kind, its sizes' labels and what the speedup is measured against.
struct Plan {
    QString kind = QStringLiteral("run");
    QStringList sizes;
    QString baselineName = QStringLiteral("reference");
};

Plan planOf(const nlohmann::json& job) {
    Plan plan;
    if (!job.is_object()) {
        return plan;
    }
    plan.kind = format::text(job, "kind");
    if (plan.kind.isEmpty()) {
        plan.kind = QStringLiteral("run");
    }
    try {
        const runner::Job parsed = runner::jobFromJson(job);
        if (parsed.spec) {
            for (std::size_t i = 0; i < parsed.spec->sizes.size(); ++i) {
                plan.sizes << QString::fromStdString(roofline::sizeLabel(*parsed.spec, static_cast<int>(i)));
            }
            plan.baselineName =
                parsed.spec->baseline.is_reference ? QStringLiteral("reference") : QStringLiteral("baseline");
        }
    } catch (const std::exception&) {
        // A job the runner will refuse: it says why in its events; nothing is planned here.
    }
    return plan;
}

} // namespace

ResultsView::ResultsView(QWidget* parent)
    : QWidget(parent) {
    m_compileModel = new CompileSummaryModel(this);
    m_checksModel = new SizeChecksModel(this);
    m_timingsModel = new SizeTimingsModel(this);

    auto* layout = new QVBoxLayout(this);
    m_banner = new VerdictBanner(this);
    layout->addWidget(m_banner);
    m_device = new QLabel(this);
    m_device->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_device);
    m_progress = new StageProgress(this);
    layout->addWidget(m_progress);

    layout->addWidget(sectionTitle(tr("Compile"), this));
    m_compileView = makeTable(m_compileModel, this);
    m_compileView->setMaximumHeight(
        m_compileView->verticalHeader()->defaultSectionSize() * 3 + // candidate, reference, baseline

        m_compileView->horizontalHeader()->sizeHint().height() + 4);
    layout->addWidget(m_compileView);
    layout->addWidget(sectionTitle(tr("Checks per size"), this));
    m_checksView = makeTable(m_checksModel, this);
    layout->addWidget(m_checksView, 1);
    layout->addWidget(sectionTitle(tr("Timings per size"), this));
    m_timingsView = makeTable(m_timingsModel, this);
    layout->addWidget(m_timingsView, 1);

    connect(m_compileView, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        const QVariantMap d = index.data(CompileSummaryModel::DiagnosticRole).toMap();
        if (!d.isEmpty()) {
            emit diagnosticActivated(d.value(QStringLiteral("file")).toString(),
                                     d.value(QStringLiteral("line")).toInt(),
                                     d.value(QStringLiteral("col")).toInt());
        }
    });
    clear();
}

void ResultsView::attach(RunController* controller) {
    connect(controller, &RunController::started, this,
            [this](quint64, const nlohmann::json& job) { beginRun(job); });
    connect(controller, &RunController::eventArrived, this, &ResultsView::addEvent);
}

void ResultsView::clear() {
    m_summary = runner::RunSummary();
    m_banner->showIdle();
    m_device->clear();
    m_device->hide();
    m_progress->setPlan(QStringLiteral("run"), 0);
    m_compileModel->clear();
    m_checksModel->clear();
    m_timingsModel->clear();
}

void ResultsView::beginRun(const nlohmann::json& job) {
    clear();
    const Plan plan = planOf(job);
    m_baselineName = plan.baselineName;
    m_progress->setPlan(plan.kind, static_cast<int>(plan.sizes.size()));
    m_checksModel->setPlannedSizes(plan.sizes);
    m_timingsModel->setPlannedSizes(plan.kind == QLatin1String("run") ? plan.sizes : QStringList());
    m_timingsModel->setBaselineName(plan.baselineName);
    m_banner->showRunning(tr("Starting kf-runner…"));
}

void ResultsView::showRun(const nlohmann::json& job, const nlohmann::json& events) {
    beginRun(job);
    if (events.is_array()) {
        for (const auto& ev : events) {
            addEvent(ev);
        }
    }
}

QString ResultsView::deviceText() const {
    return m_device->text();
}

void ResultsView::addEvent(const nlohmann::json& ev) {
    if (!ev.is_object()) {
        return;
    }
    m_summary.add(ev);
    m_progress->addEvent(ev);
    const std::string kind = ev.value("event", std::string());
    if (kind == "hello") {
        const auto& dev = m_summary.device();
        if (dev.is_object()) {
            m_device->setText(tr("%1 · %2 · CUDA %3 · driver %4")
                                  .arg(format::text(dev, "name"), format::text(dev, "arch"),
                                       format::text(dev, "cuda"), format::text(dev, "driver")));
        } else {
            const QString why = format::text(ev, "device_error");
            m_device->setText(why.isEmpty() ? tr("No GPU: compile only") : tr("No GPU: %1").arg(why));
        }
        m_device->show();
    } else if (kind == "compiled") {
        m_compileModel->setCompiled(m_summary.compiled());
    } else if (kind == "checked" || kind == "timed") {
        m_checksModel->setRows(m_summary.sizes());
        m_timingsModel->setRows(m_summary.sizes());
    } else if (kind == "done") {
        m_checksModel->setFinished(true);
        m_timingsModel->setFinished(true);
        m_banner->showDone(ev, m_baselineName);
        return;
    }
    updateRunning();
}

void ResultsView::updateRunning() {
    if (!m_summary.done().is_null()) {
        return;
    }
    const QString stage = QString::fromStdString(m_summary.stage());
    if (stage.isEmpty()) {
        return;
    }
    const QString detail = m_progress->stageText(stage).section(QStringLiteral(" · "), 1);
    m_banner->showRunning(detail.isEmpty() ? tr("Running: %1").arg(stage)
                                           : tr("Running: %1, %2").arg(stage, detail));
}

} // namespace kf::widgets
