// SPDX-License-Identifier: MIT
#pragma once

#include "core/dataset/records.h"
#include "widgets/common/job_tracker.h"

#include <QAbstractTableModel>
#include <QSet>
#include <QString>
#include <QThreadPool>
#include <vector>

namespace kf::widgets {

// The dataset's attempts, one row each, a page at a time: the first page of a query arrives as a model reset,
// later pages through fetchMore(), so a store of 100,000 attempts opens as fast as one of 200. Every query
// runs on a worker thread with its own Store connection on the same file (WAL lets readers run beside the
// GUI's writes); a new filter or sort starts a new generation, and results of older ones are dropped.
class AttemptListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        IdColumn,
        SpecColumn,
        ModelColumn,
        ReviewColumn,
        VerdictColumn,
        SpeedupColumn,
        RatingColumn,
        CreatedColumn,
        ColumnCount
    };
    enum Role {
        AttemptIdRole = Qt::UserRole + 1, // qint64
        ReviewStatusRole,                 // "", accepted, rejected, needs-work
        SpeedupRole,                      // double, -1 when not timed
        RatingRole,                       // int, 0 when not rated
    };

    explicit AttemptListModel(QObject* parent = nullptr);
    ~AttemptListModel() override;

    // An empty path clears the model. Setting a path (or calling reload()) queries the first page.
    void setStorePath(const QString& path);
    QString storePath() const { return m_path; }

    // Which attempts to list; its sort, limit and offset are the model's own (sort() and the page size).
    void setFilter(const kf::dataset::AttemptFilter& filter);
    const kf::dataset::AttemptFilter& filter() const { return m_filter; }

    void setPageSize(int rows);
    int pageSize() const { return m_pageSize; }

    // Queries the first page again (after attempts were added elsewhere).
    void reload();

    // Attempts matching the filter, -1 until the count of the current query has arrived.
    qint64 totalCount() const { return m_total; }
    bool isLoading() const { return m_loading; }
    QString errorString() const { return m_error; }

    qint64 attemptId(int row) const;
    int rowOfAttempt(qint64 id) const; // -1 when not loaded
    const kf::dataset::AttemptSummary& summary(int row) const { return m_rows.at(static_cast<size_t>(row)); }

    // A review written elsewhere: the row shows it at once (it stays, even if the filter would now exclude
    // it, so that keyboard review does not make rows jump away).
    void applyReview(qint64 id, const QString& status, int rating);

    // Blocks until no query runs; for tests and shutdown.
    bool waitForIdle(int msecs = 30000);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    static kf::dataset::AttemptSort sortOfColumn(int column);

signals:
    void loadingChanged(bool loading);
    void totalCountChanged(qint64 total);
    // A query failed: what and why (an invalid search, an unreadable store).
    void queryFailed(const QString& message);
    // A page of the current query was applied (first page: reset; later pages: appended rows).
    void pageLoaded(int firstRow, int rows);

private:
    void startQuery();
    void setLoading(bool loading);
    void applyFirstPage(std::vector<kf::dataset::AttemptSummary> rows);
    void applyNextPage(std::vector<kf::dataset::AttemptSummary> rows);
    void applyError(const QString& message);
    QVariant displayText(const kf::dataset::AttemptSummary& s, int column) const;

    QString m_path;
    kf::dataset::AttemptFilter m_filter;
    int m_pageSize = 200;
    std::vector<kf::dataset::AttemptSummary> m_rows;
    QSet<qint64> m_ids; // rows already shown: a page shifted by new attempts does not repeat them
    qint64 m_total = -1;
    bool m_loading = false;
    qint64 m_offset = 0;     // rows the current query has returned so far: the next page's offset
    bool m_exhausted = true; // the last page came back short: nothing more to fetch
    QString m_error;
    JobTracker m_tracker{this}; // one generation per filter, sort, path or reload; pages share it
    QThreadPool m_pool;         // declared last: destroyed first, waiting for running queries
};

} // namespace kf::widgets
