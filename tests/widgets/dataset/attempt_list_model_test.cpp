// SPDX-License-Identifier: MIT
// AttemptListModel against real stores: listing, every filter, search, sort, paging through fetchMore, stale
// results dropped, errors reported; QAbstractItemModelTester watches every test.
#include "dataset_fixture.h"
#include "widgets/dataset/attempt_list_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <memory>

using kf::dataset::AttemptFilter;
using kf::widgets::AttemptListModel;
using kf::widgets::testing::Fixture;
using kf::widgets::testing::FixtureAttempt;

namespace {

// Waits until the model's current query has its rows and its count.
bool settle(AttemptListModel& model) {
    return QTest::qWaitFor([&model] { return !model.isLoading() && model.totalCount() >= 0; }, 20000);
}

std::vector<qint64> idsOf(const AttemptListModel& model) {
    std::vector<qint64> ids;
    for (int r = 0; r < model.rowCount(); ++r) {
        ids.push_back(model.attemptId(r));
    }
    return ids;
}

} // namespace

class AttemptListModelTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("kf.db"));
        auto store = kf::dataset::Store::open(m_path.toStdString());
        m_fixture = kf::widgets::testing::fillStore(store, 60);
    }

    void init() {
        m_model = std::make_unique<AttemptListModel>();
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    }

    void cleanup() {
        m_tester.reset();
        m_model.reset();
    }

    void listsNewestFirstWithEveryColumn() {
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        QCOMPARE(m_model->rowCount(), 60);
        QCOMPARE(m_model->totalCount(), qint64(60));
        QCOMPARE(m_model->columnCount(), int(AttemptListModel::ColumnCount));
        const FixtureAttempt& newest = m_fixture.attempts.back();
        QCOMPARE(m_model->attemptId(0), newest.id);
        const auto cell = [this](int column) { return m_model->index(0, column).data().toString(); };
        QCOMPARE(cell(AttemptListModel::IdColumn), QString::number(newest.id));
        QCOMPARE(cell(AttemptListModel::SpecColumn), QString::fromStdString(newest.spec_id));
        QCOMPARE(cell(AttemptListModel::ModelColumn),
                 QString::fromStdString(newest.provider + "/" + newest.model));
        QCOMPARE(m_model->index(0, 0).data(AttemptListModel::SpeedupRole).toDouble(), newest.speedup);
        // Attempt 59: 59 % 7 == 3 (pass), 59 % 6 == 5 (unreviewed).
        QCOMPARE(cell(AttemptListModel::VerdictColumn), QStringLiteral("pass"));
        QCOMPARE(cell(AttemptListModel::ReviewColumn), QStringLiteral("unreviewed"));
        QCOMPARE(cell(AttemptListModel::SpeedupColumn),
                 QString::number(newest.speedup, 'f', 2) + QStringLiteral("×"));
        QCOMPARE(m_model->headerData(AttemptListModel::SpeedupColumn, Qt::Horizontal).toString(),
                 QStringLiteral("Speedup"));
        // A never-run attempt (index 56) reads "not run" and "–".
        const int row = m_model->rowOfAttempt(m_fixture.attempts[56].id);
        QCOMPARE(m_model->index(row, AttemptListModel::VerdictColumn).data().toString(),
                 QStringLiteral("not run"));
        QCOMPARE(m_model->index(row, AttemptListModel::SpeedupColumn).data().toString(), QStringLiteral("–"));
        QVERIFY(!m_model->canFetchMore({}));
    }

    void filtersBySpecStatusVerdictProviderModelDateAndSpeedup() {
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        struct Case {
            const char* name;
            AttemptFilter filter;
            bool (*pred)(const FixtureAttempt&);
        };
        AttemptFilter spec, status, verdict, provider, model, since, speedup, combined;
        spec.spec_id = "gemm-f16";
        status.review_status = "unreviewed";
        verdict.verdict = "none";
        provider.provider = "anthropic";
        model.model = "claude-o";
        since.since = "2026-01-02T12:00:00Z"; // attempt 36 on
        speedup.min_speedup = 2.0;
        combined.spec_id = "softmax-rows-f32";
        combined.verdict = "pass";
        const Case cases[] = {
            {"spec", spec, [](const FixtureAttempt& a) { return a.spec_id == "gemm-f16"; }},
            {"status", status, [](const FixtureAttempt& a) { return a.review_status.empty(); }},
            {"verdict", verdict, [](const FixtureAttempt& a) { return a.verdict.empty(); }},
            {"provider", provider, [](const FixtureAttempt& a) { return a.provider == "anthropic"; }},
            {"model prefix", model, [](const FixtureAttempt& a) { return a.model == "claude-opus-4-1"; }},
            {"since", since, [](const FixtureAttempt& a) { return a.created_at >= "2026-01-02T12:00:00Z"; }},
            {"min speedup", speedup, [](const FixtureAttempt& a) { return a.speedup >= 2.0; }},
            {"spec and verdict", combined,
             [](const FixtureAttempt& a) { return a.spec_id == "softmax-rows-f32" && a.verdict == "pass"; }},
        };
        for (const auto& c : cases) {
            m_model->setFilter(c.filter);
            QVERIFY(settle(*m_model));
            std::vector<qint64> expected;
            for (auto it = m_fixture.attempts.rbegin(); it != m_fixture.attempts.rend(); ++it) {
                if (c.pred(*it)) {
                    expected.push_back(it->id);
                }
            }
            QVERIFY2(!expected.empty(), c.name);
            QVERIFY2(idsOf(*m_model) == expected, c.name);
            QCOMPARE(m_model->totalCount(), qint64(expected.size()));
        }
    }

    void searchesReasoningAndCode() {
        m_model->setStorePath(m_path);
        AttemptFilter f;
        f.search = "marker_17";
        m_model->setFilter(f);
        QVERIFY(settle(*m_model));
        QCOMPARE(idsOf(*m_model), std::vector<qint64>{m_fixture.attempts[17].id});
        f.search = "wmma";
        m_model->setFilter(f);
        QVERIFY(settle(*m_model));
        QCOMPARE(m_model->totalCount(),
                 m_fixture.count([](const FixtureAttempt& a) { return a.topic == "tensor"; }));
        f.search = "k_23"; // a kernel name: the code is indexed too
        m_model->setFilter(f);
        QVERIFY(settle(*m_model));
        QCOMPARE(idsOf(*m_model), std::vector<qint64>{m_fixture.attempts[23].id});
    }

    void sortsByAnyColumnBothWays() {
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        m_model->sort(AttemptListModel::SpeedupColumn, Qt::DescendingOrder);
        QVERIFY(settle(*m_model));
        QCOMPARE(m_model->rowCount(), 60);
        for (int r = 1; r < m_model->rowCount(); ++r) {
            const double prev = m_model->index(r - 1, 0).data(AttemptListModel::SpeedupRole).toDouble();
            const double cur = m_model->index(r, 0).data(AttemptListModel::SpeedupRole).toDouble();
            QVERIFY2(prev >= cur, qPrintable(QStringLiteral("row %1").arg(r)));
        }
        m_model->sort(AttemptListModel::SpecColumn, Qt::AscendingOrder);
        QVERIFY(settle(*m_model));
        QCOMPARE(m_model->index(0, AttemptListModel::SpecColumn).data().toString(),
                 QStringLiteral("gemm-f16"));
        QCOMPARE(m_model->index(59, AttemptListModel::SpecColumn).data().toString(),
                 QStringLiteral("transpose-f32"));
        m_model->sort(AttemptListModel::IdColumn, Qt::AscendingOrder);
        QVERIFY(settle(*m_model));
        QCOMPARE(m_model->attemptId(0), m_fixture.attempts.front().id);
        // A filter keeps the sort.
        AttemptFilter f;
        f.spec_id = "gemm-f16";
        m_model->setFilter(f);
        QVERIFY(settle(*m_model));
        QVERIFY(m_model->filter().sort == kf::dataset::AttemptSort::Id && m_model->filter().ascending);
        const auto ids = idsOf(*m_model);
        QCOMPARE(ids.size(), size_t(12));
        QVERIFY(std::is_sorted(ids.begin(), ids.end()));
    }

    void pagesThroughFetchMore() {
        m_model->setPageSize(25);
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        QCOMPARE(m_model->rowCount(), 25);
        QCOMPARE(m_model->totalCount(), qint64(60));
        QVERIFY(m_model->canFetchMore({}));
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->fetchMore({});
        QVERIFY(!m_model->canFetchMore({})); // one page at a time
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 50, 20000);
        QVERIFY(!m_model->isLoading());
        m_model->fetchMore({});
        QTRY_COMPARE_WITH_TIMEOUT(m_model->rowCount(), 60, 20000);
        QTRY_VERIFY(!m_model->isLoading());
        QVERIFY(!m_model->canFetchMore({}));
        QCOMPARE(inserted.count(), 2);
        std::vector<qint64> expected;
        for (auto it = m_fixture.attempts.rbegin(); it != m_fixture.attempts.rend(); ++it) {
            expected.push_back(it->id);
        }
        QCOMPARE(idsOf(*m_model), expected);
    }

    void aStaleQueryNeverReplacesANewerOne() {
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        QSignalSpy resets(m_model.get(), &QAbstractItemModel::modelReset);
        QSignalSpy pages(m_model.get(), &AttemptListModel::pageLoaded);
        // The first query is the slower one (a search over every attempt), issued just before the second.
        AttemptFilter slow;
        slow.search = "Bounds";
        AttemptFilter fast;
        fast.spec_id = "layernorm-f32";
        m_model->setFilter(slow);
        m_model->setFilter(fast);
        QVERIFY(settle(*m_model));
        QVERIFY(m_model->waitForIdle());
        QCoreApplication::sendPostedEvents(); // anything the first query posted, it would have posted by now
        QCoreApplication::processEvents();
        QCOMPARE(resets.count(), 1);
        QCOMPARE(pages.count(), 1);
        const auto expected =
            m_fixture.count([](const FixtureAttempt& a) { return a.spec_id == "layernorm-f32"; });
        QCOMPARE(m_model->rowCount(), int(expected));
        QCOMPARE(m_model->totalCount(), expected);
        for (int r = 0; r < m_model->rowCount(); ++r) {
            QCOMPARE(m_model->index(r, AttemptListModel::SpecColumn).data().toString(),
                     QStringLiteral("layernorm-f32"));
        }
    }

    void aNewFilterDropsAPendingPage() {
        m_model->setPageSize(10);
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
        m_model->fetchMore({});
        AttemptFilter f;
        f.spec_id = "gemm-f16";
        m_model->setFilter(f);
        QVERIFY(settle(*m_model));
        QVERIFY(m_model->waitForIdle());
        QCoreApplication::processEvents();
        QCOMPARE(inserted.count(), 0);
        QCOMPARE(m_model->rowCount(), 10);
        QCOMPARE(m_model->totalCount(), qint64(12));
    }

    void anInvalidSearchIsReportedAndListsNothing() {
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        QSignalSpy failed(m_model.get(), &AttemptListModel::queryFailed);
        AttemptFilter f;
        f.search = "\"unbalanced";
        m_model->setFilter(f);
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("not a valid full-text query")),
                 qPrintable(failed.first().first().toString()));
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->isLoading());
        QCOMPARE(m_model->errorString(), failed.first().first().toString());
        // The next valid query clears the error.
        m_model->setFilter({});
        QVERIFY(settle(*m_model));
        QVERIFY(m_model->errorString().isEmpty());
        QCOMPARE(m_model->rowCount(), 60);
    }

    void anUnreadableStoreIsReported() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("not-a-db.db"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(4096, 'x'));
        file.close();
        QSignalSpy failed(m_model.get(), &AttemptListModel::queryFailed);
        m_model->setStorePath(path);
        QVERIFY(failed.wait(20000));
        QVERIFY2(failed.first().first().toString().contains(path),
                 qPrintable(failed.first().first().toString()));
    }

    void aReviewShowsInItsRowAtOnce() {
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        const qint64 id = m_fixture.attempts[59].id;
        m_model->applyReview(id, QStringLiteral("accepted"), 5);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(m_model->index(0, AttemptListModel::ReviewColumn).data().toString(),
                 QStringLiteral("accepted"));
        QCOMPARE(m_model->index(0, AttemptListModel::RatingColumn).data().toInt(), 5);
        QCOMPARE(m_model->index(0, 0).data(AttemptListModel::ReviewStatusRole).toString(),
                 QStringLiteral("accepted"));
    }

    void anEmptyPathClears() {
        m_model->setStorePath(m_path);
        QVERIFY(settle(*m_model));
        m_model->setStorePath({});
        QCOMPARE(m_model->rowCount(), 0);
        QVERIFY(!m_model->canFetchMore({}));
        QVERIFY(!m_model->isLoading());
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    Fixture m_fixture;
    std::unique_ptr<AttemptListModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

QTEST_MAIN(AttemptListModelTest)
#include "attempt_list_model_test.moc"
