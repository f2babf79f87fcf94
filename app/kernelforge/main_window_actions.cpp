// SPDX-License-Identifier: MIT
// The window's actions, menus, settings and status bar.
#include "core/roofline/ceilings_store.h"
#include "main_window.h"
#include "widgets/cuda_editor/cuda_editor.h"
#include "widgets/dataset/dataset_browser.h"
#include "widgets/dataset/review_panel.h"
#include "widgets/reasoning/reasoning_view.h"
#include "widgets/reasoning/teacher_session.h"
#include "widgets/results/run_controller.h"
#include "widgets/session/dataset_recorder.h"
#include "widgets/settings/key_store.h"
#include "widgets/settings/settings_dialog.h"
#include "widgets/settings/theme.h"
#include "widgets/spec_editor/spec_library.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFile>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QToolBar>

namespace kf::app {

namespace {

constexpr int kRecentSpecs = 10;

QAction* named(QAction* a, const char* name) {
    a->setObjectName(QString::fromLatin1(name));
    return a;
}

} // namespace

QAction* MainWindow::action(const QString& name) const {
    return findChild<QAction*>(name);
}

void MainWindow::buildActions() {
    auto* generate = named(new QAction(tr("&Generate"), this), "generate");
    generate->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    generate->setToolTip(tr("Ask the teacher for a kernel for this spec (Ctrl+Return)"));
    connect(generate, &QAction::triggered, this, &MainWindow::generate);

    auto* run = named(new QAction(tr("Compile && &Benchmark"), this), "run");
    run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_B));
    run->setToolTip(tr("Compile, check and time the kernel with kf-runner (Ctrl+B)"));
    connect(run, &QAction::triggered, this, &MainWindow::compileAndBenchmark);

    auto* cancel = named(new QAction(tr("&Cancel"), this), "cancel");
    cancel->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Period));
    cancel->setToolTip(tr("Stop the teacher's stream and the run in flight (Ctrl+.)"));
    connect(cancel, &QAction::triggered, this, &MainWindow::cancelWork);

    auto* feedback = named(new QAction(tr("&Send Results to Teacher"), this), "feedback");
    feedback->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Return));
    feedback->setToolTip(
        tr("Build the follow-up turn from the last run and stream the answer (Ctrl+Shift+Return)"));
    connect(feedback, &QAction::triggered, this, &MainWindow::sendResultsToTeacher);

    auto* settings = named(new QAction(tr("&Settings..."), this), "settings");
    settings->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    connect(settings, &QAction::triggered, this, &MainWindow::openSettings);

    auto* theme = named(new QAction(tr("&Dark Theme"), this), "theme");
    theme->setCheckable(true);
    theme->setChecked(app_.theme == QLatin1String("dark"));
    connect(theme, &QAction::toggled, this, [this](bool dark) {
        app_.theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
        app_.save(*settings_);
        widgets::applyTheme(app_.theme);
    });

    auto* quit = named(new QAction(tr("&Quit"), this), "quit");
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    auto* toolbar = addToolBar(tr("Workbench"));
    toolbar->setObjectName(QStringLiteral("workbenchToolbar"));
    toolbar->addAction(spec_library_->newAction());
    toolbar->addAction(spec_library_->openAction());
    toolbar->addAction(spec_library_->saveAction());
    toolbar->addSeparator();
    toolbar->addAction(generate);
    toolbar->addAction(run);
    toolbar->addAction(cancel);
    toolbar->addAction(feedback);
    toolbar->addSeparator();
    auto* review = browser_->reviewPanel();
    toolbar->addAction(review->acceptAction());
    toolbar->addAction(review->rejectAction());
    toolbar->addAction(review->needsWorkAction());
    toolbar->addSeparator();
    toolbar->addAction(settings);
}

void MainWindow::buildMenus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(spec_library_->newAction());
    file->addAction(spec_library_->openAction());
    recent_menu_ = file->addMenu(tr("Open &Recent"));
    file->addAction(spec_library_->saveAction());
    file->addAction(spec_library_->saveAsAction());
    file->addSeparator();
    file->addAction(browser_->exportAction());
    file->addSeparator();
    file->addAction(action("quit"));

    auto* teacher = menuBar()->addMenu(tr("&Teacher"));
    teacher->addAction(action("generate"));
    teacher->addAction(action("feedback"));
    teacher->addAction(action("cancel"));

    auto* kernel = menuBar()->addMenu(tr("&Kernel"));
    kernel->addAction(action("run"));
    kernel->addAction(action("cancel"));

    auto* review = menuBar()->addMenu(tr("&Review"));
    review->addAction(browser_->reviewPanel()->acceptAction());
    review->addAction(browser_->reviewPanel()->rejectAction());
    review->addAction(browser_->reviewPanel()->needsWorkAction());

    view_menu_ = menuBar()->addMenu(tr("&View"));
    for (auto* dock : findChildren<QDockWidget*>()) {
        view_menu_->addAction(dock->toggleViewAction());
    }
    view_menu_->addSeparator();
    view_menu_->addAction(action("theme"));

    auto* tools = menuBar()->addMenu(tr("T&ools"));
    tools->addAction(action("settings"));
}

