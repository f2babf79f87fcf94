// SPDX-License-Identifier: MIT
#include "widgets/dataset/attempt_list_model.h"

#include "core/dataset/store.h"
#include "widgets/dataset/review_format.h"

#include <QDateTime>
#include <QtConcurrent/QtConcurrentRun>

namespace kf::widgets {

using kf::dataset::AttemptFilter;
using kf::dataset::AttemptSort;
using kf::dataset::AttemptSummary;

AttemptListModel::AttemptListModel(QObject* parent)
    : QAbstractTableModel(parent) {
    // Two readers at most: a first page and a count may overlap a page fetch; more would only compete for the
    // same disk.
    m_pool.setMaxThreadCount(2);
}

AttemptListModel::~AttemptListModel() {
    m_tracker.invalidate();
    m_pool.clear(); // queued queries never start; running ones finish before m_pool is gone
}

void AttemptListModel::setStorePath(const QString& path) {
    if (path == m_path) {
        return;
    }
    m_path = path;
    startQuery();
}

void AttemptListModel::setFilter(const AttemptFilter& filter) {
    AttemptFilter f = filter;
    f.sort = m_filter.sort;
    f.ascending = m_filter.ascending;
    m_filter = f;
    startQuery();
}

void AttemptListModel::setPageSize(int rows) {
    m_pageSize = std::max(1, rows);
}

void AttemptListModel::reload() {
    startQuery();
}

bool AttemptListModel::waitForIdle(int msecs) {
    return m_pool.waitForDone(msecs);
}

void AttemptListModel::setLoading(bool loading) {
    if (loading != m_loading) {
        m_loading = loading;
        emit loadingChanged(loading);
    }
}

void AttemptListModel::startQuery() {
    const auto id = m_tracker.start();
    if (m_path.isEmpty()) {
        beginResetModel();
        m_rows.clear();
        m_ids.clear();
        m_exhausted = true;
        endResetModel();
        m_total = -1;
        m_error.clear();
        setLoading(false);
        emit totalCountChanged(m_total);
        return;
    }
    setLoading(true);
    AttemptFilter filter = m_filter;
    filter.limit = m_pageSize;
    filter.offset = 0;
    const std::string path = m_path.toStdString();
    (void)QtConcurrent::run(&m_pool, [this, id, path, filter] {
        if (!m_tracker.isCurrent(id)) {
            return; // superseded before it started
        }
        try {
            const auto store = kf::dataset::Store::open(path);
            auto rows = store.list(filter);
            m_tracker.post(id, [this, rows = std::move(rows)]() mutable { applyFirstPage(std::move(rows)); });
            // The count scans every match; the page is on screen meanwhile.
            const qint64 total = store.count(filter);
            m_tracker.post(id, [this, total] {
                m_total = total;
                emit totalCountChanged(total);
            });
        } catch (const std::exception& e) {
            m_tracker.post(id, [this, message = QString::fromStdString(e.what())] { applyError(message); });
        }
    });
}

void AttemptListModel::applyFirstPage(std::vector<AttemptSummary> rows) {
    beginResetModel();
    m_exhausted = static_cast<qint64>(rows.size()) < m_pageSize;
    m_offset = static_cast<qint64>(rows.size());
    m_rows = std::move(rows);
    m_ids.clear();
    for (const auto& r : m_rows) {
        m_ids.insert(r.id);
    }
    m_total = -1;
    m_error.clear();
    endResetModel();
    setLoading(false);
    emit pageLoaded(0, rowCount());
}

void AttemptListModel::applyError(const QString& message) {
    beginResetModel();
    m_rows.clear();
    m_ids.clear();
    m_exhausted = true;
    endResetModel();
    m_total = -1;
    m_error = message;
    setLoading(false);
    emit totalCountChanged(m_total);
    emit queryFailed(message);
}

bool AttemptListModel::canFetchMore(const QModelIndex& parent) const {
    return !parent.isValid() && !m_path.isEmpty() && !m_loading && !m_exhausted;
}

void AttemptListModel::fetchMore(const QModelIndex& parent) {
    if (!canFetchMore(parent)) {
        return;
    }
    // A page belongs to the current generation: a newer query drops it, and it does not drop the count.
    const auto id = m_tracker.current();
    setLoading(true);
    AttemptFilter filter = m_filter;
    filter.limit = m_pageSize;
    filter.offset = m_offset;
    const std::string path = m_path.toStdString();
    (void)QtConcurrent::run(&m_pool, [this, id, path, filter] {
        if (!m_tracker.isCurrent(id)) {
            return;
        }
        try {
            const auto store = kf::dataset::Store::open(path);
            auto rows = store.list(filter);
            m_tracker.post(id, [this, rows = std::move(rows)]() mutable { applyNextPage(std::move(rows)); });
        } catch (const std::exception& e) {
            m_tracker.post(id, [this, message = QString::fromStdString(e.what())] { applyError(message); });
        }
    });
}

void AttemptListModel::applyNextPage(std::vector<AttemptSummary> rows) {
    m_exhausted = static_cast<qint64>(rows.size()) < m_pageSize;
    m_offset += static_cast<qint64>(rows.size());
    std::vector<AttemptSummary> fresh;
    fresh.reserve(rows.size());
    for (auto& r : rows) {
        if (!m_ids.contains(r.id)) {
            m_ids.insert(r.id);
            fresh.push_back(std::move(r));
        }
    }
    const int first = rowCount();
    if (!fresh.empty()) {
        beginInsertRows({}, first, first + static_cast<int>(fresh.size()) - 1);
        m_rows.insert(m_rows.end(), std::make_move_iterator(fresh.begin()),
                      std::make_move_iterator(fresh.end()));
        endInsertRows();
    }
    setLoading(false);
    emit pageLoaded(first, static_cast<int>(fresh.size()));
}

qint64 AttemptListModel::attemptId(int row) const {
    return row >= 0 && row < rowCount() ? m_rows[static_cast<size_t>(row)].id : 0;
}

int AttemptListModel::rowOfAttempt(qint64 id) const {
    for (size_t i = 0; i < m_rows.size(); ++i) {
        if (m_rows[i].id == id) {
            return static_cast<int>(i);
        }
    }
    return -1;
}

void AttemptListModel::applyReview(qint64 id, const QString& status, int rating) {
    const int row = rowOfAttempt(id);
    if (row < 0) {
        return;
    }
    auto& s = m_rows[static_cast<size_t>(row)];
    s.review_status = status.toStdString();
    s.rating = rating;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int AttemptListModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int AttemptListModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AttemptListModel::displayText(const AttemptSummary& s, int column) const {
    switch (column) {
    case IdColumn:
        return static_cast<qint64>(s.id);
    case SpecColumn:
        return QString::fromStdString(s.spec_id);
    case ModelColumn:
        return QString::fromStdString(s.provider + "/" + s.model);
    case ReviewColumn: {
        QString text = review_format::statusText(s.review_status);
        if (s.status != "complete") {
            text += QStringLiteral(" · ") + QString::fromStdString(s.status);
        }
        return text;
    }
    case VerdictColumn:
        return s.verdict.empty() ? tr("not run") : QString::fromStdString(s.verdict);
    case SpeedupColumn:
        return review_format::speedupText(s.speedup);
    case RatingColumn:
        return s.rating > 0 ? QVariant(s.rating) : QVariant(QStringLiteral("–"));
    case CreatedColumn:
        return review_format::timeText(s.created_at);
    default:
        return {};
    }
}

QVariant AttemptListModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid)) {
        return {};
    }
    const auto& s = m_rows[static_cast<size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(s, index.column());
    case AttemptIdRole:
        return static_cast<qint64>(s.id);
    case ReviewStatusRole:
        return QString::fromStdString(s.review_status);
    case SpeedupRole:
        return s.speedup;
    case RatingRole:
        return s.rating;
    case Qt::TextAlignmentRole:
        if (index.column() == IdColumn || index.column() == SpeedupColumn || index.column() == RatingColumn) {
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        }
        return {};
    case Qt::ForegroundRole:
        if (index.column() == ReviewColumn) {
            return review_format::statusColor(s.review_status);
        }
        if (index.column() == VerdictColumn) {
            return review_format::verdictColor(s.verdict);
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ReviewColumn) {
            return tr("Attempt %1 · review: %2%3")
                .arg(QString::fromStdString(s.status), review_format::statusText(s.review_status),
                     s.rating > 0 ? tr(", rated %1 of 5").arg(s.rating) : QString());
        }
        if (index.column() == CreatedColumn) {
            return QString::fromStdString(s.created_at);
        }
        return {};
    default:
        return {};
    }
}

