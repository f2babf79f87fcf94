// SPDX-License-Identifier: MIT
#include "core/runner/job_setup.h"
#include "widgets/results/compile_summary_model.h"
#include "widgets/results/results_view.h"
#include "widgets/results/size_checks_model.h"
#include "widgets/results/size_timings_model.h"
#include "widgets/results/stage_progress.h"
#include "widgets/results/verdict_banner.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QLocale>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <fstream>
#include <sstream>

using kf::widgets::CompileSummaryModel;
using kf::widgets::ResultsView;
using kf::widgets::SizeChecksModel;
using kf::widgets::SizeTimingsModel;
using State = kf::widgets::StageProgress::State;

namespace {

std::string readFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// A recorded event stream: one JSON event a line.
nlohmann::json events(const char* fixture) {
    nlohmann::json out = nlohmann::json::array();
    std::istringstream lines(readFile(std::string(KF_FIXTURES) + "/" + fixture));
    for (std::string line; std::getline(lines, line);) {
        if (!line.empty()) {
            out.push_back(nlohmann::json::parse(line));
        }
    }
    return out;
}

// The job a run of the softmax spec starts from, built as the workbench builds it.
nlohmann::json softmaxJob() {
    const std::string path = std::string(KF_SOURCE_DIR) + "/resources/specs/softmax-rows-f32.kspec.yaml";
    std::string error;
    auto job = kf::runner::jobFromSpecText(kf::runner::JobKind::Run, readFile(path), path, "softmax.cu",
                                           "// the candidate", {}, &error);
    if (!job) {
        qFatal("the softmax spec does not load: %s", error.c_str());
    }
    return nlohmann::json(kf::runner::jobToJson(*job));
}

QString cell(const QAbstractItemModel* m, int row, int column) {
    return m->index(row, column).data().toString();
}

} // namespace

