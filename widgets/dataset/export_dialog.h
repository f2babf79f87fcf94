// SPDX-License-Identifier: MIT
#pragma once

#include "core/dataset/dataset_export.h"
#include "widgets/common/job_tracker.h"

#include <QDialog>
#include <QStringList>
#include <QThreadPool>
#include <atomic>
#include <memory>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QRadioButton;

namespace kf::widgets {

// Exports the dataset (core/dataset exportDataset) into a folder: the configs to write, and either the
// accepted attempts or those matching the browser's filter. The export runs on a worker thread with a
// progress bar fed by the export's own progress callback; Cancel stops it at the next attempt (the card and
// the manifest come last, so a cancelled export never looks complete). The result names the rows written per
// config and the files; a failure says what and where.
class ExportDialog : public QDialog {
    Q_OBJECT
public:
    enum class Scope { Accepted, BrowserFilter };

    explicit ExportDialog(const QString& storePath, QWidget* parent = nullptr);
    ~ExportDialog() override;

    // The browser's filter, offered as the second scope (its limit, offset and sort are ignored).
    void setBrowserFilter(const kf::dataset::AttemptFilter& filter);
    void setScope(Scope scope);
    Scope scope() const;
    void setOutDir(const QString& dir);
    QString outDir() const;
    void setConfigs(const QStringList& configs); // of sft, full, preference
    QStringList configs() const;

    // What startExport() would pass to exportDataset (out_dir, configs, filter, include_all, name, version).
    kf::dataset::ExportOptions options() const;

    bool isRunning() const { return m_running; }
    const kf::dataset::ExportResult& result() const { return m_result; }
    QString errorText() const { return m_error; } // "" unless the last export failed or was cancelled
    QProgressBar* progressBar() const { return m_progress; }
    // The export's thread (one): tests queue work ahead of an export to cancel it before it starts.
    QThreadPool* workerPool() { return &m_pool; }

public slots:
    void startExport();
    void cancelExport();
    void reject() override; // Escape or Close: cancels a running export first

signals:
    void exportFinished(bool ok); // ok false: failed or cancelled (errorText says which)

private:
    void showProgress(qint64 done, qint64 total);
    void finish(const kf::dataset::ExportResult& result);
    void fail(const QString& message);
    void showError(const QString& message);
    void setRunning(bool running);

    QString m_path;
    kf::dataset::AttemptFilter m_browserFilter;
    kf::dataset::ExportResult m_result;
    QString m_error;
    bool m_running = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;

    QLineEdit* m_outDir = nullptr;
    QCheckBox* m_sft = nullptr;
    QCheckBox* m_full = nullptr;
    QCheckBox* m_preference = nullptr;
    QRadioButton* m_accepted = nullptr;
    QRadioButton* m_filtered = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_version = nullptr;
    QProgressBar* m_progress = nullptr;
    QLabel* m_status = nullptr;
    QPlainTextEdit* m_report = nullptr;
    QPushButton* m_exportButton = nullptr;
    QPushButton* m_closeButton = nullptr;

    JobTracker m_tracker{this};
    QThreadPool m_pool; // declared last: destroyed first, after the export has stopped
};

// "spec softmax-rows-f32 · verdict pass · search "warp"", or "every attempt" for an empty filter.
QString describeFilter(const kf::dataset::AttemptFilter& filter);

} // namespace kf::widgets
