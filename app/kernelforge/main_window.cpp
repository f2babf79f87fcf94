// SPDX-License-Identifier: MIT
#include "main_window.h"

#include "core/roofline/ceilings_store.h"
#include "widgets/cuda_editor/cuda_editor.h"
#include "widgets/cuda_editor/diagnostics_list.h"
#include "widgets/cuda_editor/kernel_diff_view.h"
#include "widgets/cuda_editor/kernel_resources_table.h"
#include "widgets/dataset/dataset_browser.h"
#include "widgets/editor/find_bar.h"
#include "widgets/reasoning/reasoning_view.h"
#include "widgets/reasoning/teacher_session.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_controller.h"
#include "widgets/roofline/roofline_chart.h"
#include "widgets/session/dataset_recorder.h"
#include "widgets/settings/key_store.h"
#include "widgets/settings/theme.h"
#include "widgets/spec_editor/spec_library.h"
#include "widgets/spec_editor/spec_preview.h"

#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace kf::app {

namespace {

// An editor with its find bar under it.
QWidget* withFindBar(widgets::CodeEditor* editor, QWidget* parent) {
    auto* box = new QWidget(parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    editor->setParent(box);
    layout->addWidget(editor, 1);
    layout->addWidget(new widgets::FindBar(editor, box));
    return box;
}

} // namespace

MainWindow::MainWindow(QSettings* settings, QWidget* parent)
    : QMainWindow(parent)
    , settings_(settings) {
    setWindowTitle(QStringLiteral("KernelForge"));
    app_ = widgets::AppSettings::load(*settings_);
    widgets::applyTheme(app_.theme);
    buildPanels();
    buildDocks();
    buildActions();
    buildMenus();
    connectFlow();
    applySettings();
    restoreLayout();
    updateActions();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildPanels() {
    spec_editor_ = new widgets::SpecEditor(this);
    spec_preview_ = new widgets::SpecPreview(this);
    spec_library_ = new widgets::SpecLibrary(spec_editor_, widgets::SpecLibrary::defaultExampleDirs(),
                                             widgets::SpecLibrary::defaultUserDir(), this);
    cuda_editor_ = new widgets::CudaEditor(this);
    diff_ = new widgets::KernelDiffView(this);
    session_ = new widgets::TeacherSession(this);
    reasoning_ = new widgets::ReasoningView(this);
    reasoning_->attach(session_);
    runs_ = new widgets::RunController(this);
    results_ = new widgets::ResultsView(this);
    results_->attach(runs_);
    roofline_ = new widgets::RooflineChart(this);
    roofline_->attach(runs_, ceilingsDir());
    diagnostics_ = new widgets::DiagnosticsList(this);
    resources_ = new widgets::KernelResourcesTable(this);
    browser_ = new widgets::DatasetBrowser(this);
    recorder_ = new widgets::DatasetRecorder(this);
    keys_ = new widgets::KeyStore(QStringLiteral("KernelForge"), this);

    // Center: the spec (editor over preview) beside the kernel (editor, diff).
    spec_split_ = new QSplitter(Qt::Vertical, this);
    spec_split_->setObjectName(QStringLiteral("specSplit"));
    spec_split_->addWidget(withFindBar(spec_editor_, spec_split_));
    spec_split_->addWidget(spec_preview_);
    spec_split_->setStretchFactor(0, 3);
    spec_split_->setStretchFactor(1, 2);
    kernel_tabs_ = new QTabWidget(this);
    kernel_tabs_->addTab(withFindBar(cuda_editor_, kernel_tabs_), tr("Kernel"));
    kernel_tabs_->addTab(diff_, tr("Diff"));
    center_ = new QSplitter(Qt::Horizontal, this);
    center_->setObjectName(QStringLiteral("centerSplit"));
    center_->addWidget(spec_split_);
    center_->addWidget(kernel_tabs_);
    center_->setStretchFactor(0, 2);
    center_->setStretchFactor(1, 3);
    setCentralWidget(center_);

    gpu_label_ = new QLabel(this);
    setup_label_ = new QLabel(this);
    stage_label_ = new QLabel(this);
    statusBar()->addPermanentWidget(stage_label_);
    statusBar()->addPermanentWidget(setup_label_);
    statusBar()->addPermanentWidget(gpu_label_);
}

void MainWindow::buildDocks() {
    const auto dock = [this](const QString& name, const QString& title, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        addDockWidget(area, d);
        return d;
    };
    dock(QStringLiteral("specs"), tr("Specs"), spec_library_, Qt::LeftDockWidgetArea);
    dock(QStringLiteral("reasoning"), tr("Reasoning"), reasoning_, Qt::RightDockWidgetArea);
    auto* diag_split = new QSplitter(Qt::Horizontal, this);
    diag_split->addWidget(diagnostics_);
    diag_split->addWidget(resources_);
    auto* results = dock(QStringLiteral("results"), tr("Results"), results_, Qt::BottomDockWidgetArea);
    auto* roof = dock(QStringLiteral("roofline"), tr("Roofline"), roofline_, Qt::BottomDockWidgetArea);
    auto* diag = dock(QStringLiteral("diagnostics"), tr("Diagnostics"), diag_split, Qt::BottomDockWidgetArea);
    auto* dataset_dock = dock(QStringLiteral("dataset"), tr("Dataset"), browser_, Qt::BottomDockWidgetArea);
    tabifyDockWidget(results, roof);
    tabifyDockWidget(roof, diag);
    tabifyDockWidget(diag, dataset_dock);
    results->raise();
    resizeDocks({results}, {320}, Qt::Vertical);
    resizeDocks({findChild<QDockWidget*>(QStringLiteral("reasoning"))}, {520}, Qt::Horizontal);
    resizeDocks({findChild<QDockWidget*>(QStringLiteral("specs"))}, {230}, Qt::Horizontal);
}

void MainWindow::showDock(const QString& name) {
    if (auto* d = findChild<QDockWidget*>(name)) {
        d->show();
        d->raise();
    }
}

QString MainWindow::ceilingsDir() const {
    return QString::fromStdString(roofline::CeilingsStore::defaultDir());
}

void MainWindow::restoreLayout() {
    resize(1600, 1000);
    restoreGeometry(settings_->value("window/geometry").toByteArray());
    restoreState(settings_->value("window/state").toByteArray());
    center_->restoreState(settings_->value("window/center").toByteArray());
    spec_split_->restoreState(settings_->value("window/spec").toByteArray());
    rebuildRecentMenu();
}

void MainWindow::saveLayout() {
    settings_->setValue("window/geometry", saveGeometry());
    settings_->setValue("window/state", saveState());
    settings_->setValue("window/center", center_->saveState());
    settings_->setValue("window/spec", spec_split_->saveState());
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (!spec_library_->maybeSave()) {
        event->ignore();
        return;
    }
    session_->cancel();
    runs_->cancel();
    recorder_->waitForIdle();
    saveLayout();
    settings_->sync();
    event->accept();
}

} // namespace kf::app
