// SPDX-License-Identifier: MIT
// The workbench flow: spec -> teacher -> kernel -> run -> dataset -> review.
#include "core/dataset/store.h"
#include "core/runner/job.h"
#include "core/runner/job_setup.h"
#include "core/spec/prompt.h"
#include "core/spec/target_gpu.h"
#include "core/teacher/code_extraction.h"
#include "main_window.h"
#include "widgets/cuda_editor/cuda_editor.h"
#include "widgets/cuda_editor/diagnostics_list.h"
#include "widgets/cuda_editor/kernel_diff_view.h"
#include "widgets/cuda_editor/kernel_resources_table.h"
#include "widgets/dataset/dataset_browser.h"
#include "widgets/dataset/review_panel.h"
#include "widgets/reasoning/reasoning_view.h"
#include "widgets/reasoning/teacher_session.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_controller.h"
#include "widgets/roofline/roofline_chart.h"
#include "widgets/session/dataset_recorder.h"
#include "widgets/settings/key_store.h"
#include "widgets/spec_editor/spec_library.h"
#include "widgets/spec_editor/spec_preview.h"

#include <QAction>
#include <QDir>
#include <QFileInfo>
#include <QFutureWatcher>
#include <QStatusBar>
#include <QTabWidget>
#include <QtConcurrent>

namespace kf::app {

void MainWindow::connectFlow() {
    connect(spec_editor_, &widgets::SpecEditor::validated, spec_preview_, &widgets::SpecPreview::showResult);
    connect(spec_editor_, &widgets::SpecEditor::validated, this, &MainWindow::onSpecValidated);
    connect(spec_library_, &widgets::SpecLibrary::fileUsed, this, [this](const QString& path) {
        spec_file_ = path;
        addRecentSpec(path);
    });
    connect(spec_library_, &widgets::SpecLibrary::titleChanged, this,
            [this](const QString& title) { setWindowTitle(title + QStringLiteral(" — KernelForge")); });

    connect(keys_, &widgets::KeyStore::keyRead, this,
            [this](const QString& provider, const QString& key, widgets::KeyStore::Source, const QString&) {
                // A key set meanwhile (the settings dialog, a test) wins over a lookup that finds none.
                if (provider == app_.provider && (!key.isEmpty() || api_key_.isEmpty())) {
                    setApiKey(key);
                }
            });

    connect(session_, &widgets::TeacherSession::turnFinished, this, &MainWindow::onTurnFinished);
    connect(session_, &widgets::TeacherSession::busyChanged, this, [this] { updateActions(); });
    connect(session_, &widgets::TeacherSession::failed, this, [this](int turn, const QString& message) {
        if (turn < 0) {
            statusBar()->showMessage(message, 15000);
        }
    });

    connect(runs_, &widgets::RunController::eventArrived, this, &MainWindow::onRunEvent);
    connect(runs_, &widgets::RunController::finished, this, &MainWindow::onRunFinished);
    connect(runs_, &widgets::RunController::runningChanged, this, [this] { updateActions(); });
    connect(runs_, &widgets::RunController::stageChanged, this, [this] { updateActions(); });

    connect(diagnostics_, &widgets::DiagnosticsList::jumpRequested, this,
            [this](const QString& file, int line, int col) {
                kernel_tabs_->setCurrentIndex(0);
                cuda_editor_->jumpTo(file, line, col);
                cuda_editor_->setFocus();
            });
    connect(diagnostics_, &widgets::DiagnosticsList::diagnosticsChanged, cuda_editor_,
            &widgets::CudaEditor::setCompilerDiagnostics);
    connect(results_, &widgets::ResultsView::diagnosticActivated, diagnostics_,
            &widgets::DiagnosticsList::jumpRequested);
    connect(cuda_editor_, &QsciScintilla::textChanged, this, [this] { updateActions(); });

    connect(recorder_, &widgets::DatasetRecorder::attemptRecorded, this, [this](qint64 attempt, qint64) {
        attempt_ = attempt;
        browser_->reviewPanel()->setAttempt(attempt);
        browser_->reload();
        statusBar()->showMessage(tr("Attempt %1 recorded in the dataset").arg(attempt), 8000);
    });
    connect(recorder_, &widgets::DatasetRecorder::runRecorded, this, [this](qint64 run, qint64 kernel) {
        browser_->reload();
        statusBar()->showMessage(tr("Run %1 of kernel %2 recorded in the dataset").arg(run).arg(kernel),
                                 8000);
    });
    connect(recorder_, &widgets::DatasetRecorder::recordFailed, this, [this](const QString& what) {
        statusBar()->showMessage(tr("Not recorded in the dataset: %1").arg(what), 20000);
    });
    connect(browser_, &widgets::DatasetBrowser::openAttempt, this, &MainWindow::openAttempt);
}

void MainWindow::setApiKey(const QString& key) {
    api_key_ = key;
    session_->setSettings(app_.teacherSettings(api_key_));
    updateStatus();
}

void MainWindow::onSpecValidated(const widgets::SpecResult& result) {
    if (result && result->ok) {
        roofline_->setSpec(result->spec);
    }
    updateActions();
}

void MainWindow::generate() {
    const auto spec = spec_editor_->lastResult();
    if (!spec || !spec->ok) {
        statusBar()->showMessage(tr("Fix the spec's errors first: the teacher needs a valid spec"), 10000);
        return;
    }
    const auto target = spec::findTargetGpu(spec_preview_->targetGpu().toStdString());
    if (!target) {
        statusBar()->showMessage(tr("Unknown target GPU '%1'").arg(spec_preview_->targetGpu()), 10000);
        return;
    }
    std::string prompt;
    try {
        prompt = spec::renderPrompt(spec->spec, *target);
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("The prompt could not be rendered: %1").arg(e.what()), 15000);
        return;
    }
    session_->newConversation();
    session_->setSettings(app_.teacherSettings(api_key_));
    session_->setTranscriptContext(
        {spec->spec.id, spec_file_.toStdString(), spec::kPromptTemplateId, spec::kPromptTemplateVersion});
    attempt_.reset();
    trail_.clear();
    previous_kernel_ = cuda_editor_->text();
    showDock(QStringLiteral("reasoning"));
    session_->ask(QString::fromStdString(prompt));
    updateActions();
}

