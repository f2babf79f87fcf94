// SPDX-License-Identifier: MIT
#include "core/roofline/ceilings_store.h"
#include "core/runner/job.h"
#include "core/spec/spec_loader.h"
#include "widgets/results/run_controller.h"
#include "widgets/roofline/roofline_chart.h"

#include <QBarCategoryAxis>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QDir>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QScatterSeries>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

using kf::roofline::PerfPoint;
using kf::roofline::PointRole;
using kf::widgets::RooflineChart;

namespace {

// The H200's calibration, as kf-runner's `ceilings` event carries it.
nlohmann::json h200() {
    return {{"event", "ceilings"},  {"device", {{"name", "NVIDIA H200"}, {"uuid", "GPU-5f1c0c7e"}}},
            {"dram_gbps", 4272.0},  {"l2_gbps", 9812.0},
            {"fp32_tflops", 64.7},  {"fp64_tflops", 33.4},
            {"tf32_tflops", 353.0}, {"fp16_tflops", 640.0},
            {"bf16_tflops", 690.0}};
}

kf::spec::Spec exampleSpec(const char* id) {
    const auto loaded =
        kf::spec::loadSpecFile(std::string(KF_SOURCE_DIR) + "/resources/specs/" + id + ".kspec.yaml");
    if (!loaded.ok) {
        qFatal("%s does not load", id);
    }
    return loaded.spec;
}

nlohmann::json timed(const kf::spec::Spec& spec, int index, const char* who, double median_us) {
    nlohmann::json size = nlohmann::json::object();
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        size[spec.params[i]] = spec.sizes[static_cast<std::size_t>(index)].values[i];
    }
    return {
        {"event", "timed"}, {"size_index", index}, {"size", size}, {"who", who}, {"median_us", median_us}};
}

// Candidate and reference at every size of the softmax spec (docs/gold-kernels.md, H200).
nlohmann::json softmaxRun(const kf::spec::Spec& spec) {
    const double gold[] = {96.7, 18.0, 4.9, 60.0, 27.4};
    const double reference[] = {280.8, 3769.8, 6.0, 193.4, 393.9};
    nlohmann::json events = nlohmann::json::array();
    for (int i = 0; i < 5; ++i) {
        events.push_back(timed(spec, i, "candidate", gold[i]));
        events.push_back(timed(spec, i, "baseline", reference[i]));
    }
    return events;
}

template <typename T>
T* seriesById(QChart* chart, const QString& id) {
    for (QAbstractSeries* s : chart->series()) {
        if (s->objectName() == id) {
            return qobject_cast<T*>(s);
        }
    }
    return nullptr;
}

QStringList seriesIds(QChart* chart) {
    QStringList ids;
    for (QAbstractSeries* s : chart->series()) {
        ids << s->objectName();
    }
    return ids;
}

bool near(double a, double b) {
    return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b));
}

void save(QWidget& w, const QString& name) {
    const QString dir = qEnvironmentVariable("KF_SCREENSHOT_DIR");
    if (!dir.isEmpty()) {
        QDir().mkpath(dir);
        QCoreApplication::processEvents(); // a chart set just now is laid out on the next pass
        QVERIFY(w.grab().save(dir + "/" + name));
    }
}

} // namespace

