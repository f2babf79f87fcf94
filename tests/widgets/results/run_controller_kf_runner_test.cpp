// SPDX-License-Identifier: MIT
// A compile-only job through the real kf-runner (nvcc, no GPU needed): the controller runs it, the view shows
// the compiler's diagnostics.
#include "widgets/results/compile_summary_model.h"
#include "widgets/results/results_view.h"
#include "widgets/results/run_controller.h"
#include "widgets/results/stage_progress.h"
#include "widgets/results/verdict_banner.h"

#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using kf::widgets::CompileSummaryModel;
using kf::widgets::ResultsView;
using kf::widgets::RunController;

namespace {

const char* kBadKernel = R"(#include <cstdint>
#include <cuda_runtime.h>

__global__ void softmax_bad(const float* x, float* y, int64_t n) {
    int64_t i = blockIdx.x * blockDimx + threadIdx.x;
    if (i < n) y[i] = x[i];
}

extern "C" void kf_launch(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {
    softmax_bad<<<(unsigned)((rows * cols + 255) / 256), 256, 0, stream>>>(x, y, rows * cols);
}
)";

QString specText() {
    QFile f(QStringLiteral(KF_SOURCE_DIR "/resources/specs/softmax-rows-f32.kspec.yaml"));
    if (!f.open(QIODevice::ReadOnly)) {
        qFatal("cannot read the softmax spec");
    }
    return QString::fromUtf8(f.readAll());
}

} // namespace

class RunControllerKfRunnerTest : public QObject {
    Q_OBJECT
private slots:
    void aCompileOnlyJobShowsTheDiagnostics() {
        if (QStandardPaths::findExecutable(QStringLiteral("nvcc")).isEmpty() &&
            !QFile::exists(QStringLiteral("/usr/local/cuda/bin/nvcc"))) {
            QSKIP("nvcc is not installed: kf-runner cannot compile");
        }
        QTemporaryDir cache;
        QVERIFY(cache.isValid());
        qputenv("XDG_CACHE_HOME", cache.path().toUtf8()); // the default compile cache, out of the user's home

        kf::runner::JobOptions options;
        options.arch = "sm_90a"; // no GPU needed: the target is given
        QString error;
        const auto job = RunController::prepareJob(
            kf::runner::JobKind::Compile, specText(), QStringLiteral("softmax-rows-f32.kspec.yaml"),
            QStringLiteral("bad.cu"), QString::fromUtf8(kBadKernel), options, QString(), &error);
        QVERIFY2(job.has_value(), qPrintable(error));
        QVERIFY((*job)["kind"] == "compile");
        QVERIFY((*job)["options"]["cache_dir"].get<std::string>().starts_with(cache.path().toStdString()));

        RunController controller;
        controller.setClientOptions(RunController::clientOptionsFor(*job, QStringLiteral(KF_RUNNER_PATH)));
        ResultsView view;
        view.attach(&controller);
        QSignalSpy finished(&controller, &RunController::finished);
        controller.start(*job);
        QVERIFY(finished.wait(240000));

        const auto* compile = view.compileModel();
        QCOMPARE(compile->rowCount(), 1);
        QCOMPARE(compile->index(0, CompileSummaryModel::Role).data().toString(), QStringLiteral("candidate"));
        QCOMPARE(compile->index(0, CompileSummaryModel::Result).data().toString(), QStringLiteral("failed"));
        QVERIFY(compile->index(0, CompileSummaryModel::Errors).data().toInt() >= 1);
        const QString first = compile->index(0, CompileSummaryModel::FirstError).data().toString();
        QVERIFY2(first.startsWith(QStringLiteral("bad.cu:5:")), qPrintable(first));
        QVERIFY2(first.contains(QStringLiteral("blockDimx")), qPrintable(first));
        QCOMPARE(view.progress()->stages(), QStringList{QStringLiteral("compile")});
        QCOMPARE(view.progress()->state(QStringLiteral("compile")),
                 kf::widgets::StageProgress::State::Failed);
        QCOMPARE(view.banner()->verdict(), QStringLiteral("fail"));
        QVERIFY(view.banner()->reasons().join("\n").contains("does not compile"));

        // The invalid spec never reaches the runner: its errors say where.
        QString specError;
        QVERIFY(!RunController::prepareJob(
            kf::runner::JobKind::Compile, QStringLiteral("id: x\nparams: [n\n"),
            QStringLiteral("broken.kspec.yaml"), QStringLiteral("k.cu"), {}, options, QString(), &specError));
        QVERIFY2(specError.startsWith(QStringLiteral("broken.kspec.yaml:")), qPrintable(specError));
    }
};

QTEST_MAIN(RunControllerKfRunnerTest)
#include "run_controller_kf_runner_test.moc"
