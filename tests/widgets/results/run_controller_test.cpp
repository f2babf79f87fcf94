// SPDX-License-Identifier: MIT
#include "widgets/results/results_view.h"
#include "widgets/results/run_controller.h"
#include "widgets/results/stage_progress.h"
#include "widgets/results/verdict_banner.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

using kf::widgets::ResultsView;
using kf::widgets::RunController;
using State = kf::widgets::StageProgress::State;

namespace {

// The fake runner of tests/runner does what the job's fake_mode says: "normal" passes, "segv" crashes mid
// stage, "wait" enters a stage and sleeps, "slow-stages" takes 2.4 s over four stages.
nlohmann::json fakeJob(const char* mode) {
    return {{"format", "kernelforge.job/1"}, {"kind", "run"}, {"fake_mode", mode}};
}

kf::runner::RunnerClientOptions fakeRunner() {
    kf::runner::RunnerClientOptions o;
    o.runner = KF_FAKE_RUNNER;
    o.sandbox = kf::runner::RunnerClientOptions::Sandbox::Off;
    o.deadline_slack_s = 2;
    o.default_stage_deadline_s = 30;
    return o;
}

// The verdict of the first `finished` signal's done event.
QString verdictOf(const QSignalSpy& finished) {
    return QString::fromStdString(
        finished.at(0).at(0).value<nlohmann::json>().value("verdict", std::string()));
}

// Every event the controller delivers, with the run current when it arrived.
struct Recorder {
    std::vector<std::pair<quint64, nlohmann::json>> events;
    QList<Qt::HANDLE> threads;

    void follow(RunController& c) {
        QObject::connect(&c, &RunController::eventArrived, [this, &c](const nlohmann::json& ev) {
            events.emplace_back(c.currentRun(), ev);
            threads << QThread::currentThreadId();
        });
    }
    QStringList kinds() const {
        QStringList out;
        for (const auto& [id, ev] : events) {
            out << QString::fromStdString(ev.value("event", std::string()));
        }
        return out;
    }
    bool has(const char* kind, const char* stage) const {
        for (const auto& [id, ev] : events) {
            if (ev.value("event", std::string()) == kind && ev.value("stage", std::string()) == stage) {
                return true;
            }
        }
        return false;
    }
};

} // namespace

class RunControllerTest : public QObject {
    Q_OBJECT
private slots:
    void runsOffTheGuiThreadAndDeliversOnIt() {
        RunController controller;
        controller.setClientOptions(fakeRunner());
        ResultsView view;
        view.attach(&controller);
        Recorder rec;
        rec.follow(controller);
        QSignalSpy finished(&controller, &RunController::finished);
        QSignalSpy running(&controller, &RunController::runningChanged);
        QSignalSpy stages(&controller, &RunController::stageChanged);

        controller.start(fakeJob("normal"));
        QVERIFY(controller.isRunning());
        QVERIFY(finished.wait(30000));
        QCOMPARE(rec.kinds(), (QStringList{"hello", "stage", "compiled", "stage", "checked", "done"}));
        for (Qt::HANDLE t : rec.threads) {
            QCOMPARE(t, QThread::currentThreadId()); // delivered on the GUI thread
        }
        QCOMPARE(verdictOf(finished), QStringLiteral("pass"));
        QCOMPARE(running.count(), 2);
        QCOMPARE(running[1][0].toBool(), false);
        QVERIFY(!controller.isRunning());
        QCOMPARE(stages.count(), 3); // compile, check (size 0), then none
        QCOMPARE(stages[1], (QList<QVariant>{QStringLiteral("check"), 0}));
        QCOMPARE(controller.stage(), QString());
        QCOMPARE(QString::fromStdString(controller.summary().verdict()), QStringLiteral("pass"));
        QCOMPARE(view.banner()->verdict(), QStringLiteral("pass"));
        QCOMPARE(view.summary().events().size(), std::size_t{6});
    }

    void aCrashBecomesAnErrorEvent() {
        RunController controller;
        controller.setClientOptions(fakeRunner());
        ResultsView view;
        view.attach(&controller);
        Recorder rec;
        rec.follow(controller);
        QSignalSpy finished(&controller, &RunController::finished);
        controller.start(fakeJob("segv"));
        QVERIFY(finished.wait(30000));
        QVERIFY(rec.has("error", "crash"));
        QCOMPARE(rec.kinds().last(), QStringLiteral("done"));
        QCOMPARE(view.banner()->verdict(), QStringLiteral("error"));
        QVERIFY(view.banner()->reasons().join("\n").contains("SIGSEGV"));
        QVERIFY(view.banner()->reasons().join("\n").contains("fake: about to crash"));
        QCOMPARE(view.progress()->state("check"), State::Failed);
        QVERIFY(controller.runnerStderr().contains("fake: about to crash"));
    }

