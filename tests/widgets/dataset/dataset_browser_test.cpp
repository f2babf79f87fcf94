// SPDX-License-Identifier: MIT
// DatasetBrowser: rows and the count line, the filter bar (combos at once, typing after a pause), header
// sorting, Enter opens, keyboard review (A, R, N, 1-5) written to the store.
#include "dataset_fixture.h"
#include "widgets/dataset/attempt_list_model.h"
#include "widgets/dataset/dataset_browser.h"
#include "widgets/dataset/dataset_filter_bar.h"
#include "widgets/dataset/review_panel.h"

#include <QComboBox>
#include <QHeaderView>
#include <QLineEdit>
#include <QLocale>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using kf::dataset::ReviewStatus;
using kf::dataset::Store;
using kf::widgets::AttemptListModel;
using kf::widgets::DatasetBrowser;
using kf::widgets::ReviewPanel;
using kf::widgets::testing::Fixture;
using kf::widgets::testing::FixtureAttempt;

namespace {

bool settle(const DatasetBrowser& browser) {
    const auto* model = browser.model();
    return QTest::qWaitFor([model] { return !model->isLoading() && model->totalCount() >= 0; }, 20000);
}

std::string latestStatus(const QString& path, qint64 id) {
    const auto d = Store::open(path.toStdString()).attempt(id);
    return d->reviews.empty() ? std::string() : kf::dataset::reviewStatusName(d->reviews.back().status);
}

} // namespace