void MainWindow::onTurnFinished(const widgets::TurnResult& result) {
    updateActions();
    if (result.kernel_ok) {
        showKernel(result.kernel_source, tr("turn %1").arg(result.turn + 1));
    }
    const auto spec = spec_editor_->lastResult();
    if (!spec || !spec->ok) {
        return;
    }
    teacher::ExtractedKernel kernel;
    kernel.ok = result.kernel_ok;
    kernel.source = result.kernel_source.toStdString();
    kernel.message = result.kernel_message.toStdString();
    recorder_->recordAttempt(spec->spec, session_->settings(), session_->conversation(), session_->lastCall(),
                             kernel);
}

void MainWindow::showKernel(const QString& source, const QString& label) {
    const QString before = cuda_editor_->text();
    cuda_editor_->setText(source);
    if (!before.trimmed().isEmpty() && before != source) {
        diff_->setVersions(before, source, tr("before"), label);
    }
    previous_kernel_ = before;
    kernel_tabs_->setCurrentIndex(0);
}

void MainWindow::compileAndBenchmark() {
    const auto spec = spec_editor_->lastResult();
    if (!spec || !spec->ok) {
        statusBar()->showMessage(tr("Fix the spec's errors first"), 10000);
        return;
    }
    const QString source = cuda_editor_->text();
    if (source.trimmed().isEmpty()) {
        statusBar()->showMessage(tr("No kernel yet: generate one (Ctrl+Return) or write it"), 10000);
        return;
    }
    const bool gpu = gpuAvailable();
    runner::JobOptions options;
    if (!gpu) {
        // Compile-only: no device to take the architecture from, so the preview's target GPU gives it.
        const auto target = spec::findTargetGpu(spec_preview_->targetGpu().toStdString());
        options.arch = target ? target->arch : std::string("sm_90a");
    }
    QString error;
    const auto job = widgets::RunController::prepareJob(
        gpu ? runner::JobKind::Run : runner::JobKind::Compile, spec_editor_->text(),
        spec_file_.isEmpty() ? QStringLiteral("spec.kspec.yaml") : spec_file_, cuda_editor_->sourceName(),
        source, options, ceilingsDir(), &error);
    if (!job) {
        statusBar()->showMessage(tr("No job: %1").arg(error), 15000);
        return;
    }
    // The job's compile cache is bound writable into the sandbox.
    runs_->setClientOptions(runner::clientOptionsFor(runner::jobFromJson(*job), app_.runnerPlacement()));
    diagnostics_->clear();
    resources_->clear();
    run_job_ = *job;
    showDock(QStringLiteral("results"));
    runs_->start(*job);
    roofline_->setVersionTrail(trail_); // after start(): a new run clears the chart's points
    if (!gpu) {
        statusBar()->showMessage(tr("No GPU here: compiling only (resources and diagnostics)"), 8000);
    }
    updateActions();
}

