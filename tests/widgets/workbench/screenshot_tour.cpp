// SPDX-License-Identifier: MIT
// Renders the workbench's main states to PNGs for the README and for review (tests/gui/screenshots.sh runs it
// under Xvfb). Everything shown is real: the example spec and its gold kernel, a recorded teacher stream
// served over loopback, a compile-only job through the real kf-runner when one is built, and a run and a
// calibration recorded on an H200 (tests/widgets/fixtures/recorded) replayed into the results and roofline.
//   workbench_screenshots OUT_DIR
#include "loopback_settings.h"
#include "main_window.h"
#include "support/loopback_server.h"
#include "widgets/cuda_editor/cuda_editor.h"
#include "widgets/reasoning/teacher_session.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_controller.h"
#include "widgets/roofline/roofline_chart.h"
#include "widgets/settings/theme.h"
#include "widgets/spec_editor/spec_library.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QFile>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>

using namespace std::chrono_literals;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "screenshot tour: cannot read %s\n", qPrintable(path));
        std::exit(2);
    }
    return f.readAll();
}

nlohmann::json readEvents(const QString& path) {
    nlohmann::json events = nlohmann::json::array();
    for (const QByteArray& line : readAll(path).split('\n')) {
        if (!line.trimmed().isEmpty()) {
            events.push_back(nlohmann::json::parse(line.toStdString()));
        }
    }
    return events;
}

void settle(int ms) {
    QTest::qWait(ms);
}

bool save(QWidget* w, const QDir& out, const char* name) {
    settle(300);
    const QString path = out.filePath(QString::fromLatin1(name));
    const bool ok = w->grab().save(path);
    std::printf("%s %s\n", ok ? "wrote" : "FAILED", qPrintable(path));
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    if (argc < 2) {
        std::fprintf(stderr, "usage: workbench_screenshots OUT_DIR\n");
        return 2;
    }
    const QDir out(QString::fromLocal8Bit(argv[1]));
    QDir().mkpath(out.path());
    QTemporaryDir dir;
    const QString fixtures = QStringLiteral(KF_SOURCE_DIR "/tests/widgets/fixtures/recorded");
    const std::string stream =
        readAll(QStringLiteral(KF_FIXTURES_DIR "/anthropic-thinking-recorded.sse")).toStdString();
    kf::test::LoopbackServer server({kf::test::ScriptedResponse::stream(stream, 256, 2ms)});

    QSettings settings(dir.filePath("kernelforge.ini"), QSettings::IniFormat);
    kf::test::writeLoopbackSettings(settings, QString::fromStdString(server.url("")), QDir(dir.path()));
    kf::app::MainWindow window(&settings);
    window.setApiKey("sk-ant-screenshot");
    window.session()->setModelCapabilities({});
    window.resize(1680, 1050);
    window.show();
    QString error;
    window.specLibrary()->openFile(
        QStringLiteral(KF_SOURCE_DIR "/resources/specs/softmax-rows-f32.kspec.yaml"), &error);
    for (int waited = 0; !window.action("generate")->isEnabled() && waited < 20000; waited += 50) {
        settle(50);
    }

    // A recorded teacher stream into the reasoning panel.
    QSignalSpy turns(window.session(), &kf::widgets::TeacherSession::turnFinished);
    window.action("generate")->trigger();
    turns.wait(30000);

    // The gold kernel in the editor, and its recorded H200 run in the results and on the roofline.
    window.cudaEditor()->setText(QString::fromUtf8(
        readAll(QStringLiteral(KF_SOURCE_DIR "/resources/specs/softmax-rows-f32.gold.cu"))));
    const auto job = nlohmann::json::parse(readAll(fixtures + "/softmax-gold.job.json").toStdString());
    const auto events = readEvents(fixtures + "/h200-softmax-gold.jsonl");
    const auto calibration = readEvents(fixtures + "/h200-calibrate.jsonl");
    nlohmann::json ceilings;
    for (const auto& e : calibration) {
        if (e.value("event", "") == "ceilings") {
            ceilings = e;
            ceilings["device"] = calibration.at(0)["device"];
        }
    }
    window.resultsView()->showRun(job, events);
    window.roofline()->setCeilings(ceilings);
    window.roofline()->setRunEvents(events, job["candidate"]["name"].get<std::string>());
    window.showDock("results");
    bool ok = save(&window, out, "workbench.png");
    window.showDock("roofline");
    ok = save(&window, out, "roofline.png") && ok;

    // A compile-only job of a kernel with a mistake: the diagnostics.
#ifdef KF_RUNNER_PATH
    window.cudaEditor()->setText(window.cudaEditor()->text().replace("const float m = fmaxf(a.m, b.m);",
                                                                     "const float m = fmaxf(a.m, b.mx);"));
    QSignalSpy done(window.runController(), &kf::widgets::RunController::finished);
    window.action("run")->trigger();
    done.wait(240000);
    window.showDock("diagnostics");
    ok = save(&window, out, "diagnostics.png") && ok;
#endif

    window.showDock("dataset");
    ok = save(&window, out, "dataset.png") && ok;
    window.action("theme")->setChecked(true);
    window.showDock("results");
    ok = save(&window, out, "workbench-dark.png") && ok;
    window.action("theme")->setChecked(false);
    return ok ? 0 : 1;
}
