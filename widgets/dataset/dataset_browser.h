// SPDX-License-Identifier: MIT
#pragma once

#include "core/dataset/records.h"
#include "widgets/common/job_tracker.h"

#include <QList>
#include <QThreadPool>
#include <QWidget>

class QAction;
class QLabel;
class QTableView;

namespace kf::widgets {

class AttemptListModel;
class DatasetFilterBar;
class ReviewPanel;

// The dataset's attempts: filters and search over a sortable table that pages in as it scrolls, with the
// count of matches, and a review panel for the current attempt. From the keyboard: Enter opens the attempt
// (openAttempt), A accepts, R rejects, N marks needs work (each on the selected attempts, then the next row
// becomes current), 1-5 set the rating the next review carries, 0 clears it.
class DatasetBrowser : public QWidget {
    Q_OBJECT
public:
    explicit DatasetBrowser(QWidget* parent = nullptr);
    ~DatasetBrowser() override;

    // The dataset file (Settings' dataset path); the browser, its review panel and the export dialog open it.
    void setStorePath(const QString& path);
    QString storePath() const { return m_path; }

    AttemptListModel* model() const { return m_model; }
    ReviewPanel* reviewPanel() const { return m_panel; }
    DatasetFilterBar* filterBar() const { return m_filters; }
    QTableView* view() const { return m_view; }
    // Opens the export dialog on the browser's dataset and filter (for the main window's menu).
    QAction* exportAction() const { return m_export; }

    qint64 currentAttemptId() const; // 0 when none
    QList<qint64> selectedAttemptIds() const;
    QString countText() const; // "1,234 attempts", the line under the table

public slots:
    // Lists again with the same filter and sort (after attempts were added elsewhere).
    void reload();
    void showExportDialog();

signals:
    // The user asked to open this attempt in the workbench (Enter or a double click).
    void openAttempt(qint64 id);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void loadSpecIds();
    void updateCountLine();
    void reviewSelection(kf::dataset::ReviewStatus status);
    void showCurrentInPanel();

    QString m_path;
    AttemptListModel* m_model = nullptr;
    DatasetFilterBar* m_filters = nullptr;
    QTableView* m_view = nullptr;
    ReviewPanel* m_panel = nullptr;
    QLabel* m_count = nullptr;
    QAction* m_export = nullptr;
    bool m_columnsSized = false;

    JobTracker m_tracker{this}; // spec ids for the filter bar
    QThreadPool m_pool;
};

} // namespace kf::widgets