    void cancelStopsARunMidStage() {
        RunController controller;
        controller.setClientOptions(fakeRunner());
        ResultsView view;
        view.attach(&controller);
        Recorder rec;
        rec.follow(controller);
        QSignalSpy finished(&controller, &RunController::finished);
        QElapsedTimer clock;
        clock.start();
        controller.start(fakeJob("wait")); // enters stage check, then sleeps until killed
        QVERIFY(clock.elapsed() < 1000);   // start() does not wait for the runner
        QTRY_COMPARE_WITH_TIMEOUT(controller.stage(), QStringLiteral("check"), 30000);
        QCOMPARE(view.progress()->state("check"), State::Running);
        controller.cancel();
        QVERIFY(finished.wait(30000));
        QVERIFY(rec.has("error", "cancelled"));
        QCOMPARE(verdictOf(finished), QStringLiteral("error"));
        QCOMPARE(view.progress()->state("check"), State::Cancelled);
        QVERIFY(view.banner()->reasons().join("\n").contains("cancelled during stage 'check' (size 0)"));
        QVERIFY(!controller.isRunning());
        controller.cancel(); // nothing to cancel: nothing happens
        QCOMPARE(finished.count(), 1);
    }

    void aNewerRunDiscardsTheOlderOnesLateEvents() {
        RunController controller;
        controller.setClientOptions(fakeRunner());
        ResultsView view;
        view.attach(&controller);
        Recorder rec;
        rec.follow(controller);
        QSignalSpy started(&controller, &RunController::started);
        QSignalSpy finished(&controller, &RunController::finished);

        const quint64 a = controller.start(fakeJob("slow-stages")); // four 0.6 s stages, then done
        QTRY_COMPARE_WITH_TIMEOUT(controller.stage(), QStringLiteral("time"), 30000);
        const std::size_t fromA = rec.events.size();
        QVERIFY(fromA >= 2); // hello, stage time
        const quint64 b = controller.start(fakeJob("normal"));
        QVERIFY(b != a);
        QVERIFY(finished.wait(30000));
        // Run A is cancelled by B's start; neither its cancel error nor its done, nor any stage it had
        // left, may reach the view. Give its worker time to deliver anything it still would.
        QTest::qWait(3000);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(verdictOf(finished), QStringLiteral("pass"));
        QStringList afterB;
        for (std::size_t i = fromA; i < rec.events.size(); ++i) {
            QCOMPARE(rec.events[i].first, b);
            afterB << QString::fromStdString(rec.events[i].second.value("event", std::string()));
        }
        QCOMPARE(afterB, (QStringList{"hello", "stage", "compiled", "stage", "checked", "done"}));
        QVERIFY(!rec.has("error", "cancelled"));
        QCOMPARE(view.summary().events().size(), std::size_t{6}); // B's alone
        QCOMPARE(view.banner()->verdict(), QStringLiteral("pass"));
        QCOMPARE(started.count(), 2);
        QVERIFY(!controller.isRunning());
    }

    void destroyingTheControllerMidRunKillsTheRunner() {
        QElapsedTimer clock;
        clock.start();
        {
            RunController controller;
            controller.setClientOptions(fakeRunner());
            controller.start(fakeJob("wait"));
            QTRY_COMPARE_WITH_TIMEOUT(controller.stage(), QStringLiteral("check"), 30000);
        } // the destructor cancels and waits for the worker: the fake runner would sleep forever
        QVERIFY(clock.elapsed() < 25000);
    }

    void aRunnerThatCannotStartIsAJobError() {
        RunController controller;
        auto o = fakeRunner();
        o.runner = "/nonexistent/kf-runner";
        controller.setClientOptions(o);
        Recorder rec;
        rec.follow(controller);
        QSignalSpy finished(&controller, &RunController::finished);
        controller.start(fakeJob("normal"));
        QVERIFY(finished.wait(30000));
        QVERIFY(rec.has("error", "job"));
        QCOMPARE(verdictOf(finished), QStringLiteral("error"));
    }

    void clientOptionsBindTheJobsCompileCache() {
        const nlohmann::json job = {{"kind", "run"}, {"options", {{"cache_dir", "/tmp/kf-cache-test"}}}};
        const auto local = RunController::clientOptionsFor(job, "/opt/kf/kf-runner");
        QCOMPARE(local.runner, std::string("/opt/kf/kf-runner"));
        QCOMPARE(local.writable_paths, std::vector<std::string>{"/tmp/kf-cache-test"});
        QVERIFY(!local.ssh_host.has_value());
        const auto remote = RunController::clientOptionsFor(job, {}, "gpu-box", true);
        QCOMPARE(remote.ssh_host.value_or(""), std::string("gpu-box"));
        QCOMPARE(remote.runner, std::string("kf-runner"));
        QVERIFY(remote.sandbox == kf::runner::RunnerClientOptions::Sandbox::Off);
    }
};

QTEST_MAIN(RunControllerTest)
#include "run_controller_test.moc"