class RooflineChartTest : public QObject {
    Q_OBJECT
private slots:
    void drawsRoofsRidgesAndEveryPoint() {
        const auto spec = exampleSpec("softmax-rows-f32");
        RooflineChart chart;
        chart.setCeilings(h200());
        chart.setSpec(spec);
        chart.setRunEvents(softmaxRun(spec), "softmax.cu");
        QVERIFY(!chart.bandwidthView());
        QCOMPARE(chart.messageText(), QString());
        QCOMPARE(chart.noteText(), QString());
        // FP64 is drawn only for fp64 work; the fp32 spec's own roof is the solid one.
        QCOMPARE(seriesIds(chart.chart()),
                 (QStringList{"roof:dram_gbps", "roof:l2_gbps", "roof:fp32_tflops", "roof:tf32_tflops",
                              "roof:fp16_tflops", "roof:bf16_tflops", "ridges", "reference", "candidate"}));
        QCOMPARE(seriesById<QLineSeries>(chart.chart(), "roof:fp32_tflops")->pen().style(), Qt::SolidLine);
        QCOMPARE(seriesById<QLineSeries>(chart.chart(), "roof:tf32_tflops")->pen().style(), Qt::DashLine);

        auto* candidate = seriesById<QScatterSeries>(chart.chart(), "candidate");
        QCOMPARE(candidate->count(), 5);
        QCOMPARE(seriesById<QScatterSeries>(chart.chart(), "reference")->count(), 5);
        QVERIFY(candidate->markerShape() !=
                seriesById<QScatterSeries>(chart.chart(), "reference")->markerShape());
        // rows=4096 cols=8192 at 96.7 us: 5 FLOPs over 8 bytes per element.
        QVERIFY(near(candidate->at(0).x(), 0.625));
        QVERIFY(near(candidate->at(0).y(), 5.0 * 4096 * 8192 / 96.7 / 1e3));
        QVERIFY(near(candidate->at(2).y(), 5.0 * 333 * 77 / 4.9 / 1e3));

        // The DRAM slope is bandwidth x intensity; each compute roof is flat at its peak.
        auto* dram = seriesById<QLineSeries>(chart.chart(), "roof:dram_gbps");
        QVERIFY(near(dram->at(0).y(), 4272 * dram->at(0).x()));
        QVERIFY(near(dram->at(1).y(), 690000)); // up to the highest roof
        auto* fp32 = seriesById<QLineSeries>(chart.chart(), "roof:fp32_tflops");
        QVERIFY(near(fp32->at(0).y(), 64700) && near(fp32->at(1).y(), 64700));
        QVERIFY(near(fp32->at(0).x(), 64700.0 / 9812)); // from where it meets the L2 slope
        auto* ridges = seriesById<QScatterSeries>(chart.chart(), "ridges");
        QCOMPARE(ridges->count(), 4);
        QVERIFY(near(ridges->at(0).x(), 64700.0 / 4272));

        auto* x = qobject_cast<QLogValueAxis*>(chart.chart()->axes(Qt::Horizontal).first());
        QVERIFY(x != nullptr);
        QVERIFY(x->min() <= 0.3 && x->max() >= 690000.0 / 4272);
        const QStringList labels = chart.chartLabels();
        QVERIFY(labels.contains("DRAM 4272 GB/s"));
        QVERIFY(labels.contains("L2 9812 GB/s"));
        QVERIFY(labels.contains("FP32 64.7 TFLOP/s"));
        QVERIFY(labels.contains("BF16 tensor 690 TFLOP/s"));
        QVERIFY(labels.contains("ridge 15.1 FLOP/B"));
    }

    void hoverNamesThePointAndItsRoof() {
        const auto spec = exampleSpec("softmax-rows-f32");
        RooflineChart chart;
        chart.setCeilings(h200());
        chart.setSpec(spec);
        chart.setPoints({kf::roofline::pointFromMedian(PointRole::Candidate, "softmax.cu", spec, 0, 67.6)});
        auto* candidate = seriesById<QScatterSeries>(chart.chart(), "candidate");
        emit candidate->hovered(candidate->at(0), true);
        const QString text = chart.hoverText();
        QVERIFY2(text.contains("softmax.cu (candidate)"), qPrintable(text));
        QVERIFY(text.contains("rows=4096 cols=8192"));
        QVERIFY(text.contains("67.6 µs"));
        QVERIFY(text.contains("0.625 FLOP/byte"));
        QVERIFY2(text.contains("93% of the DRAM roof"), qPrintable(text)); // 3971 of 4272 GB/s
        QVERIFY(chart.chartLabels().contains("93% of DRAM")); // the headline candidate says it on the chart
    }

    void pointsOffTheLogAxesAreNamedNotDropped() {
        const auto spec = exampleSpec("softmax-rows-f32");
        RooflineChart chart;
        chart.setCeilings(h200());
        chart.setSpec(spec);
        auto events = softmaxRun(spec);
        events[2]["median_us"] = 0.0;     // candidate at rows=1 cols=1000003
        events[5]["median_us"] = nullptr; // reference at rows=333 cols=77
        chart.setRunEvents(events, "softmax.cu");
        QCOMPARE(seriesById<QScatterSeries>(chart.chart(), "candidate")->count(), 4);
        QCOMPARE(seriesById<QScatterSeries>(chart.chart(), "reference")->count(), 4);
        const QString note = chart.noteText();
        QVERIFY2(note.startsWith("Not drawn on the log axes:"), qPrintable(note));
        QVERIFY(
            note.contains("softmax.cu (candidate) at rows=1 cols=1000003: its time is 0 us, not positive"));
        QVERIFY(note.contains("reference at rows=333 cols=77: no time was measured"));
    }

