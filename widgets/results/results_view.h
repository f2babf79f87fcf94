// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/run_summary.h"

#include <QWidget>
#include <nlohmann/json.hpp>

class QLabel;
class QTableView;

namespace kf::widgets {

class CompileSummaryModel;
class RunController;
class SizeChecksModel;
class SizeTimingsModel;
class StageProgress;
class VerdictBanner;

// The results of one compile & benchmark run, filled event by event as it arrives (or at once from a stored
// run): the verdict banner with reasons and review flags, progress per stage, the compile summary (per role:
// ok, cached, time, error and warning counts, first error), the checks per size (checks passed of run,
// worst rel-L2, problems) and the timings per size (candidate and baseline median, IQR and samples, speedup,
// GFLOP/s, GB/s, flags).
class ResultsView : public QWidget {
    Q_OBJECT
public:
    explicit ResultsView(QWidget* parent = nullptr);

    // Follows a controller's runs: each start begins a new run here, each event fills it.
    void attach(RunController* controller);
    // Shows a finished (or stored) run at once: its job and its events, in order.
    void showRun(const nlohmann::json& job, const nlohmann::json& events);

    const runner::RunSummary& summary() const { return m_summary; }
    CompileSummaryModel* compileModel() const { return m_compileModel; }
    SizeChecksModel* checksModel() const { return m_checksModel; }
    SizeTimingsModel* timingsModel() const { return m_timingsModel; }
    VerdictBanner* banner() const { return m_banner; }
    StageProgress* progress() const { return m_progress; }
    QString deviceText() const;

public slots:
    // A new run of `job` (a kf-runner job document) begins: everything shown so far is cleared.
    void beginRun(const nlohmann::json& job);
    void addEvent(const nlohmann::json& event);
    void clear();

signals:
    // The user activated a compile row whose first error is at file:line:col (to jump to it in an editor).
    void diagnosticActivated(const QString& file, int line, int col);

private:
    void updateRunning();

    runner::RunSummary m_summary;
    QString m_baselineName = QStringLiteral("reference");
    VerdictBanner* m_banner = nullptr;
    QLabel* m_device = nullptr;
    StageProgress* m_progress = nullptr;
    CompileSummaryModel* m_compileModel = nullptr;
    SizeChecksModel* m_checksModel = nullptr;
    SizeTimingsModel* m_timingsModel = nullptr;
    QTableView* m_compileView = nullptr;
    QTableView* m_checksView = nullptr;
    QTableView* m_timingsView = nullptr;
};

} // namespace kf::widgets
