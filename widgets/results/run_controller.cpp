// SPDX-License-Identifier: MIT
#include "widgets/results/run_controller.h"

#include "core/runner/job_setup.h"

#include <QtConcurrent/QtConcurrentRun>
#include <algorithm>

namespace kf::widgets {

namespace {

// A run in flight while a newer one starts: the older is being killed, the newer must not wait for it.
constexpr int kWorkers = 4;

} // namespace

RunController::RunController(QObject* parent)
    : QObject(parent) {
    m_pool.setMaxThreadCount(kWorkers);
}

RunController::~RunController() {
    m_tracker.invalidate();
    for (const auto& flag : m_inFlight) {
        flag->store(true);
    }
    m_pool.waitForDone();
}

void RunController::setClientOptions(runner::RunnerClientOptions options) {
    m_options = std::move(options);
}

std::optional<nlohmann::json> RunController::prepareJob(runner::JobKind kind, const QString& specYaml,
                                                        const QString& specFile, const QString& kernelName,
                                                        const QString& kernelSource,
                                                        const runner::JobOptions& options,
                                                        const QString& ceilingsDir, QString* error) {
    std::string why;
    auto job = runner::jobFromSpecText(kind, specYaml.toStdString(), specFile.toStdString(),
                                       kernelName.toStdString(), kernelSource.toStdString(), options, &why);
    if (!job) {
        if (error != nullptr) {
            *error = QString::fromStdString(why);
        }
        return std::nullopt;
    }
    runner::useDefaultCompileCache(*job);
    if (!ceilingsDir.isEmpty()) {
        runner::attachStoredCeilings(*job, ceilingsDir.toStdString());
    }
    return nlohmann::json(runner::jobToJson(*job));
}

runner::RunnerClientOptions RunController::clientOptionsFor(const nlohmann::json& job, const QString& runner,
                                                            const QString& sshHost, bool noSandbox) {
    runner::Job shape; // only the compile cache matters here
    const nlohmann::json options = job.is_object() ? job.value("options", nlohmann::json::object()) : nullptr;
    if (options.is_object() && options.contains("cache_dir") && options["cache_dir"].is_string()) {
        shape.options.cache_dir = options["cache_dir"].get<std::string>();
    }
    return runner::clientOptionsFor(
        shape, {.runner = runner.toStdString(), .ssh_host = sshHost.toStdString(), .no_sandbox = noSandbox});
}

quint64 RunController::start(const nlohmann::json& job) {
    if (m_cancel) {
        m_cancel->store(true); // the older run is killed; its late events are stale from here on
    }
    m_inFlight.erase(std::remove_if(m_inFlight.begin(), m_inFlight.end(),
                                    [](const auto& flag) { return flag.use_count() == 1; }),
                     m_inFlight.end());
    const quint64 id = m_tracker.start();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_inFlight.push_back(m_cancel);
    m_summary = runner::RunSummary();
    m_job = job;
    m_stderr.clear();
    setStage({}, -1);
    const bool wasRunning = m_running;
    m_running = true;
    emit started(id, job);
    if (!wasRunning) {
        emit runningChanged(true);
    }

    const JobTracker* tracker = &m_tracker; // outlives every worker: the destructor waits for them
    (void)QtConcurrent::run(&m_pool, [tracker, id, job, options = m_options, cancel = m_cancel, this] {
        runner::RunnerClient client(options);
        const nlohmann::json done = client.run(
            job,
            [&](const nlohmann::json& ev) {
                if (ev.value("event", std::string()) != "done") { // the done goes with stderr, below
                    tracker->post(id, [this, ev] { onEvent(ev); });
                }
            },
            cancel.get());
        tracker->post(
            id, [this, done, err = QString::fromStdString(client.lastStderr())] { onFinished(done, err); });
    });
    return id;
}

void RunController::cancel() {
    if (m_running && m_cancel) {
        m_cancel->store(true);
    }
}

void RunController::onEvent(const nlohmann::json& ev) {
    m_summary.add(ev);
    if (ev.value("event", std::string()) == "stage") {
        const auto idx = ev.find("size_index");
        setStage(QString::fromStdString(ev.value("stage", std::string())),
                 idx != ev.end() && idx->is_number_integer() ? idx->get<int>() : -1);
    }
    emit eventArrived(ev);
}

void RunController::onFinished(const nlohmann::json& done, const QString& stderrText) {
    m_stderr = stderrText;
    m_summary.add(done);
    m_running = false;
    setStage({}, -1);
    emit eventArrived(done);
    emit finished(done);
    emit runningChanged(false);
}

void RunController::setStage(const QString& stage, int sizeIndex) {
    if (stage == m_stage && sizeIndex == m_stageSize) {
        return;
    }
    m_stage = stage;
    m_stageSize = sizeIndex;
    emit stageChanged(stage, sizeIndex);
}

} // namespace kf::widgets
