// SPDX-License-Identifier: MIT
#include "widgets/dataset/dataset_browser.h"

#include "core/dataset/store.h"
#include "widgets/dataset/attempt_list_model.h"
#include "widgets/dataset/dataset_filter_bar.h"
#include "widgets/dataset/export_dialog.h"
#include "widgets/dataset/review_panel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSplitter>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace kf::widgets {

using kf::dataset::ReviewStatus;

DatasetBrowser::DatasetBrowser(QWidget* parent)
    : QWidget(parent) {
    m_pool.setMaxThreadCount(1);
    m_model = new AttemptListModel(this);
    m_filters = new DatasetFilterBar(this);
    m_panel = new ReviewPanel(this);

    m_view = new QTableView(this);
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setShowGrid(false);
    m_view->verticalHeader()->hide();
    // Fixed row heights: the view never measures rows, however many pages are loaded.
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSortIndicator(AttemptListModel::CreatedColumn, Qt::DescendingOrder);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setSortingEnabled(true); // header clicks call model->sort(): the store sorts, page by page
    m_view->installEventFilter(this);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        if (const qint64 id = m_model->attemptId(index.row()); id > 0) {
            emit openAttempt(id);
        }
    });

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_view);
    splitter->addWidget(m_panel);
    // The table gets the room: all eight columns fit beside a panel of about 420 px.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 0);
    splitter->setSizes({900, 420});
    splitter->setChildrenCollapsible(false);

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("countLine"));
    auto* hint = new QLabel(tr("Enter open · A accept · N needs work · R reject · 1–5 rating"), this);
    hint->setEnabled(false); // drawn in the palette's disabled text colour: a hint, not content
    m_export = new QAction(tr("&Export dataset…"), this);
    connect(m_export, &QAction::triggered, this, &DatasetBrowser::showExportDialog);
    auto* exportButton = new QToolButton(this);
    exportButton->setDefaultAction(m_export);
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, m_filters->searchEdit(), [this] {
        m_filters->searchEdit()->setFocus();
        m_filters->searchEdit()->selectAll();
    });
    addAction(find);

    auto* bottom = new QHBoxLayout;
    bottom->addWidget(m_count);
    bottom->addStretch();
    bottom->addWidget(hint);
    bottom->addWidget(exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filters);
    layout->addWidget(splitter, 1);
    layout->addLayout(bottom);

    // At once, not after a pause: a rating key pressed right after moving must not be cleared by the panel
    // catching up. Reads of rows passed over are dropped before they start (the panel's tracker).
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DatasetBrowser::showCurrentInPanel);

    connect(m_filters, &DatasetFilterBar::filterChanged, this,
            [this] { m_model->setFilter(m_filters->filter()); });
    connect(m_panel, &ReviewPanel::reviewed, m_model, &AttemptListModel::applyReview);
    connect(m_model, &AttemptListModel::totalCountChanged, this, &DatasetBrowser::updateCountLine);
    connect(m_model, &AttemptListModel::loadingChanged, this, &DatasetBrowser::updateCountLine);
    connect(m_model, &AttemptListModel::queryFailed, this, &DatasetBrowser::updateCountLine);
    connect(m_model, &AttemptListModel::pageLoaded, this, [this](int first, int) {
        updateCountLine();
        if (first == 0 && !m_columnsSized && m_model->rowCount() > 0) {
            m_columnsSized = true; // once: later the user's widths stay
            m_view->resizeColumnsToContents();
        }
    });
    updateCountLine();
}

DatasetBrowser::~DatasetBrowser() {
    m_tracker.invalidate();
}

void DatasetBrowser::setStorePath(const QString& path) {
    m_path = path;
    m_panel->setStorePath(path);
    m_panel->setAttempt(0);
    m_model->setFilter(m_filters->filter());
    m_model->setStorePath(path);
    m_export->setEnabled(!path.isEmpty());
    loadSpecIds();
    updateCountLine();
}

void DatasetBrowser::reload() {
    m_model->reload();
    loadSpecIds();
}

