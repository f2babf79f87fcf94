// SPDX-License-Identifier: MIT
#include "widgets/dataset/review_panel.h"

#include "core/dataset/store.h"
#include "widgets/dataset/review_format.h"
#include "widgets/dataset/review_store.h"

#include <QAction>
#include <QButtonGroup>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#ifdef Q_OS_UNIX
#include <pwd.h>
#include <unistd.h>
#endif

namespace kf::widgets {

using kf::dataset::ReviewRecord;
using kf::dataset::ReviewStatus;
using kf::dataset::Store;

namespace {

QString loginName() {
    for (const char* var : {"USER", "USERNAME", "LOGNAME"}) {
        const QString name = qEnvironmentVariable(var);
        if (!name.isEmpty()) {
            return name;
        }
    }
#ifdef Q_OS_UNIX
    if (const passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_name != nullptr) {
        return QString::fromLocal8Bit(pw->pw_name);
    }
#endif
    return QStringLiteral("reviewer");
}

} // namespace

ReviewPanel::ReviewPanel(QWidget* parent)
    : QWidget(parent) {
    m_readPool.setMaxThreadCount(1);
    m_duplicatePool.setMaxThreadCount(1);
    m_writePool.setMaxThreadCount(1);
    buildActions();
    buildLayout();
    setReviewer(loginName());
    updateEnabled();
}

ReviewPanel::~ReviewPanel() {
    m_tracker.invalidate();
    m_readPool.clear(); // reads not yet started are dropped; writes are the user's and finish
    m_duplicatePool.clear();
}

void ReviewPanel::buildActions() {
    const auto make = [this](const QString& text, const QKeySequence& key, ReviewStatus status) {
        auto* action = new QAction(text, this);
        action->setShortcut(key);
        action->setToolTip(QStringLiteral("%1 (%2)").arg(QString(text).remove(QLatin1Char('&')),
                                                         key.toString(QKeySequence::NativeText)));
        connect(action, &QAction::triggered, this, [this, status] { submit(status); });
        addAction(action);
        return action;
    };
    m_accept = make(tr("&Accept"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A), ReviewStatus::Accepted);
    m_needsWork =
        make(tr("&Needs work"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), ReviewStatus::NeedsWork);
    m_reject = make(tr("&Reject"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), ReviewStatus::Rejected);
}

void ReviewPanel::buildLayout() {
    m_title = new QLabel(this);
    QFont big = m_title->font();
    big.setBold(true);
    big.setPointSizeF(big.pointSizeF() * 1.15);
    m_title->setFont(big);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subtitle = new QLabel(this);
    m_subtitle->setWordWrap(true);
    m_current = new QLabel(this);
    m_duplicates = new QLabel(this);
    m_duplicates->setWordWrap(true);
    m_duplicates->setObjectName(QStringLiteral("nearDuplicates"));
    m_duplicates->setStyleSheet(QStringLiteral("color: #d08a1a;"));
    m_duplicates->hide();
    m_message = new QLabel(this);
    m_message->setWordWrap(true);
    m_message->setObjectName(QStringLiteral("reviewMessage"));
    m_message->hide();

    auto* buttons = new QHBoxLayout;
    for (QAction* action : {m_accept, m_needsWork, m_reject}) {
        auto* b = new QToolButton(this);
        b->setDefaultAction(action);
        b->setToolButtonStyle(Qt::ToolButtonTextOnly);
        b->setMinimumWidth(90);
        buttons->addWidget(b);
    }
    buttons->addStretch();

    auto* stars = new QHBoxLayout;
    m_ratingButtons = new QButtonGroup(this);
    m_ratingButtons->setExclusive(false); // clicking the chosen rating again clears it
    for (int i = 1; i <= 5; ++i) {
        auto* b = new QToolButton(this);
        b->setText(QString::number(i));
        b->setCheckable(true);
        b->setToolTip(tr("Rate %1 of 5 (key %1 in the browser); click again to clear").arg(i));
        m_ratingButtons->addButton(b, i);
        stars->addWidget(b);
    }
    stars->addStretch();
    connect(m_ratingButtons, &QButtonGroup::idClicked, this,
            [this](int id) { setRating(id == m_rating ? 0 : id); });

    m_notes = new QPlainTextEdit(this);
    m_notes->setPlaceholderText(tr("What a later reader should know"));
    m_notes->setTabChangesFocus(true);
    m_notes->setMaximumHeight(90);
    m_reviewer = new QLineEdit(this);

    auto* form = new QFormLayout;
    form->addRow(tr("Rating"), stars);
    form->addRow(tr("Notes"), m_notes);
    form->addRow(tr("Reviewer"), m_reviewer);

    m_history = new QTreeWidget(this);
    m_history->setRootIsDecorated(false);
    m_history->setHeaderLabels({tr("When"), tr("Review"), tr("Rating"), tr("Reviewer"), tr("Notes")});
    m_history->header()->setStretchLastSection(true);
    m_history->header()->setSectionResizeMode(
        4, QHeaderView::Stretch); // notes elide; the tooltip has them whole
    m_history->setSelectionMode(QAbstractItemView::NoSelection);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_title);
    layout->addWidget(m_subtitle);
    layout->addWidget(m_current);
    layout->addWidget(m_duplicates);
    layout->addLayout(buttons);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(new QLabel(tr("History"), this));
    layout->addWidget(m_history, 1);
    setAttempt(0);
}