    void withoutCeilingsALineSaysToCalibrate() {
        const auto spec = exampleSpec("softmax-rows-f32");
        RooflineChart chart;
        chart.setSpec(spec);
        chart.setRunEvents(softmaxRun(spec), "softmax.cu");
        QVERIFY(chart.messageText().contains("run “kforge calibrate”"));
        QCOMPARE(seriesIds(chart.chart()), (QStringList{"reference", "candidate"})); // the points, no roofs
        chart.setCeilings({{"dram_gbps", "fast"}});
        QVERIFY2(chart.messageText().contains("dram_gbps: expected a number"),
                 qPrintable(chart.messageText()));
        QVERIFY(!chart.ceilings().has_value());
        chart.setCeilings(h200());
        QCOMPARE(chart.messageText(), QString());
        QVERIFY(chart.chart()->title().contains("NVIDIA H200"));
    }

    void fp64WorkIsBoundByTheFp64Roof() {
        auto spec = exampleSpec("softmax-rows-f32");
        spec.outputs.front().dtype = kf::spec::DType::F64;
        RooflineChart chart;
        chart.setCeilings(h200());
        chart.setSpec(spec);
        auto* fp64 = seriesById<QLineSeries>(chart.chart(), "roof:fp64_tflops");
        QVERIFY(fp64 != nullptr);
        QCOMPARE(fp64->pen().style(), Qt::SolidLine);
        QCOMPARE(seriesById<QLineSeries>(chart.chart(), "roof:fp32_tflops")->pen().style(), Qt::DashLine);
    }

    void theTrailJoinsEarlierVersionsToTheCandidate() {
        const auto spec = exampleSpec("softmax-rows-f32");
        RooflineChart chart;
        chart.setCeilings(h200());
        chart.setSpec(spec);
        chart.setPoints({kf::roofline::pointFromMedian(PointRole::Candidate, "softmax.cu", spec, 0, 67.6)});
        chart.setVersionTrail({kf::roofline::pointFromMedian(PointRole::Version, "v1", spec, 0, 412.0),
                               kf::roofline::pointFromMedian(PointRole::Version, "v2", spec, 0, 131.5)});
        auto* trail = seriesById<QLineSeries>(chart.chart(), "trail");
        QVERIFY(trail != nullptr);
        QCOMPARE(trail->count(), 3);
        QVERIFY(near(trail->at(0).y(), 5.0 * 4096 * 8192 / 412.0 / 1e3));
        QVERIFY(near(trail->at(2).y(), 5.0 * 4096 * 8192 / 67.6 / 1e3)); // ends at the candidate
        QCOMPARE(seriesById<QScatterSeries>(chart.chart(), "version")->count(), 2);
    }

    void aSpecWithoutFlopsGetsBandwidthBars() {
        const auto spec = exampleSpec("transpose-f32");
        RooflineChart chart;
        chart.setCeilings(h200());
        chart.setSpec(spec);
        nlohmann::json events = nlohmann::json::array();
        const double gold[] = {197.0, 7.2, 7.8, 15.0, 39.4};
        for (int i = 0; i < 5; ++i) {
            events.push_back(timed(spec, i, "candidate", gold[i]));
        }
        events.push_back(timed(spec, 0, "baseline", 557.5));
        chart.setRunEvents(events, "transpose.cu");
        QVERIFY(chart.bandwidthView());
        QCOMPARE(chart.noteText(), QString()); // no FLOPs is not a fault here
        auto* bars = seriesById<QBarSeries>(chart.chart(), "bandwidth");
        QVERIFY(bars != nullptr);
        QCOMPARE(bars->count(), 2); // candidate and reference
        QBarSet* candidate = bars->barSets().at(0);
        QCOMPARE(candidate->label(), QStringLiteral("Candidate"));
        QCOMPARE(candidate->count(), 5);
        QVERIFY(near(candidate->at(0), 8.0 * 8192 * 8192 / 197.0 / 1e3));
        QCOMPARE(bars->barSets().at(1)->at(1), 0.0); // the reference was timed at the headline size only
        auto* dram = seriesById<QLineSeries>(chart.chart(), "roof:dram_gbps");
        QVERIFY(dram != nullptr && near(dram->at(0).y(), 4272));
        QVERIFY(seriesById<QLineSeries>(chart.chart(), "roof:l2_gbps") != nullptr);
        QVERIFY(chart.chartLabels().contains("DRAM 4272 GB/s"));
        auto* x = qobject_cast<QBarCategoryAxis*>(chart.chart()->axes(Qt::Horizontal).first());
        QVERIFY(x != nullptr);
        QCOMPARE(x->categories().first(), QStringLiteral("8192 × 8192"));
        QCOMPARE(x->titleText(), QStringLiteral("Size (rows × cols)"));

        emit candidate->hovered(true, 0);
        QVERIFY2(chart.hoverText().contains("% of the DRAM roof"), qPrintable(chart.hoverText()));

        // A point with a zero time has no bar: it is named.
        events[1]["median_us"] = 0.0;
        chart.setRunEvents(events, "transpose.cu");
        QVERIFY(chart.noteText().startsWith("Not in the bandwidth view:"));
        QVERIFY(
            chart.noteText().contains("transpose.cu (candidate) at rows=1023 cols=769: its time is 0 us"));
    }

