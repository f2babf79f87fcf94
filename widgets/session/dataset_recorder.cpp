// SPDX-License-Identifier: MIT
#include "widgets/session/dataset_recorder.h"

#include "core/recording/recording.h"

#include <QFuture>
#include <QMetaObject>
#include <QPointer>
#include <QThreadPool>
#include <QtConcurrent>
#include <functional>
#include <memory>

namespace kf::widgets {

// A single-thread pool: records are written one after another in the order they were asked for.
class DatasetRecorder::Queue {
public:
    Queue() { pool.setMaxThreadCount(1); }
    QThreadPool pool;
};

DatasetRecorder::DatasetRecorder(QObject* parent)
    : QObject(parent)
    , queue_(new Queue) {}

DatasetRecorder::~DatasetRecorder() {
    queue_->pool.waitForDone();
    delete queue_;
}

void DatasetRecorder::waitForIdle() {
    queue_->pool.waitForDone();
}

namespace {

template <typename Write, typename Done>
void enqueue(QThreadPool& pool, DatasetRecorder* self, const QString& path, Write write, Done done) {
    QPointer<DatasetRecorder> guard(self);
    const std::string store_path = path.toStdString();
    pool.start([guard, store_path, write = std::move(write), done = std::move(done)]() mutable {
        std::function<void()> report;
        try {
            auto store = dataset::Store::open(store_path);
            auto result = write(store);
            report = [guard, done, result] {
                if (guard) {
                    done(guard.data(), result);
                }
            };
        } catch (const std::exception& e) {
            const QString what = QString::fromStdString(e.what());
            report = [guard, what] {
                if (guard) {
                    emit guard->recordFailed(what);
                }
            };
        }
        if (guard) {
            QMetaObject::invokeMethod(guard.data(), report, Qt::QueuedConnection);
        }
    });
}

} // namespace

void DatasetRecorder::recordAttempt(const spec::Spec& spec, teacher::TeacherSettings settings,
                                    const teacher::Conversation& conversation,
                                    const teacher::CallResult& result,
                                    const teacher::ExtractedKernel& kernel) {
    settings.api_key.clear();
    enqueue(
        queue_->pool, this, path_,
        [spec, settings, conversation, result, kernel](dataset::Store& store) {
            return recording::recordAttempt(store, spec, settings, conversation, result, kernel,
                                            "local:kernelforge");
        },
        [](DatasetRecorder* self, const recording::RecordedAttempt& r) {
            emit self->attemptRecorded(r.attempt_id, r.kernel_id);
        });
}

void DatasetRecorder::recordRun(const runner::Job& job, const runner::RunSummary& run,
                                std::optional<qint64> attempt_id) {
    enqueue(
        queue_->pool, this, path_,
        [job, run, attempt_id](dataset::Store& store) {
            return recording::recordRun(store, job, run,
                                        attempt_id ? std::optional<std::int64_t>(*attempt_id) : std::nullopt);
        },
        [](DatasetRecorder* self, const recording::RecordedRun& r) {
            emit self->runRecorded(r.run_id, r.kernel_id);
        });
}

} // namespace kf::widgets