QVariant AttemptListModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole) {
        return QAbstractTableModel::headerData(section, orientation, role);
    }
    switch (section) {
    case IdColumn:
        return tr("ID");
    case SpecColumn:
        return tr("Spec");
    case ModelColumn:
        return tr("Provider / model");
    case ReviewColumn:
        return tr("Review");
    case VerdictColumn:
        return tr("Verdict");
    case SpeedupColumn:
        return tr("Speedup");
    case RatingColumn:
        return tr("Rating");
    case CreatedColumn:
        return tr("Created");
    default:
        return {};
    }
}

AttemptSort AttemptListModel::sortOfColumn(int column) {
    switch (column) {
    case IdColumn:
        return AttemptSort::Id;
    case SpecColumn:
        return AttemptSort::Spec;
    case ModelColumn:
        return AttemptSort::Model;
    case ReviewColumn:
        return AttemptSort::Review;
    case VerdictColumn:
        return AttemptSort::Verdict;
    case SpeedupColumn:
        return AttemptSort::Speedup;
    case RatingColumn:
        return AttemptSort::Rating;
    default:
        return AttemptSort::Created;
    }
}

void AttemptListModel::sort(int column, Qt::SortOrder order) {
    if (column < 0 || column >= ColumnCount) {
        return;
    }
    const AttemptSort sort = sortOfColumn(column);
    const bool ascending = order == Qt::AscendingOrder;
    if (sort == m_filter.sort && ascending == m_filter.ascending) {
        return; // a view enabling sorting asks for the order the model already has
    }
    m_filter.sort = sort;
    m_filter.ascending = ascending;
    startQuery();
}

} // namespace kf::widgets