    void followsAControllersRun() {
        // The GPU's stored profile, filed under its UUID.
        QTemporaryDir store;
        QVERIFY(store.isValid());
        auto profile = h200();
        profile["device"]["uuid"] = "GPU-attach-test";
        QCOMPARE(kf::roofline::CeilingsStore(store.path().toStdString()).save(profile), std::string());

        const auto spec = exampleSpec("softmax-rows-f32");
        kf::runner::Job job;
        job.spec = spec;
        job.candidate_name = "mine.cu";
        kf::widgets::RunController controller;
        RooflineChart chart;
        chart.attach(&controller, store.path());
        emit controller.started(1, nlohmann::json(kf::runner::jobToJson(job)));
        QVERIFY(chart.messageText().contains("kforge calibrate")); // nothing known yet
        QCOMPARE(chart.scene().sizeLabels.size(), 5);
        emit controller.eventArrived(
            {{"event", "hello"}, {"device", {{"name", "NVIDIA H200"}, {"uuid", "GPU-attach-test"}}}});
        QVERIFY(chart.ceilings().has_value());
        QCOMPARE(chart.messageText(), QString());
        emit controller.eventArrived(timed(spec, 0, "candidate", 96.7));
        emit controller.eventArrived(timed(spec, 0, "baseline", 280.8));
        auto* candidate = seriesById<QScatterSeries>(chart.chart(), "candidate");
        QVERIFY(candidate != nullptr);
        QCOMPARE(candidate->count(), 1);
        emit candidate->hovered(candidate->at(0), true);
        QVERIFY(chart.hoverText().startsWith("mine.cu (candidate)"));
        QCOMPARE(seriesById<QScatterSeries>(chart.chart(), "reference")->count(), 1);

        // The next run starts clean; on a GPU without a profile of its own, another GPU's roofs are dropped.
        emit controller.started(2, nlohmann::json(kf::runner::jobToJson(job)));
        QVERIFY(seriesById<QScatterSeries>(chart.chart(), "candidate") == nullptr);
        emit controller.eventArrived(
            {{"event", "hello"}, {"device", {{"name", "NVIDIA H100 80GB HBM3"}, {"uuid", "GPU-other"}}}});
        QVERIFY(!chart.ceilings().has_value());
        // A calibration's ceilings event brings them.
        emit controller.eventArrived(profile);
        QVERIFY(chart.ceilings().has_value());
    }

    void rendersToPng() {
        const auto softmax = exampleSpec("softmax-rows-f32");
        RooflineChart chart;
        chart.resize(900, 600);
        chart.setCeilings(h200());
        chart.setSpec(softmax);
        chart.setPoints(
            {kf::roofline::pointFromMedian(PointRole::Candidate, "softmax.cu", softmax, 0, 67.6)});
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QVERIFY(!chart.grab().toImage().isNull());
        save(chart, "roofline-softmax-h200.png");

        chart.setRunEvents(softmaxRun(softmax), "softmax.cu");
        chart.setVersionTrail({kf::roofline::pointFromMedian(PointRole::Version, "v1", softmax, 0, 412.0),
                               kf::roofline::pointFromMedian(PointRole::Version, "v2", softmax, 0, 131.5)});
        save(chart, "roofline-softmax-run.png");

        chart.setCeilings(nullptr);
        save(chart, "roofline-no-ceilings.png");

        const auto transpose = exampleSpec("transpose-f32");
        RooflineChart bars;
        bars.resize(900, 600);
        bars.setCeilings(h200());
        bars.setSpec(transpose);
        nlohmann::json events = nlohmann::json::array();
        const double gold[] = {197.0, 7.2, 7.8, 15.0, 39.4};
        const double base[] = {557.5, 10.9, 9.7, 25.6, 68.6};
        for (int i = 0; i < 5; ++i) {
            events.push_back(timed(transpose, i, "candidate", gold[i]));
            events.push_back(timed(transpose, i, "baseline", base[i]));
        }
        bars.setRunEvents(events, "transpose.cu");
        bars.show();
        QVERIFY(QTest::qWaitForWindowExposed(&bars));
        save(bars, "roofline-transpose-bandwidth.png");
    }
};

QTEST_MAIN(RooflineChartTest)
#include "roofline_chart_test.moc"
