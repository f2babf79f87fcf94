// SPDX-License-Identifier: MIT
#include "core/dataset/store.h"
#include "core/spec/spec_loader.h"
#include "widgets/session/dataset_recorder.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using kf::widgets::DatasetRecorder;

namespace {

kf::spec::Spec softmaxSpec() {
    auto loaded = kf::spec::loadSpecFile(KF_SPECS_DIR "/softmax-rows-f32.kspec.yaml");
    if (!loaded.ok) {
        qFatal("the softmax example spec does not load");
    }
    return loaded.spec;
}

kf::teacher::CallResult answeredTurn(const std::string& code) {
    kf::teacher::CallResult r;
    r.turn.role = "assistant";
    r.turn.model = "claude-test";
    kf::teacher::Block text;
    text.kind = kf::teacher::BlockKind::Text;
    text.text = "Here it is:\n```cuda\n" + code + "```\n";
    r.turn.blocks.push_back(text);
    r.raw_bytes = "event: message_stop\n\n";
    return r;
}

} // namespace

class DatasetRecorderTest : public QObject {
    Q_OBJECT
private slots:
    void recordsAnAttemptThenItsRunInOrder() {
        QTemporaryDir dir;
        DatasetRecorder recorder;
        recorder.setStorePath(dir.filePath("kf.db"));
        QSignalSpy attempts(&recorder, &DatasetRecorder::attemptRecorded);
        QSignalSpy runs(&recorder, &DatasetRecorder::runRecorded);
        QSignalSpy failures(&recorder, &DatasetRecorder::recordFailed);

        const std::string code = "__global__ void k() {}\n";
        const auto spec = softmaxSpec();
        kf::teacher::TeacherSettings settings;
        settings.model = "claude-test";
        settings.api_key = "sk-ant-secret";
        kf::teacher::Conversation conversation;
        conversation.addUser("write softmax");
        const auto result = answeredTurn(code);
        conversation.addAssistant(result.turn);
        kf::teacher::ExtractedKernel kernel{true, code, {0}, ""};
        recorder.recordAttempt(spec, settings, conversation, result, kernel);

        kf::runner::Job job;
        job.spec = spec;
        job.candidate_name = "kernel.cu";
        job.candidate_source = code;
        kf::runner::RunSummary run;
        run.add({{"event", "done"}, {"verdict", "fail"}, {"reasons", {"wrong values"}}});
        recorder.recordRun(job, run, std::nullopt);

        QTRY_COMPARE_WITH_TIMEOUT(runs.size(), 1, 20000);
        QCOMPARE(attempts.size(), 1);
        QCOMPARE(failures.size(), 0);
        const qint64 attempt_id = attempts.at(0).at(0).toLongLong();
        const qint64 kernel_id = attempts.at(0).at(1).toLongLong();
        // The run lands on the teacher's kernel: same source.
        QCOMPARE(runs.at(0).at(1).toLongLong(), kernel_id);

        auto store = kf::dataset::Store::open(dir.filePath("kf.db").toStdString());
        const auto detail = store.attempt(attempt_id);
        QVERIFY(detail.has_value());
        QVERIFY(detail->attempt.settings_json.find("sk-ant") == std::string::npos);
        QVERIFY(detail->attempt.conversation_json.find("write softmax") != std::string::npos);
    }

    void anUnwritableStoreIsReported() {
        QTemporaryDir dir;
        QFile blocker(dir.filePath("not-a-dir"));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        DatasetRecorder recorder;
        recorder.setStorePath(dir.filePath("not-a-dir/kf.db"));
        QSignalSpy failures(&recorder, &DatasetRecorder::recordFailed);
        kf::runner::Job job;
        job.spec = softmaxSpec();
        job.candidate_source = "x";
        recorder.recordRun(job, kf::runner::RunSummary{}, std::nullopt);
        QVERIFY(failures.wait(20000));
        QVERIFY(!failures.at(0).at(0).toString().isEmpty());
    }
};

QTEST_MAIN(DatasetRecorderTest)
#include "dataset_recorder_test.moc"