void DatasetBrowser::loadSpecIds() {
    const auto job = m_tracker.start();
    if (m_path.isEmpty()) {
        m_filters->setSpecIds({});
        return;
    }
    (void)QtConcurrent::run(&m_pool, [this, job, path = m_path.toStdString()] {
        try {
            QStringList ids;
            for (const auto& id : kf::dataset::Store::open(path).specIds()) {
                ids << QString::fromStdString(id);
            }
            m_tracker.post(job, [this, ids] { m_filters->setSpecIds(ids); });
        } catch (const std::exception&) {
            // The listing's own query reports an unreadable store, in the count line.
        }
    });
}

qint64 DatasetBrowser::currentAttemptId() const {
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? m_model->attemptId(current.row()) : 0;
}

QList<qint64> DatasetBrowser::selectedAttemptIds() const {
    QList<qint64> ids;
    const auto rows = m_view->selectionModel()->selectedRows();
    for (const auto& index : rows) {
        ids << m_model->attemptId(index.row());
    }
    if (ids.isEmpty() && currentAttemptId() > 0) {
        ids << currentAttemptId();
    }
    std::sort(ids.begin(), ids.end());
    return ids;
}

QString DatasetBrowser::countText() const {
    return m_count->text();
}

void DatasetBrowser::updateCountLine() {
    const QLocale locale;
    QString text;
    QString style;
    if (m_path.isEmpty()) {
        text = tr("No dataset open");
    } else if (!m_model->errorString().isEmpty()) {
        text = m_model->errorString();
        style = QStringLiteral("color: #d64545;");
    } else if (m_model->totalCount() < 0) {
        text = tr("Counting…");
    } else {
        const qint64 total = m_model->totalCount();
        text = total == 1 ? tr("1 attempt") : tr("%1 attempts").arg(locale.toString(total));
        if (m_model->rowCount() < total) {
            text += tr(" · %1 loaded").arg(locale.toString(m_model->rowCount()));
        }
    }
    m_count->setStyleSheet(style);
    m_count->setText(text);
}

void DatasetBrowser::showCurrentInPanel() {
    if (const qint64 id = currentAttemptId(); id > 0 && id != m_panel->attemptId()) {
        m_panel->setAttempt(id);
    }
}

void DatasetBrowser::reviewSelection(ReviewStatus status) {
    const auto ids = selectedAttemptIds();
    if (ids.isEmpty()) {
        return;
    }
    m_panel->submitFor(ids, status);
    // One attempt reviewed: the next one comes up, so a reviewer can go down the list key by key.
    if (ids.size() == 1) {
        const int next = m_view->currentIndex().row() + 1;
        if (next < m_model->rowCount()) {
            m_view->selectionModel()->setCurrentIndex(
                m_model->index(next, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
    }
}

bool DatasetBrowser::eventFilter(QObject* watched, QEvent* event) {
    if (watched != m_view || event->type() != QEvent::KeyPress) {
        return QWidget::eventFilter(watched, event);
    }
    const auto* key = static_cast<QKeyEvent*>(event);
    if ((key->modifiers() & ~Qt::KeypadModifier) != Qt::NoModifier) {
        return false;
    }
    switch (key->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (const qint64 id = currentAttemptId(); id > 0) {
            emit openAttempt(id);
        }
        return true;
    case Qt::Key_A:
        reviewSelection(ReviewStatus::Accepted);
        return true;
    case Qt::Key_R:
        reviewSelection(ReviewStatus::Rejected);
        return true;
    case Qt::Key_N:
        reviewSelection(ReviewStatus::NeedsWork);
        return true;
    default:
        if (key->key() >= Qt::Key_0 && key->key() <= Qt::Key_5) {
            m_panel->setRating(key->key() - Qt::Key_0);
            return true;
        }
        return false;
    }
}

void DatasetBrowser::showExportDialog() {
    if (m_path.isEmpty()) {
        return;
    }
    auto* dialog = new ExportDialog(m_path, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setBrowserFilter(m_model->filter());
    dialog->open();
}

} // namespace kf::widgets
