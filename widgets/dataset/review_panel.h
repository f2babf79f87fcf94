// SPDX-License-Identifier: MIT
#pragma once

#include "core/dataset/records.h"
#include "widgets/common/job_tracker.h"

#include <QList>
#include <QString>
#include <QThreadPool>
#include <QWidget>

class QAction;
class QButtonGroup;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTreeWidget;

namespace kf::widgets {

struct ReviewInfo;

// Reviews one attempt: Accept, Reject, Needs work, a rating 1-5, notes and the reviewer, over the attempt's
// review history and a warning when its kernel nearly duplicates another kernel of the same spec. Reading
// the attempt and writing reviews run on worker threads; writes run one after another in the order given, so
// that the latest review stays the one made last.
class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPanel(QWidget* parent = nullptr);
    ~ReviewPanel() override;

    void setStorePath(const QString& path);
    QString storePath() const { return m_path; }

    // The attempt reviewed; 0 clears the panel. Notes and rating start empty for each attempt.
    void setAttempt(qint64 id);
    qint64 attemptId() const { return m_attemptId; }

    int rating() const { return m_rating; } // 0 when not rated
    void setRating(int rating);             // 0-5; a value out of range is ignored
    QString notes() const;
    void setNotes(const QString& notes);
    QString reviewer() const;
    void setReviewer(const QString& reviewer); // default: the user's login name

    // For the main window's menu and toolbar: Accept (Ctrl+Shift+A), Reject (Ctrl+Shift+R), Needs work
    // (Ctrl+Shift+N). Each reviews the panel's attempt.
    QAction* acceptAction() const { return m_accept; }
    QAction* rejectAction() const { return m_reject; }
    QAction* needsWorkAction() const { return m_needsWork; }

    // Blocks until no read or write runs; for tests and shutdown.
    bool waitForIdle(int msecs = 30000);

public slots:
    // Reviews the panel's attempt with the rating, notes and reviewer shown.
    void submit(kf::dataset::ReviewStatus status);
    // Reviews each of `ids` (a browser's selection) the same way.
    void submitFor(const QList<qint64>& ids, kf::dataset::ReviewStatus status);

signals:
    // A review was stored (status: accepted, rejected or needs-work).
    void reviewed(qint64 attemptId, const QString& status, int rating);
    void reviewFailed(qint64 attemptId, const QString& message);
    // The attempt's header and history are on screen.
    void attemptLoaded(qint64 attemptId);
    // The near-duplicate check of the attempt's latest kernel is done (`line` is shown; "" when none). It
    // reads every kernel of the spec, so it comes after attemptLoaded.
    void nearDuplicatesChecked(qint64 attemptId, const QString& line);

private:
    void buildActions();
    void buildLayout();
    void loadAttempt();
    void showInfo(const ReviewInfo& info);
    void showDuplicates(qint64 id, const QString& line);
    void showError(const QString& message);
    void setMessage(const QString& text, bool error);
    void finishWrite(qint64 id, const QString& status, int rating, const QString& error);
    void updateEnabled();

    QString m_path;
    qint64 m_attemptId = 0;
    int m_rating = 0;
    int m_writesPending = 0;

    QAction* m_accept = nullptr;
    QAction* m_reject = nullptr;
    QAction* m_needsWork = nullptr;
    QLabel* m_title = nullptr;
    QLabel* m_subtitle = nullptr;
    QLabel* m_current = nullptr;
    QLabel* m_duplicates = nullptr;
    QLabel* m_message = nullptr;
    QButtonGroup* m_ratingButtons = nullptr;
    QPlainTextEdit* m_notes = nullptr;
    QLineEdit* m_reviewer = nullptr;
    QTreeWidget* m_history = nullptr;

    JobTracker m_tracker{this};  // the attempt shown: a newer selection drops an older read
    QThreadPool m_duplicatePool; // before m_readPool: a read still running on destruction may queue here
    QThreadPool m_readPool;
    QThreadPool m_writePool; // one thread: reviews are stored in the order they were made
};

} // namespace kf::widgets
