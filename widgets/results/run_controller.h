// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/job.h"
#include "core/runner/run_summary.h"
#include "core/runner/runner_client.h"
#include "widgets/common/job_tracker.h"

#include <QObject>
#include <QString>
#include <QThreadPool>
#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace kf::widgets {

// Runs kf-runner jobs for the workbench (Ctrl+B): RunnerClient on a worker thread, never the GUI thread;
// each event is delivered on the GUI thread as it arrives. One run is current: starting another cancels the
// one in flight, and whatever the older run still sends (its cancel error, its done) is dropped, so a newer
// run's results are never mixed with an older one's. cancel() stops the current run at any stage: the runner
// is killed and the run ends with a `cancelled` error and a `done` with verdict error, like any runner fault.
class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override; // cancels every run and waits for its worker

    // Where kf-runner runs and how (local or ssh, sandbox). Takes effect at the next start().
    void setClientOptions(runner::RunnerClientOptions options);
    const runner::RunnerClientOptions& clientOptions() const { return m_options; }

    // A kf-runner job (docs/runner-protocol.md) from a spec's YAML and a kernel's source, prepared as
    // `kforge run` prepares it: the default compile cache and the ceilings stored in `ceilingsDir` (a
    // CeilingsStore directory; "" sends none). nullopt with the spec's errors in `error` when it is invalid.
    static std::optional<nlohmann::json> prepareJob(runner::JobKind kind, const QString& specYaml,
                                                    const QString& specFile, const QString& kernelName,
                                                    const QString& kernelSource,
                                                    const runner::JobOptions& options,
                                                    const QString& ceilingsDir, QString* error);
    // The client options for a prepared job: its compile cache is bound writable into the sandbox.
    static runner::RunnerClientOptions clientOptionsFor(const nlohmann::json& job, const QString& runner = {},
                                                        const QString& sshHost = {}, bool noSandbox = false);

    // Starts `job`; cancels a run in flight. Returns the new run's id.
    quint64 start(const nlohmann::json& job);
    // Cancels the current run (no-op when none is running).
    void cancel();

    bool isRunning() const { return m_running; }
    quint64 currentRun() const { return m_tracker.current(); }
    // The stage in progress: "compile", "load", "check", "time", "calibrate"; "" before the first stage
    // and once the run is over.
    QString stage() const { return m_stage; }
    int stageSizeIndex() const { return m_stageSize; } // -1 when the stage is not per size
    // The current run's events so far, folded.
    const runner::RunSummary& summary() const { return m_summary; }
    const nlohmann::json& job() const { return m_job; }
    // kf-runner's stderr (its last 64 KiB) once the current run has finished.
    const QString& runnerStderr() const { return m_stderr; }

signals:
    void started(quint64 runId, const nlohmann::json& job);
    // Every event of the current run, in order, the final `done` included.
    void eventArrived(const nlohmann::json& event);
    void stageChanged(const QString& stage, int sizeIndex);
    void finished(const nlohmann::json& done);
    void runningChanged(bool running);

private:
    void onEvent(const nlohmann::json& event);
    void onFinished(const nlohmann::json& done, const QString& stderrText);
    void setStage(const QString& stage, int sizeIndex);

    runner::RunnerClientOptions m_options;
    runner::RunSummary m_summary;
    nlohmann::json m_job;
    QString m_stage;
    int m_stageSize = -1;
    bool m_running = false;
    QString m_stderr;
    std::shared_ptr<std::atomic<bool>> m_cancel; // the current run's
    std::vector<std::shared_ptr<std::atomic<bool>>> m_inFlight;
    JobTracker m_tracker{this}; // the workers post through it: it outlives the pool, which waits for them
    QThreadPool m_pool;
};

} // namespace kf::widgets