void MainWindow::onRunEvent(const nlohmann::json& event) {
    if (event.value("event", std::string()) != "compiled" ||
        event.value("role", std::string()) != "candidate") {
        return;
    }
    diagnostics_->setCompiledEvent(event);
    resources_->setCompiledEvent(event);
    if (!event.value("ok", false)) {
        showDock(QStringLiteral("diagnostics"));
    }
}

void MainWindow::onRunFinished(const nlohmann::json& done) {
    updateActions();
    statusBar()->showMessage(tr("Run finished: %1").arg(QString::fromStdString(done.value("verdict", "?"))),
                             10000);
    try {
        const runner::Job job = runner::jobFromJson(run_job_);
        recorder_->recordRun(job, runs_->summary(), attempt_);
        // This version's headline point joins the trail the next run of the attempt draws.
        for (auto p : roofline::pointsFromEvents(runs_->summary().events(), job.spec ? &*job.spec : nullptr,
                                                 job.candidate_name)) {
            if (p.role == roofline::PointRole::Candidate && p.size_index == 0) {
                p.role = roofline::PointRole::Version;
                p.kernel = "v" + std::to_string(trail_.size() + 1);
                trail_.push_back(p);
            }
        }
    } catch (const std::exception& e) {
        statusBar()->showMessage(tr("The run was not recorded: %1").arg(e.what()), 15000);
    }
}

void MainWindow::sendResultsToTeacher() {
    if (!runs_->summary().done().is_object()) {
        statusBar()->showMessage(tr("No finished run to send: Ctrl+B first"), 10000);
        return;
    }
    session_->setSettings(app_.teacherSettings(api_key_));
    previous_kernel_ = cuda_editor_->text();
    showDock(QStringLiteral("reasoning"));
    session_->sendFeedback(runs_->summary(), cuda_editor_->text());
    updateActions();
}

void MainWindow::cancelWork() {
    session_->cancel();
    runs_->cancel();
}

void MainWindow::openAttempt(qint64 id) {
    // Read off the GUI thread; the store may be large.
    const std::string path = app_.datasetPath().toStdString();
    auto* watcher = new QFutureWatcher<std::optional<dataset::AttemptDetail>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, id] {
        watcher->deleteLater();
        std::optional<dataset::AttemptDetail> detail;
        try {
            detail = watcher->result();
        } catch (const std::exception& e) {
            statusBar()->showMessage(tr("Attempt %1 could not be read: %2").arg(id).arg(e.what()), 15000);
            return;
        }
        if (!detail) {
            statusBar()->showMessage(tr("Attempt %1 is not in the dataset").arg(id), 10000);
            return;
        }
        attempt_ = id;
        browser_->reviewPanel()->setAttempt(id);
        try {
            const auto conversation =
                teacher::Conversation::fromJson(nlohmann::json::parse(detail->attempt.conversation_json));
            reasoning_->showConversation(conversation, {});
        } catch (const std::exception& e) {
            statusBar()->showMessage(
                tr("Attempt %1's conversation could not be shown: %2").arg(id).arg(e.what()), 15000);
        }
        if (!detail->kernels.empty()) {
            showKernel(QString::fromStdString(detail->kernels.back().source), tr("attempt %1").arg(id));
        }
        // The spec: the library file with the same id, when there is one.
        const QString spec_id = QString::fromStdString(detail->spec.spec_id);
        QStringList dirs = widgets::SpecLibrary::defaultExampleDirs();
        dirs << widgets::SpecLibrary::defaultUserDir();
        for (const QString& dir : dirs) {
            const QString candidate = QDir(dir).filePath(spec_id + QStringLiteral(".kspec.yaml"));
            QString error;
            if (QFileInfo::exists(candidate) && spec_library_->maybeSave() &&
                spec_library_->openFile(candidate, &error)) {
                break;
            }
        }
        statusBar()->showMessage(tr("Attempt %1 of %2 opened").arg(id).arg(spec_id), 8000);
    });
    watcher->setFuture(QtConcurrent::run([path, id]() -> std::optional<dataset::AttemptDetail> {
        return dataset::Store::open(path).attempt(id);
    }));
}

} // namespace kf::app
