// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/job.h"
#include "core/runner/run_summary.h"
#include "core/spec/spec.h"
#include "core/teacher/code_extraction.h"
#include "core/teacher/conversation.h"
#include "core/teacher/streaming_call.h"
#include "core/teacher/teacher_settings.h"

#include <QObject>
#include <QString>
#include <optional>

namespace kf::widgets {

// Records what the workbench did (teacher attempts, runs) in the dataset on a worker thread, one write at a
// time and in the order asked, so a run recorded right after its attempt always finds the attempt's kernel.
// A store that cannot take a record says so through recordFailed; nothing is retried silently.
class DatasetRecorder : public QObject {
    Q_OBJECT
public:
    explicit DatasetRecorder(QObject* parent = nullptr);
    ~DatasetRecorder() override;

    void setStorePath(const QString& path) { path_ = path; }
    const QString& storePath() const { return path_; }

    // The settings are copied without the key: the recorder never holds one.
    void recordAttempt(const spec::Spec& spec, teacher::TeacherSettings settings,
                       const teacher::Conversation& conversation, const teacher::CallResult& result,
                       const teacher::ExtractedKernel& kernel);
    void recordRun(const runner::Job& job, const runner::RunSummary& run, std::optional<qint64> attempt_id);

    // Blocks until every queued record is written (window close, tests).
    void waitForIdle();

signals:
    void attemptRecorded(qint64 attempt_id, qint64 kernel_id);
    void runRecorded(qint64 run_id, qint64 kernel_id);
    void recordFailed(const QString& what);

private:
    class Queue;
    Queue* queue_;
    QString path_;
};

} // namespace kf::widgets