void ReviewPanel::setStorePath(const QString& path) {
    m_path = path;
    loadAttempt();
}

void ReviewPanel::setAttempt(qint64 id) {
    m_attemptId = id;
    setRating(0);
    m_notes->clear();
    setMessage({}, false);
    loadAttempt();
}

void ReviewPanel::loadAttempt() {
    const auto job = m_tracker.start();
    m_history->clear();
    m_duplicates->hide();
    if (m_attemptId <= 0 || m_path.isEmpty()) {
        m_title->setText(tr("No attempt selected"));
        m_subtitle->setText(tr("Pick an attempt in the dataset browser to review it."));
        m_current->clear();
        updateEnabled();
        return;
    }
    m_title->setText(tr("Attempt %1").arg(m_attemptId));
    m_subtitle->setText(tr("Loading…"));
    m_current->clear();
    updateEnabled();
    const std::string path = m_path.toStdString();
    (void)QtConcurrent::run(&m_readPool, [this, job, path, id = m_attemptId] {
        if (!m_tracker.isCurrent(job)) {
            return;
        }
        try {
            const auto store = Store::open(path);
            const auto info = readReviewInfo(store, id);
            m_tracker.post(job, [this, info] { showInfo(info); });
            if (!m_tracker.isCurrent(job)) {
                return; // another attempt is up: skip the slow part
            }
            // On a thread of its own: the next attempt's header does not wait for this check.
            (void)QtConcurrent::run(&m_duplicatePool, [this, job, path, info] {
                if (!m_tracker.isCurrent(job)) {
                    return;
                }
                try {
                    const QString line = nearDuplicatesLine(Store::open(path), info);
                    m_tracker.post(job, [this, id = info.id, line] { showDuplicates(id, line); });
                } catch (const std::exception& e) {
                    m_tracker.post(
                        job, [this, message = QString::fromStdString(e.what())] { showError(message); });
                }
            });
        } catch (const std::exception& e) {
            m_tracker.post(job, [this, message = QString::fromStdString(e.what())] { showError(message); });
        }
    });
}

void ReviewPanel::showInfo(const ReviewInfo& info) {
    m_title->setText(info.title);
    m_subtitle->setText(info.subtitle);
    if (info.reviews.empty()) {
        m_current->setText(tr("Not reviewed yet"));
    } else {
        const auto& r = info.reviews.back();
        m_current->setText(tr("Current: %1%2 by %3")
                               .arg(QString::fromUtf8(kf::dataset::reviewStatusName(r.status)),
                                    r.rating > 0 ? tr(", rated %1").arg(r.rating) : QString(),
                                    QString::fromStdString(r.reviewer)));
    }
    m_history->clear();
    for (auto it = info.reviews.rbegin(); it != info.reviews.rend(); ++it) { // newest first
        const auto status = std::string(kf::dataset::reviewStatusName(it->status));
        auto* item = new QTreeWidgetItem(
            m_history,
            {review_format::timeText(it->created_at), QString::fromStdString(status),
             it->rating > 0 ? QString::number(it->rating) : QStringLiteral("–"),
             QString::fromStdString(it->reviewer), QString::fromStdString(it->notes).simplified()});
        item->setForeground(1, review_format::statusColor(status).value<QColor>());
        item->setToolTip(4, QString::fromStdString(it->notes));
    }
    for (int c = 0; c < 4; ++c) {
        m_history->resizeColumnToContents(c);
    }
    emit attemptLoaded(info.id);
}