void MainWindow::addRecentSpec(const QString& path) {
    QStringList recent = settings_->value("recent/specs").toStringList();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kRecentSpecs) {
        recent.removeLast();
    }
    settings_->setValue("recent/specs", recent);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu() {
    recent_menu_->clear();
    const QStringList recent = settings_->value("recent/specs").toStringList();
    for (const QString& path : recent) {
        auto* a = recent_menu_->addAction(QFileInfo(path).fileName());
        a->setToolTip(path);
        connect(a, &QAction::triggered, this, [this, path] {
            QString error;
            if (spec_library_->maybeSave() && !spec_library_->openFile(path, &error)) {
                statusBar()->showMessage(error, 10000);
            }
        });
    }
    recent_menu_->setEnabled(!recent.isEmpty());
}

void MainWindow::applySettings() {
    session_->setSettings(app_.teacherSettings(api_key_));
    recorder_->setStorePath(app_.datasetPath());
    browser_->setStorePath(app_.datasetPath());
    keys_->read(app_.provider);
    updateStatus();
}

void MainWindow::openSettings() {
    widgets::SettingsDialog dialog(app_, keys_, this);
    if (dialog.exec() != QDialog::Accepted) {
        return;
    }
    app_ = dialog.settings();
    app_.save(*settings_);
    widgets::applyTheme(app_.theme);
    action("theme")->setChecked(app_.theme == QLatin1String("dark"));
    if (dialog.keyEdited()) {
        api_key_ = dialog.editedKey();
        session_->setSettings(app_.teacherSettings(api_key_));
        if (api_key_.isEmpty()) {
            keys_->remove(app_.provider);
        } else {
            keys_->write(app_.provider, api_key_);
        }
    }
    applySettings();
}

bool MainWindow::gpuAvailable() const {
    // Over ssh the remote host is the GPU machine; locally the NVIDIA device nodes say whether there is one.
    return (app_.runner_over_ssh && !app_.ssh_host.trimmed().isEmpty()) || QFile::exists("/dev/nvidiactl");
}

QString MainWindow::setupLine() const {
    QStringList todo;
    if (!widgets::KeyStore::environmentVariable(app_.provider).isEmpty() && api_key_.isEmpty()) {
        todo << tr("no API key for %1 (Settings, or %2)")
                    .arg(app_.provider, widgets::KeyStore::environmentVariable(app_.provider));
    }
    if (!gpuAvailable()) {
        todo << tr(
            "no GPU here: Ctrl+B compiles and reports resources; set a GPU host under Settings > Runner "
            "to check and time");
    }
    return todo.join(QStringLiteral("; "));
}

void MainWindow::updateStatus() {
    const QString setup = setupLine();
    setup_label_->setText(setup);
    setup_label_->setVisible(!setup.isEmpty());
    const auto profiles = roofline::CeilingsStore(ceilingsDir().toStdString()).all();
    if (profiles.empty()) {
        gpu_label_->setText(tr("No calibrated GPU (kforge calibrate)"));
        return;
    }
    const auto& p = profiles.front();
    const auto number = [&p](const char* key) {
        return p.contains(key) && p[key].is_number() ? QString::number(p[key].get<double>(), 'f', 0)
                                                     : QStringLiteral("?");
    };
    const QString name =
        p.contains("device") && p["device"].contains("name") && p["device"]["name"].is_string()
            ? QString::fromStdString(p["device"]["name"].get<std::string>())
            : tr("GPU");
    gpu_label_->setText(tr("%1 · DRAM %2 GB/s · L2 %3 GB/s · BF16 %4 TFLOP/s")
                            .arg(name, number("dram_gbps"), number("l2_gbps"), number("bf16_tflops")));
}

void MainWindow::updateActions() {
    const bool streaming = session_->isBusy();
    const bool running = runs_->isRunning();
    const auto spec = spec_editor_->lastResult();
    const bool spec_ok = spec && spec->ok;
    action("generate")->setEnabled(!streaming && spec_ok);
    action("run")->setEnabled(spec_ok && !cuda_editor_->text().trimmed().isEmpty());
    action("cancel")->setEnabled(streaming || running);
    action("feedback")
        ->setEnabled(!streaming && !running && runs_->summary().done().is_object() &&
                     !session_->conversation().empty());
    stage_label_->setText(
        running     ? tr("Running: %1").arg(runs_->stage().isEmpty() ? tr("starting") : runs_->stage())
        : streaming ? tr("Teacher streaming")
                    : QString());
}

} // namespace kf::app
