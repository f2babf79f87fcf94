// SPDX-License-Identifier: MIT
#pragma once

#include "core/roofline/perf_point.h"
#include "widgets/settings/app_settings.h"
#include "widgets/spec_editor/spec_editor.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QSettings;
class QSplitter;
class QTabWidget;

namespace kf::widgets {
class CudaEditor;
class DatasetBrowser;
class DatasetRecorder;
class DiagnosticsList;
class KernelDiffView;
class KernelResourcesTable;
class KeyStore;
class ReasoningView;
class ResultsView;
class RooflineChart;
class RunController;
class SpecLibrary;
class SpecPreview;
class TeacherSession;
struct TurnResult;
} // namespace kf::widgets

namespace kf::app {

// The workbench window: wiring only. Each panel is a widget from widgets/; this class places them in docks
// and splitters, connects their signals into the flow spec -> teacher -> kernel -> run -> review, and keeps
// the layout, the settings and the recent specs between sessions (in `settings`).
class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QSettings* settings, QWidget* parent = nullptr);
    ~MainWindow() override;

    // For tests and the screenshot tour.
    widgets::SpecEditor* specEditor() const { return spec_editor_; }
    widgets::SpecLibrary* specLibrary() const { return spec_library_; }
    widgets::CudaEditor* cudaEditor() const { return cuda_editor_; }
    widgets::TeacherSession* session() const { return session_; }
    widgets::ReasoningView* reasoningView() const { return reasoning_; }
    widgets::RunController* runController() const { return runs_; }
    widgets::ResultsView* resultsView() const { return results_; }
    widgets::RooflineChart* roofline() const { return roofline_; }
    widgets::DiagnosticsList* diagnostics() const { return diagnostics_; }
    widgets::DatasetBrowser* datasetBrowser() const { return browser_; }
    widgets::DatasetRecorder* recorder() const { return recorder_; }
    std::optional<qint64> currentAttempt() const { return attempt_; }
    QAction* action(const QString& name) const; // by objectName: "generate", "run", "accept", ...
    QString setupLine() const;                  // what still needs configuring ("" when nothing)
    void setApiKey(const QString& key);
    void showDock(const QString& name); // "reasoning", "results", "roofline", "diagnostics", "dataset"

public slots:
    void generate();
    void compileAndBenchmark();
    void cancelWork();
    void sendResultsToTeacher();
    void openSettings();
    void openAttempt(qint64 id);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void buildPanels();
    void buildDocks();
    void buildActions();
    void buildMenus();
    void connectFlow();
    void applySettings();
    void restoreLayout();
    void saveLayout();
    void updateStatus();
    void updateActions();
    void addRecentSpec(const QString& path);
    void rebuildRecentMenu();
    void onSpecValidated(const widgets::SpecResult& result);
    void onTurnFinished(const widgets::TurnResult& result);
    void onRunEvent(const nlohmann::json& event);
    void onRunFinished(const nlohmann::json& done);
    void showKernel(const QString& source, const QString& label);
    bool gpuAvailable() const;
    QString ceilingsDir() const;

    QSettings* settings_;
    widgets::AppSettings app_;
    QString api_key_;

    widgets::SpecEditor* spec_editor_ = nullptr;
    widgets::SpecPreview* spec_preview_ = nullptr;
    widgets::SpecLibrary* spec_library_ = nullptr;
    widgets::CudaEditor* cuda_editor_ = nullptr;
    widgets::KernelDiffView* diff_ = nullptr;
    QTabWidget* kernel_tabs_ = nullptr;
    widgets::TeacherSession* session_ = nullptr;
    widgets::ReasoningView* reasoning_ = nullptr;
    widgets::RunController* runs_ = nullptr;
    widgets::ResultsView* results_ = nullptr;
    widgets::RooflineChart* roofline_ = nullptr;
    widgets::DiagnosticsList* diagnostics_ = nullptr;
    widgets::KernelResourcesTable* resources_ = nullptr;
    widgets::DatasetBrowser* browser_ = nullptr;
    widgets::DatasetRecorder* recorder_ = nullptr;
    widgets::KeyStore* keys_ = nullptr;
    QSplitter* center_ = nullptr;
    QSplitter* spec_split_ = nullptr;
    QMenu* recent_menu_ = nullptr;
    QMenu* view_menu_ = nullptr;

    QLabel* gpu_label_ = nullptr;
    QLabel* setup_label_ = nullptr;
    QLabel* stage_label_ = nullptr;

    std::optional<qint64> attempt_;          // the attempt in the workbench (recorded in the dataset)
    QString previous_kernel_;                // the kernel before the last teacher turn, for the diff
    nlohmann::json run_job_;                 // the job of the run in flight or last finished
    std::vector<roofline::PerfPoint> trail_; // the attempt's earlier versions at the headline size
    QString spec_file_;
};

} // namespace kf::app