class DatasetBrowserTest : public QObject {
    Q_OBJECT

private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("kf-%1.db").arg(++m_n));
        auto store = Store::open(m_path.toStdString());
        m_fixture = kf::widgets::testing::fillStore(store, 50);
        m_browser = std::make_unique<DatasetBrowser>();
        m_browser->resize(1200, 700);
        m_browser->show();
        m_browser->setStorePath(m_path);
        QVERIFY(settle(*m_browser));
    }

    void cleanup() { m_browser.reset(); }

    void listsAndCounts() {
        QCOMPARE(m_browser->model()->rowCount(), 50);
        QCOMPARE(m_browser->countText(), QStringLiteral("%1 attempts").arg(QLocale().toString(50)));
        // The spec combo offers every spec id.
        auto* spec = m_browser->filterBar()->specCombo();
        QTRY_COMPARE_WITH_TIMEOUT(spec->count(), 6, 20000);
        QCOMPARE(spec->itemText(1), QStringLiteral("gemm-f16"));
        QCOMPARE(spec->itemText(5), QStringLiteral("transpose-f32"));
    }

    void combosFilterAtOnce() {
        auto* spec = m_browser->filterBar()->specCombo();
        QTRY_COMPARE_WITH_TIMEOUT(spec->count(), 6, 20000);
        spec->setCurrentIndex(spec->findText(QStringLiteral("reduce-sum-f32")));
        QVERIFY(m_browser->model()->isLoading()); // no pause for a choice
        QVERIFY(settle(*m_browser));
        const qint64 expected =
            m_fixture.count([](const FixtureAttempt& a) { return a.spec_id == "reduce-sum-f32"; });
        QCOMPARE(m_browser->model()->totalCount(), expected);
        auto* status = m_browser->filterBar()->statusCombo();
        status->setCurrentIndex(status->findData(QStringLiteral("unreviewed")));
        QVERIFY(settle(*m_browser));
        QCOMPARE(m_browser->model()->totalCount(), m_fixture.count([](const FixtureAttempt& a) {
            return a.spec_id == "reduce-sum-f32" && a.review_status.empty();
        }));
        QCOMPARE(m_browser->countText(), QStringLiteral("%1 attempts").arg(m_browser->model()->totalCount()));
    }

    void typingSearchesAfterAPause() {
        auto* search = m_browser->filterBar()->searchEdit();
        QTest::keyClicks(search, QStringLiteral("marker_31"));
        QVERIFY(!m_browser->model()->isLoading()); // not per keystroke
        QTRY_COMPARE_WITH_TIMEOUT(m_browser->model()->rowCount(), 1, 20000);
        QVERIFY(settle(*m_browser));
        QCOMPARE(m_browser->model()->attemptId(0), m_fixture.attempts[31].id);
        QCOMPARE(m_browser->countText(), QStringLiteral("1 attempt"));
    }

    void anInvalidSearchShowsTheReason() {
        auto* search = m_browser->filterBar()->searchEdit();
        search->setText(QStringLiteral("warp AND"));
        QTest::keyClick(search, Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_browser->countText().contains(QStringLiteral("not a valid full-text query")), 20000);
        QCOMPARE(m_browser->model()->rowCount(), 0);
    }

    void headerClicksSort() {
        auto* header = m_browser->view()->horizontalHeader();
        const int x = header->sectionViewportPosition(AttemptListModel::SpeedupColumn) + 5;
        QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
        QVERIFY(m_browser->model()->filter().sort == kf::dataset::AttemptSort::Speedup);
        QVERIFY(settle(*m_browser));
        const auto* model = m_browser->model();
        const double first = model->index(0, 0).data(AttemptListModel::SpeedupRole).toDouble();
        const double last = model->index(49, 0).data(AttemptListModel::SpeedupRole).toDouble();
        QVERIFY2(first != last, "sorted by speedup one way or the other");
        const bool ascending = model->filter().ascending;
        for (int r = 1; r < 50; ++r) {
            const double a = model->index(r - 1, 0).data(AttemptListModel::SpeedupRole).toDouble();
            const double b = model->index(r, 0).data(AttemptListModel::SpeedupRole).toDouble();
            QVERIFY(ascending ? a <= b : a >= b);
        }
    }

    void enterOpensTheCurrentAttempt() {
        auto* view = m_browser->view();
        view->setFocus();
        view->setCurrentIndex(m_browser->model()->index(3, 0));
        QSignalSpy open(m_browser.get(), &DatasetBrowser::openAttempt);
        QTest::keyClick(view, Qt::Key_Return);
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toLongLong(), m_browser->model()->attemptId(3));
        QTest::keyClick(view, Qt::Key_Enter, Qt::KeypadModifier);
        QCOMPARE(open.count(), 2);
    }

    void keyboardReviewWritesAndMovesOn() {
        auto* view = m_browser->view();
        auto* model = m_browser->model();
        view->setFocus();
        view->selectionModel()->setCurrentIndex(model->index(0, 0), QItemSelectionModel::ClearAndSelect |
                                                                        QItemSelectionModel::Rows);
        const qint64 first = model->attemptId(0);
        const qint64 second = model->attemptId(1);
        QCOMPARE(m_browser->reviewPanel()->attemptId(), first); // the panel follows the current row
        QSignalSpy reviewed(m_browser->reviewPanel(), &ReviewPanel::reviewed);

        QTest::keyClick(view, Qt::Key_4);
        QCOMPARE(m_browser->reviewPanel()->rating(), 4);
        QTest::keyClick(view, Qt::Key_A);
        QCOMPARE(view->currentIndex().row(), 1); // the next one comes up
        QCOMPARE(m_browser->reviewPanel()->attemptId(), second);
        QCOMPARE(m_browser->reviewPanel()->rating(), 0);
        QVERIFY(reviewed.wait(20000));
        QCOMPARE(reviewed.first().at(0).toLongLong(), first);
        const auto d = *Store::open(m_path.toStdString()).attempt(first);
        QVERIFY(d.reviews.back().status == ReviewStatus::Accepted);
        QCOMPARE(d.reviews.back().rating, 4);
        QCOMPARE(model->index(0, AttemptListModel::ReviewColumn).data().toString(),
                 QStringLiteral("accepted"));

        QTest::keyClick(view, Qt::Key_R);
        QTRY_COMPARE_WITH_TIMEOUT(reviewed.count(), 2, 20000);
        QCOMPARE(latestStatus(m_path, second), std::string("rejected"));
        QCOMPARE(view->currentIndex().row(), 2);

        // Several rows at once: each gets the review; the current row stays.
        view->selectionModel()->select(
            QItemSelection(model->index(5, 0), model->index(7, AttemptListModel::ColumnCount - 1)),
            QItemSelectionModel::ClearAndSelect);
        QTest::keyClick(view, Qt::Key_N);
        QTRY_COMPARE_WITH_TIMEOUT(reviewed.count(), 5, 20000);
        for (int row = 5; row <= 7; ++row) {
            QCOMPARE(latestStatus(m_path, model->attemptId(row)), std::string("needs-work"));
            QCOMPARE(model->index(row, 0).data(AttemptListModel::ReviewStatusRole).toString(),
                     QStringLiteral("needs-work"));
        }
        // Keys with modifiers are not reviews.
        QTest::keyClick(view, Qt::Key_A, Qt::ControlModifier);
        QVERIFY(m_browser->reviewPanel()->waitForIdle());
        QCoreApplication::processEvents();
        QCOMPARE(reviewed.count(), 5);
    }

    void scrollingFetchesMorePages() {
        m_browser->model()->setPageSize(20);
        m_browser->reload();
        QVERIFY(settle(*m_browser));
        // The view asks for pages until its viewport is full; the count line says how many are loaded.
        const int loaded = m_browser->model()->rowCount();
        QVERIFY(loaded >= 20 && loaded < 50);
        QCOMPARE(loaded % 20, 0);
        QVERIFY2(m_browser->countText().contains(QStringLiteral("%1 loaded").arg(loaded)),
                 qPrintable(m_browser->countText()));
        auto* view = m_browser->view();
        for (int i = 0; i < 10 && m_browser->model()->rowCount() < 50; ++i) {
            view->scrollToBottom();
            QTest::qWait(50);
            QVERIFY(settle(*m_browser));
        }
        QCOMPARE(m_browser->model()->rowCount(), 50);
        QCOMPARE(m_browser->countText(), QStringLiteral("50 attempts"));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_n = 0;
    Fixture m_fixture;
    std::unique_ptr<DatasetBrowser> m_browser;
};

QTEST_MAIN(DatasetBrowserTest)
#include "dataset_browser_test.moc"
