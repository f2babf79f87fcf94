// SPDX-License-Identifier: MIT
// Runs recorded from the real kf-runner on an H200, replayed into the results view and the roofline: what
// the window shows for a real pass and a real failure.
#include "core/runner/job.h"
#include "widgets/results/results_view.h"
#include "widgets/results/size_timings_model.h"
#include "widgets/results/verdict_banner.h"
#include "widgets/roofline/roofline_chart.h"

#include <QFile>
#include <QTest>
#include <nlohmann/json.hpp>

using kf::widgets::ResultsView;
using kf::widgets::RooflineChart;

namespace {

nlohmann::json readEvents(const char* name) {
    QFile f(QStringLiteral(KF_RECORDED "/") + QString::fromLatin1(name));
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("cannot read %s", name);
    }
    nlohmann::json events = nlohmann::json::array();
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (!line.trimmed().isEmpty()) {
            events.push_back(nlohmann::json::parse(line.toStdString()));
        }
    }
    return events;
}

nlohmann::json readJob() {
    QFile f(QStringLiteral(KF_RECORDED "/softmax-gold.job.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("cannot read the job");
    }
    return nlohmann::json::parse(f.readAll().toStdString());
}

} // namespace

class RecordedRunTest : public QObject {
    Q_OBJECT
private slots:
    void aRealPassShowsEverySizeTimed() {
        ResultsView view;
        view.showRun(readJob(), readEvents("h200-softmax-gold.jsonl"));
        QCOMPARE(view.banner()->verdict(), QString("pass"));
        QCOMPARE(view.timingsModel()->rowCount(), 5); // the spec's five sizes
        QVERIFY(view.summary().speedup().has_value());
        QVERIFY(*view.summary().speedup() > 1.0);
        // The reference is naive: the gold kernel is flagged for a reviewer's look.
        QVERIFY(view.banner()->flags().join(' ').contains("10x"));
    }

    void aRealFailureNamesTheWrongElements() {
        ResultsView view;
        view.showRun(readJob(), readEvents("h200-softmax-tail-unwritten.jsonl"));
        QCOMPARE(view.banner()->verdict(), QString("fail"));
        QVERIFY(view.banner()->reasons().join(' ').contains("wrong values"));
        QVERIFY(view.banner()->reasons().join(' ').contains("worst y["));
    }

    void theRooflinePlacesTheRecordedRunOnTheRecordedCeilings() {
        const auto calibration = readEvents("h200-calibrate.jsonl");
        nlohmann::json ceilings;
        for (const auto& e : calibration) {
            if (e.value("event", "") == "ceilings") {
                ceilings = e;
                ceilings["device"] = calibration.at(0)["device"];
            }
        }
        QVERIFY(ceilings.is_object());
        RooflineChart chart;
        chart.setCeilings(ceilings);
        const auto job = readJob();
        chart.setSpec(*kf::runner::jobFromJson(job).spec);
        chart.setRunEvents(readEvents("h200-softmax-gold.jsonl"),
                           job["candidate"]["name"].get<std::string>());
        QVERIFY2(chart.messageText().isEmpty() || !chart.messageText().contains("calibrate"),
                 qPrintable(chart.messageText()));
        QVERIFY2(chart.noteText().isEmpty(), qPrintable(chart.noteText()));
    }
};

QTEST_MAIN(RecordedRunTest)
#include "recorded_run_test.moc"
