// SPDX-License-Identifier: MIT
// ExportDialog: exports a real store into a temporary folder (files and row counts checked line by line),
// the browser-filter scope, the progress bar, cancel, and clear errors for bad input and unwritable folders.
#include "dataset_fixture.h"
#include "widgets/dataset/export_dialog.h"

#include <QDir>
#include <QFile>
#include <QProgressBar>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtConcurrent/QtConcurrentRun>

using kf::dataset::Store;
using kf::widgets::ExportDialog;
using kf::widgets::testing::Fixture;
using kf::widgets::testing::FixtureAttempt;

namespace {

// Lines in every data/<config>/*.jsonl shard.
qint64 rowsIn(const QString& outDir, const QString& config) {
    qint64 lines = 0;
    const QDir dir(outDir + QStringLiteral("/data/") + config);
    for (const auto& name : dir.entryList({QStringLiteral("*.jsonl")}, QDir::Files)) {
        QFile f(dir.filePath(name));
        if (!f.open(QIODevice::ReadOnly)) {
            return -1;
        }
        while (!f.atEnd()) {
            lines += f.readLine().trimmed().isEmpty() ? 0 : 1;
        }
    }
    return lines;
}

} // namespace

class ExportDialogTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("kf.db"));
        auto store = Store::open(m_path.toStdString());
        m_fixture = kf::widgets::testing::fillStore(store, 40);
    }

    void exportsTheAcceptedAttempts() {
        ExportDialog dialog(m_path);
        const QString out = m_dir.filePath(QStringLiteral("out-accepted"));
        dialog.setOutDir(out);
        QCOMPARE(dialog.configs(), (QStringList{"sft", "full", "preference"}));
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        dialog.startExport();
        QVERIFY(dialog.isRunning());
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), true);
        QVERIFY2(dialog.errorText().isEmpty(), qPrintable(dialog.errorText()));

        const qint64 accepted =
            m_fixture.count([](const FixtureAttempt& a) { return a.review_status == "accepted"; });
        const auto& r = dialog.result();
        QCOMPARE(qint64(r.sft_rows), accepted);
        QCOMPARE(qint64(r.full_rows), accepted);
        QVERIFY(r.preference_rows > 0); // accepted against rejected or failing attempts of the same spec
        QCOMPARE(rowsIn(out, QStringLiteral("sft")), qint64(r.sft_rows));
        QCOMPARE(rowsIn(out, QStringLiteral("full")), qint64(r.full_rows));
        QCOMPARE(rowsIn(out, QStringLiteral("preference")), qint64(r.preference_rows));
        for (const auto& f : r.files) {
            QVERIFY2(QFile::exists(out + QLatin1Char('/') + QString::fromStdString(f)), f.c_str());
        }
        QVERIFY(QFile::exists(out + QStringLiteral("/README.md")));
        QVERIFY(QFile::exists(out + QStringLiteral("/MANIFEST.sha256")));
        // The bar ran to the end of the attempts the export walked: all 40, since preference pairs need the
        // rejected ones too.
        QCOMPARE(dialog.progressBar()->maximum(), 40);
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());
        QVERIFY(!dialog.isRunning());
    }

    void exportsWhatTheBrowserFilterMatches() {
        ExportDialog dialog(m_path);
        kf::dataset::AttemptFilter f;
        f.spec_id = "gemm-f16";
        f.limit = 200; // a browser's page size: not a limit on the export
        dialog.setBrowserFilter(f);
        dialog.setScope(ExportDialog::Scope::BrowserFilter);
        dialog.setConfigs({QStringLiteral("full")});
        const QString out = m_dir.filePath(QStringLiteral("out-gemm"));
        dialog.setOutDir(out);
        const auto options = dialog.options();
        QVERIFY(options.include_all); // no review status chosen: every status
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        dialog.startExport();
        QVERIFY(finished.wait(60000));
        QVERIFY2(finished.first().first().toBool(), qPrintable(dialog.errorText()));
        const qint64 gemm = m_fixture.count([](const FixtureAttempt& a) { return a.spec_id == "gemm-f16"; });
        QCOMPARE(qint64(dialog.result().full_rows), gemm);
        QCOMPARE(rowsIn(out, QStringLiteral("full")), gemm);
        QVERIFY(!QDir(out + QStringLiteral("/data/sft")).exists());

        // With a review status in the filter, only that status.
        f.review_status = "rejected";
        dialog.setBrowserFilter(f);
        QVERIFY(!dialog.options().include_all);
        finished.clear();
        dialog.startExport();
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().first().toBool());
        QCOMPARE(qint64(dialog.result().full_rows), m_fixture.count([](const FixtureAttempt& a) {
            return a.spec_id == "gemm-f16" && a.review_status == "rejected";
        }));
    }

    void anUnwritableFolderIsAClearError() {
        // A regular file where a folder must be: no permission trick that root would pass through.
        const QString blocker = m_dir.filePath(QStringLiteral("blocker"));
        QFile file(blocker);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a folder\n");
        file.close();
        ExportDialog dialog(m_path);
        dialog.setOutDir(blocker + QStringLiteral("/out"));
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        dialog.startExport();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(dialog.errorText().startsWith(QStringLiteral("Export failed: ")),
                 qPrintable(dialog.errorText()));
        QVERIFY2(dialog.errorText().contains(blocker), qPrintable(dialog.errorText()));
        QVERIFY(!dialog.isRunning());
    }

    void badInputIsRefusedBeforeStarting() {
        ExportDialog dialog(m_path);
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        dialog.startExport();
        QCOMPARE(dialog.errorText(), QStringLiteral("Choose an output folder."));
        dialog.setOutDir(m_dir.filePath(QStringLiteral("out-none")));
        dialog.setConfigs({});
        dialog.startExport();
        QVERIFY(dialog.errorText().startsWith(QStringLiteral("Choose at least one config")));
        QVERIFY(!dialog.isRunning());
        QCOMPARE(finished.count(), 0);
        QVERIFY(!QDir(m_dir.filePath(QStringLiteral("out-none"))).exists());
    }

    void cancelStopsTheExport() {
        ExportDialog dialog(m_path);
        const QString out = m_dir.filePath(QStringLiteral("out-cancelled"));
        dialog.setOutDir(out);
        // Hold the export's thread so that the cancel certainly comes before the first attempt.
        QSemaphore gate;
        (void)QtConcurrent::run(dialog.workerPool(), [&gate] { gate.acquire(); });
        QSignalSpy finished(&dialog, &ExportDialog::exportFinished);
        dialog.startExport();
        dialog.cancelExport();
        gate.release();
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().first().toBool(), false);
        QVERIFY2(dialog.errorText().contains(QStringLiteral("cancelled")), qPrintable(dialog.errorText()));
        QVERIFY(!QFile::exists(out + QStringLiteral("/MANIFEST.sha256")));
        QVERIFY(!QFile::exists(out + QStringLiteral("/README.md")));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    Fixture m_fixture;
};

QTEST_MAIN(ExportDialogTest)
#include "export_dialog_test.moc"