class ResultsViewTest : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void plansEverySizeOfTheJob() {
        ResultsView view;
        view.beginRun(softmaxJob());
        QCOMPARE(view.checksModel()->rowCount(), 5);
        QCOMPARE(cell(view.checksModel(), 0, SizeChecksModel::Size), QStringLiteral("rows=4096 cols=8192"));
        QCOMPARE(cell(view.checksModel(), 4, SizeChecksModel::Checks), QStringLiteral("pending"));
        QCOMPARE(view.progress()->stages(), (QStringList{"compile", "load", "check", "time"}));
        QCOMPARE(view.progress()->state("compile"), State::Pending);
        QCOMPARE(view.timingsModel()->baselineName(), QStringLiteral("reference"));
        QVERIFY(view.banner()->headline().contains("Starting"));
    }

    void fillsFromAPassingRunEventByEvent() {
        ResultsView view;
        QAbstractItemModelTester compileTester(view.compileModel(),
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester checksTester(view.checksModel(),
                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester timingsTester(view.timingsModel(),
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.beginRun(softmaxJob());
        const nlohmann::json stream = events("softmax-pass.jsonl");
        bool sawMidRun = false;
        for (const auto& ev : stream) {
            view.addEvent(ev);
            // Midway through: the third size is being timed.
            if (ev["event"] == "stage" && ev["stage"] == "time" && ev["size_index"] == 2) {
                sawMidRun = true;
                QCOMPARE(view.progress()->state("compile"), State::Done);
                QCOMPARE(view.progress()->state("load"), State::Done);
                QCOMPARE(view.progress()->state("check"), State::Visited);
                QCOMPARE(view.progress()->state("time"), State::Running);
                QCOMPARE(view.progress()->stageText("time"), QStringLiteral("▶ Time · size 3 of 5"));
                QCOMPARE(view.progress()->progressValue(), 3 + 2 * 2);
                QCOMPARE(view.banner()->headline(), QStringLiteral("Running: time, size 3 of 5"));
                QCOMPARE(view.banner()->verdict(), QString());
                QCOMPARE(cell(view.timingsModel(), 2, SizeTimingsModel::Median), QStringLiteral("waiting"));
                QCOMPARE(cell(view.timingsModel(), 3, SizeTimingsModel::Median), QStringLiteral("pending"));
            }
        }
        QVERIFY(sawMidRun);
        QCOMPARE(view.deviceText(), QStringLiteral("NVIDIA H200 · sm_90a · CUDA 13.0 · driver 13.0"));

        const auto* compile = view.compileModel();
        QCOMPARE(compile->rowCount(), 2);
        QCOMPARE(cell(compile, 0, CompileSummaryModel::Role), QStringLiteral("candidate"));
        QCOMPARE(cell(compile, 0, CompileSummaryModel::Result), QStringLiteral("ok"));
        QCOMPARE(cell(compile, 0, CompileSummaryModel::Seconds), QStringLiteral("2.41 s"));
        QCOMPARE(cell(compile, 1, CompileSummaryModel::Result), QStringLiteral("ok (cached)"));
        QCOMPARE(cell(compile, 1, CompileSummaryModel::Seconds), QStringLiteral("20 ms"));
        QCOMPARE(compile->index(0, CompileSummaryModel::Errors).data().toInt(), 0);
        QVERIFY(cell(compile, 0, CompileSummaryModel::Kernels).startsWith("softmax_rows_regs<8>: 40 regs"));

        const auto* checks = view.checksModel();
        QCOMPARE(checks->rowCount(), 5);
        QCOMPARE(cell(checks, 0, SizeChecksModel::Checks),
                 QStringLiteral("5/5")); // 3 seeds, stream, after timing
        QCOMPARE(cell(checks, 1, SizeChecksModel::Checks), QStringLiteral("2/2"));
        QCOMPARE(cell(checks, 0, SizeChecksModel::WorstRelL2), QStringLiteral("2.76e-07"));
        QCOMPARE(cell(checks, 3, SizeChecksModel::Size), QStringLiteral("rows=1543 cols=12289"));

        const auto* t = view.timingsModel();
        QCOMPARE(cell(t, 0, SizeTimingsModel::Median), QStringLiteral("96.7"));
        QCOMPARE(cell(t, 0, SizeTimingsModel::Iqr), QStringLiteral("0.70"));
        QCOMPARE(cell(t, 0, SizeTimingsModel::Samples), QStringLiteral("120"));
        QCOMPARE(cell(t, 0, SizeTimingsModel::BaselineMedian), QStringLiteral("280.8"));
        QCOMPARE(cell(t, 0, SizeTimingsModel::BaselineIqr), QStringLiteral("1.60"));
        QCOMPARE(cell(t, 0, SizeTimingsModel::Speedup), QStringLiteral("2.90×"));
        QCOMPARE(cell(t, 0, SizeTimingsModel::Gbps), QStringLiteral("2,776"));
        QCOMPARE(cell(t, 0, SizeTimingsModel::Gflops), QStringLiteral("1,735"));
        QCOMPARE(cell(t, 1, SizeTimingsModel::Speedup), QStringLiteral("209×"));
        QCOMPARE(cell(t, 1, SizeTimingsModel::Flags), QStringLiteral("speedup>10x"));
        QCOMPARE(cell(t, 1, SizeTimingsModel::BaselineSamples), QStringLiteral("60"));
        QCOMPARE(cell(t, 2, SizeTimingsModel::Median), QStringLiteral("4.90"));
        QCOMPARE(t->headerData(SizeTimingsModel::BaselineMedian, Qt::Horizontal).toString(),
                 QStringLiteral("Reference µs"));

        QCOMPARE(view.banner()->verdict(), QStringLiteral("pass"));
        QCOMPARE(view.banner()->headline(),
                 QStringLiteral("PASS · 2.90× vs the reference at the headline size (geomean 8.08×)"));
        QCOMPARE(view.banner()->flags(), QStringList{"speedup>10x"});
        QVERIFY(view.banner()->reasons().isEmpty());
        for (const char* stage : {"compile", "load", "check", "time"}) {
            QCOMPARE(view.progress()->state(stage), State::Done);
        }
        QCOMPARE(view.progress()->progressValue(), view.progress()->progressMaximum());
        QCOMPARE(QString::fromStdString(view.summary().verdict()), QStringLiteral("pass"));
    }

    void aCompileErrorShowsItsDiagnostics() {
        ResultsView view;
        QAbstractItemModelTester tester(view.compileModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy jumps(&view, &ResultsView::diagnosticActivated);
        view.showRun(softmaxJob(), events("softmax-compile-error.jsonl"));
        const auto* compile = view.compileModel();
        QCOMPARE(compile->rowCount(), 2);
        QCOMPARE(cell(compile, 0, CompileSummaryModel::Result), QStringLiteral("failed"));
        QCOMPARE(compile->index(0, CompileSummaryModel::Errors).data().toInt(), 2);
        QCOMPARE(compile->index(0, CompileSummaryModel::Warnings).data().toInt(), 1);
        QCOMPARE(cell(compile, 0, CompileSummaryModel::FirstError),
                 QStringLiteral("softmax.cu:42:17: identifier \"blockDimx\" is undefined"));
        QCOMPARE(view.progress()->state("compile"), State::Failed);
        QCOMPARE(view.progress()->state("check"), State::Skipped);
        QCOMPARE(view.progress()->stageText("time"), QStringLiteral("– Time · not run"));
        QCOMPARE(view.banner()->verdict(), QStringLiteral("fail"));
        QVERIFY(view.banner()->reasons().first().startsWith("does not compile: softmax.cu:42:17"));
        QCOMPARE(cell(view.checksModel(), 0, SizeChecksModel::Checks), QStringLiteral("not reached"));

        // Activating the failed compile's row asks for a jump to its first error.
        auto* table = view.findChildren<QTableView*>().first();
        QCOMPARE(table->model(), compile);
        emit table->activated(compile->index(0, CompileSummaryModel::FirstError));
        QCOMPARE(jumps.count(), 1);
        QCOMPARE(jumps[0], (QList<QVariant>{QStringLiteral("softmax.cu"), 42, 17}));
        emit table->activated(
            compile->index(1, CompileSummaryModel::Role)); // the reference: nothing to jump to
        QCOMPARE(jumps.count(), 1);
    }

    void wrongValuesStopTheTimings() {
        ResultsView view;
        QAbstractItemModelTester checksTester(view.checksModel(),
                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester timingsTester(view.timingsModel(),
                                               QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.showRun(softmaxJob(), events("softmax-wrong-values.jsonl"));
        const auto* checks = view.checksModel();
        QCOMPARE(cell(checks, 0, SizeChecksModel::Checks), QStringLiteral("5/5"));
        QCOMPARE(cell(checks, 1, SizeChecksModel::Checks), QStringLiteral("0/1"));
        QCOMPARE(cell(checks, 1, SizeChecksModel::WorstRelL2), QStringLiteral("1.00e+00"));
        QVERIFY(cell(checks, 1, SizeChecksModel::Problems).startsWith("wrong values: 1000003 of 1000003"));
        QCOMPARE(cell(checks, 2, SizeChecksModel::Checks), QStringLiteral("1/1"));
        const auto* t = view.timingsModel();
        QCOMPARE(cell(t, 0, SizeTimingsModel::Median), QStringLiteral("96.7"));
        QCOMPARE(cell(t, 1, SizeTimingsModel::Median), QStringLiteral("not timed: wrong"));
        QCOMPARE(cell(t, 2, SizeTimingsModel::Median), QStringLiteral("not timed"));
        QCOMPARE(view.progress()->state("check"), State::Failed);
        QCOMPARE(view.banner()->verdict(), QStringLiteral("fail"));
        QCOMPARE(view.banner()->headline(), QStringLiteral("FAIL"));
        QCOMPARE(view.banner()->reasons().size(), 1);
    }

    void aNewRunStartsOver() {
        ResultsView view;
        QAbstractItemModelTester tester(view.timingsModel(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        view.showRun(softmaxJob(), events("softmax-pass.jsonl"));
        QCOMPARE(view.banner()->verdict(), QStringLiteral("pass"));
        view.beginRun(softmaxJob());
        QCOMPARE(view.banner()->verdict(), QString());
        QCOMPARE(view.compileModel()->rowCount(), 0);
        QCOMPARE(cell(view.timingsModel(), 0, SizeTimingsModel::Median), QStringLiteral("pending"));
        QCOMPARE(cell(view.timingsModel(), 0, SizeTimingsModel::Speedup), QString());
        QCOMPARE(view.summary().events().size(), std::size_t{0});
        view.clear();
        QCOMPARE(view.checksModel()->rowCount(), 0);
        QVERIFY(view.banner()->headline().contains("No run yet"));
    }

    void rendersFilledFromEvents() {
        ResultsView view;
        view.resize(1100, 720);
        view.showRun(softmaxJob(), events("softmax-pass.jsonl"));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        const QImage image = view.grab().toImage();
        QVERIFY(!image.isNull());
        const QString dir = qEnvironmentVariable("KF_SCREENSHOT_DIR");
        if (!dir.isEmpty()) {
            QDir().mkpath(dir);
            QVERIFY(image.save(dir + "/results-view-pass.png"));
            ResultsView failed;
            failed.resize(1100, 560);
            failed.showRun(softmaxJob(), events("softmax-compile-error.jsonl"));
            failed.show();
            QVERIFY(QTest::qWaitForWindowExposed(&failed));
            QVERIFY(failed.grab().save(dir + "/results-view-compile-error.png"));
        }
    }
};

QTEST_MAIN(ResultsViewTest)
#include "results_view_test.moc"