void ReviewPanel::showDuplicates(qint64 id, const QString& line) {
    m_duplicates->setText(line);
    m_duplicates->setVisible(!line.isEmpty());
    emit nearDuplicatesChecked(id, line);
}

void ReviewPanel::showError(const QString& message) {
    m_subtitle->clear();
    setMessage(message, true);
}

void ReviewPanel::setMessage(const QString& text, bool error) {
    m_message->setStyleSheet(error ? QStringLiteral("color: #d64545;") : QString());
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void ReviewPanel::setRating(int rating) {
    if (rating < 0 || rating > 5) {
        return;
    }
    m_rating = rating;
    for (int i = 1; i <= 5; ++i) {
        m_ratingButtons->button(i)->setChecked(i == rating);
    }
}

QString ReviewPanel::notes() const {
    return m_notes->toPlainText();
}

void ReviewPanel::setNotes(const QString& notes) {
    m_notes->setPlainText(notes);
}

QString ReviewPanel::reviewer() const {
    return m_reviewer->text().trimmed();
}

void ReviewPanel::setReviewer(const QString& reviewer) {
    m_reviewer->setText(reviewer);
}

bool ReviewPanel::waitForIdle(int msecs) {
    return m_writePool.waitForDone(msecs) && m_readPool.waitForDone(msecs) &&
           m_duplicatePool.waitForDone(msecs);
}

void ReviewPanel::updateEnabled() {
    const bool on = m_attemptId > 0 && !m_path.isEmpty();
    for (QAction* a : {m_accept, m_reject, m_needsWork}) {
        a->setEnabled(on);
    }
}

void ReviewPanel::submit(ReviewStatus status) {
    if (m_attemptId > 0) {
        submitFor({m_attemptId}, status);
    }
}

void ReviewPanel::submitFor(const QList<qint64>& ids, ReviewStatus status) {
    if (ids.isEmpty()) {
        return;
    }
    if (m_path.isEmpty()) {
        showError(tr("No dataset is open: set the dataset path in Settings."));
        return;
    }
    if (reviewer().isEmpty()) {
        showError(tr("Reviewer: enter a name before reviewing."));
        m_reviewer->setFocus();
        return;
    }
    ReviewRecord base;
    base.status = status;
    base.rating = m_rating;
    base.notes = notes().toStdString();
    base.reviewer = reviewer().toStdString();
    m_writesPending += static_cast<int>(ids.size());
    setMessage(tr("Saving…"), false);
    const std::string path = m_path.toStdString();
    // Completion goes straight to this panel, not through the tracker: every write's outcome must show, and
    // the panel outlives the write (its pool waits for it on destruction; Qt drops calls queued to a
    // destroyed object).
    (void)QtConcurrent::run(&m_writePool, [this, ids, base, path] {
        const QString status_name = QString::fromUtf8(kf::dataset::reviewStatusName(base.status));
        const auto report = [this, &status_name, &base](qint64 id, const QString& error) {
            QMetaObject::invokeMethod(
                this,
                [this, id, status_name, rating = base.rating, error] {
                    finishWrite(id, status_name, rating, error);
                },
                Qt::QueuedConnection);
        };
        std::optional<Store> store;
        for (const qint64 id : ids) {
            report(id, writeReview(store, path, id, base));
        }
    });
}

void ReviewPanel::finishWrite(qint64 id, const QString& status, int rating, const QString& error) {
    --m_writesPending;
    if (!error.isEmpty()) {
        showError(tr("Review of attempt %1 not saved: %2").arg(id).arg(error));
        emit reviewFailed(id, error);
        return;
    }
    if (m_writesPending == 0 && m_message->text() == tr("Saving…")) {
        setMessage(tr("Attempt %1 %2.").arg(id).arg(status), false);
    }
    if (id == m_attemptId) {
        setRating(0);
        m_notes->clear();
        loadAttempt();
    }
    emit reviewed(id, status, rating);
}

} // namespace kf::widgets
