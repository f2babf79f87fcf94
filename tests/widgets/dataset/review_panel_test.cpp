// SPDX-License-Identifier: MIT
// ReviewPanel against a real store: a review written through the panel lands in the store with its rating,
// notes, reviewer and kernel, and shows in the history; near duplicates are flagged; errors are shown.
#include "dataset_fixture.h"
#include "widgets/dataset/review_panel.h"

#include <QAction>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using kf::dataset::ReviewStatus;
using kf::dataset::Store;
using kf::widgets::ReviewPanel;
using kf::widgets::testing::Fixture;

namespace {

kf::dataset::AttemptDetail detailOf(const QString& path, qint64 id) {
    return *Store::open(path.toStdString()).attempt(id);
}

} // namespace

class ReviewPanelTest : public QObject {
    Q_OBJECT

private slots:
    void init() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("kf-%1.db").arg(++m_n));
        auto store = Store::open(m_path.toStdString());
        m_fixture = kf::widgets::testing::fillStore(store, 12);
    }

    void acceptWritesAReviewAndTheHistoryShowsIt() {
        ReviewPanel panel;
        panel.setStorePath(m_path);
        const auto& a = m_fixture.attempts[2]; // needs-work by "fixture"
        QSignalSpy loaded(&panel, &ReviewPanel::attemptLoaded);
        panel.setAttempt(a.id);
        QVERIFY(loaded.wait(20000));
        auto* history = panel.findChild<QTreeWidget*>();
        QVERIFY(history);
        QCOMPARE(history->topLevelItemCount(), 1);
        QCOMPARE(history->topLevelItem(0)->text(1), QStringLiteral("needs-work"));

        panel.setRating(4);
        panel.setNotes(QStringLiteral("Clean two-pass reduction; bounds checked."));
        panel.setReviewer(QStringLiteral("alice"));
        QSignalSpy reviewed(&panel, &ReviewPanel::reviewed);
        panel.acceptAction()->trigger();
        QVERIFY(reviewed.wait(20000));
        QCOMPARE(reviewed.first().at(0).toLongLong(), a.id);
        QCOMPARE(reviewed.first().at(1).toString(), QStringLiteral("accepted"));
        QCOMPARE(reviewed.first().at(2).toInt(), 4);

        const auto d = detailOf(m_path, a.id);
        QCOMPARE(d.reviews.size(), size_t(2));
        const auto& r = d.reviews.back();
        QVERIFY(r.status == ReviewStatus::Accepted);
        QCOMPARE(r.rating, 4);
        QCOMPARE(r.notes, std::string("Clean two-pass reduction; bounds checked."));
        QCOMPARE(r.reviewer, std::string("alice"));
        QVERIFY(r.kernel_id && *r.kernel_id == a.kernel_id);

        // The history reloads, newest first; the inputs are fresh for the next review.
        QTRY_COMPARE_WITH_TIMEOUT(history->topLevelItemCount(), 2, 20000);
        QCOMPARE(history->topLevelItem(0)->text(1), QStringLiteral("accepted"));
        QCOMPARE(history->topLevelItem(0)->text(2), QStringLiteral("4"));
        QCOMPARE(history->topLevelItem(0)->text(3), QStringLiteral("alice"));
        QCOMPARE(history->topLevelItem(0)->text(4),
                 QStringLiteral("Clean two-pass reduction; bounds checked."));
        QCOMPARE(panel.rating(), 0);
        QVERIFY(panel.notes().isEmpty());
    }

    void theActionsCarryTheirShortcuts() {
        ReviewPanel panel;
        QCOMPARE(panel.acceptAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+A")));
        QCOMPARE(panel.rejectAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+R")));
        QCOMPARE(panel.needsWorkAction()->shortcut(), QKeySequence(QStringLiteral("Ctrl+Shift+N")));
        QVERIFY(!panel.acceptAction()->isEnabled()); // nothing to review yet
        panel.setStorePath(m_path);
        panel.setAttempt(m_fixture.attempts[0].id);
        QVERIFY(panel.acceptAction()->isEnabled());
    }

    void reviewsAreStoredInTheOrderMade() {
        ReviewPanel panel;
        panel.setStorePath(m_path);
        const qint64 id = m_fixture.attempts[5].id;
        panel.setAttempt(id);
        QSignalSpy reviewed(&panel, &ReviewPanel::reviewed);
        panel.submit(ReviewStatus::Accepted);
        panel.submit(ReviewStatus::NeedsWork);
        panel.submit(ReviewStatus::Rejected);
        QTRY_COMPARE_WITH_TIMEOUT(reviewed.count(), 3, 20000);
        const auto d = detailOf(m_path, id);
        QVERIFY(d.reviews.back().status == ReviewStatus::Rejected);
        const auto rows = Store::open(m_path.toStdString()).list([&] {
            kf::dataset::AttemptFilter f;
            f.search = "marker_5";
            return f;
        }());
        QCOMPARE(rows.front().review_status, std::string("rejected"));
    }

    void submitForReviewsEachId() {
        ReviewPanel panel;
        panel.setStorePath(m_path);
        panel.setRating(2);
        QSignalSpy reviewed(&panel, &ReviewPanel::reviewed);
        const QList<qint64> ids{m_fixture.attempts[7].id, m_fixture.attempts[8].id};
        panel.submitFor(ids, ReviewStatus::NeedsWork);
        QTRY_COMPARE_WITH_TIMEOUT(reviewed.count(), 2, 20000);
        for (const qint64 id : ids) {
            const auto r = detailOf(m_path, id).reviews.back();
            QVERIFY(r.status == ReviewStatus::NeedsWork);
            QCOMPARE(r.rating, 2);
        }
    }

    void nearDuplicatesAreFlagged() {
        // A second attempt at the same spec whose kernel differs from attempt 0's only by a comment.
        auto store = Store::open(m_path.toStdString());
        const auto first = *store.attempt(m_fixture.attempts[0].id);
        auto copy = first.attempt;
        copy.id = 0;
        copy.created_at = "2026-03-01T00:00:00Z";
        const auto id = store.addAttempt(copy);
        kf::dataset::KernelRecord k;
        k.attempt_id = id;
        k.source = "// my version\n" + first.kernels.back().source;
        k.origin = "teacher";
        store.addKernel(k);

        ReviewPanel panel;
        panel.setStorePath(m_path);
        QSignalSpy checked(&panel, &ReviewPanel::nearDuplicatesChecked);
        panel.setAttempt(id);
        QVERIFY(checked.wait(20000));
        QCOMPARE(checked.first().at(0).toLongLong(), id);
        auto* flag = panel.findChild<QLabel*>(QStringLiteral("nearDuplicates"));
        QVERIFY(flag);
        QVERIFY(!flag->isHidden());
        QVERIFY2(flag->text().contains(QStringLiteral("attempt %1").arg(m_fixture.attempts[0].id)),
                 qPrintable(flag->text()));

        panel.setAttempt(m_fixture.attempts[3].id); // a kernel of its own
        QVERIFY(checked.wait(20000));
        QVERIFY(checked.last().at(1).toString().isEmpty());
        QVERIFY(flag->isHidden());
    }

    void aMissingAttemptIsReported() {
        ReviewPanel panel;
        panel.setStorePath(m_path);
        panel.setAttempt(987654);
        auto* message = panel.findChild<QLabel*>(QStringLiteral("reviewMessage"));
        QTRY_VERIFY_WITH_TIMEOUT(message->text().contains(QStringLiteral("No attempt 987654")), 20000);
        QSignalSpy failed(&panel, &ReviewPanel::reviewFailed);
        panel.submit(ReviewStatus::Accepted);
        QVERIFY(failed.wait(20000));
        QVERIFY(failed.first().at(1).toString().contains(QStringLiteral("No attempt 987654")));
    }

    void anEmptyReviewerIsRefused() {
        ReviewPanel panel;
        panel.setStorePath(m_path);
        const qint64 id = m_fixture.attempts[9].id;
        panel.setAttempt(id);
        panel.setReviewer(QStringLiteral("  "));
        QSignalSpy reviewed(&panel, &ReviewPanel::reviewed);
        panel.submit(ReviewStatus::Accepted);
        QVERIFY(panel.waitForIdle());
        QCoreApplication::processEvents();
        QCOMPARE(reviewed.count(), 0);
        QVERIFY(panel.findChild<QLabel*>(QStringLiteral("reviewMessage"))
                    ->text()
                    .contains(QStringLiteral("Reviewer")));
        QVERIFY(detailOf(m_path, id).reviews.empty());
    }

    void theReviewerDefaultsToTheLoginName() {
        const QByteArray saved = qgetenv("USER");
        qputenv("USER", "zoe");
        ReviewPanel panel;
        qputenv("USER", saved);
        QCOMPARE(panel.reviewer(), QStringLiteral("zoe"));
    }

    void theRatingToggles() {
        ReviewPanel panel;
        panel.setRating(3);
        QCOMPARE(panel.rating(), 3);
        panel.setRating(7); // out of range: ignored
        QCOMPARE(panel.rating(), 3);
        panel.setRating(0);
        QCOMPARE(panel.rating(), 0);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_n = 0;
    Fixture m_fixture;
};

QTEST_MAIN(ReviewPanelTest)
#include "review_panel_test.moc"
