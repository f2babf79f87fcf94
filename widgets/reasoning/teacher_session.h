// SPDX-License-Identifier: MIT
#pragma once

#include "core/runner/run_summary.h"
#include "core/teacher/conversation.h"
#include "core/teacher/feedback.h"
#include "core/teacher/http_stream.h"
#include "core/teacher/pricing.h"
#include "core/teacher/request_builder.h"
#include "core/teacher/streaming_call.h"
#include "core/teacher/teacher_settings.h"
#include "core/teacher/transcript.h"
#include "widgets/common/job_tracker.h"
#include "widgets/reasoning/session_types.h"

#include <QFuture>
#include <QList>
#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <map>
#include <memory>
#include <optional>
#include <vector>

namespace kf::widgets {

class StreamCoalescer;

// One teacher conversation: streams one assistant turn at a time on a worker thread through
// teacher::streamingCall and reports it with signals that carry value snapshots, all emitted on the GUI
// thread. The deltas are gathered on the worker and delivered in batches (every flushInterval ms, or early
// when 32 KB piled up), so a fast stream costs the event loop a few dozen calls a second. cancel() ends the
// stream within a few tens of milliseconds and keeps what arrived (turnFinished with status Cancelled).
class TeacherSession : public QObject {
    Q_OBJECT
public:
    explicit TeacherSession(QObject* parent = nullptr);
    ~TeacherSession() override; // cancels and waits for the worker (a few tens of milliseconds)

    // Used from the next turn on. The key stays in memory only: transcripts and messages never carry it.
    void setSettings(const teacher::TeacherSettings& settings);
    const teacher::TeacherSettings& settings() const { return m_settings; }
    void setHttpOptions(const teacher::HttpOptions& options) { m_http = options; }
    // What the model accepts (Anthropic); unset, the session asks the service once per model.
    void setModelCapabilities(const teacher::ModelCapabilities& caps);
    void setPriceTable(const teacher::PriceTable& prices) { m_prices = prices; }
    void setTranscriptContext(const teacher::TranscriptContext& context) { m_context = context; }
    void setFlushInterval(int ms);

    bool isBusy() const { return m_live != nullptr; }
    int streamingTurn() const; // -1 when idle
    const teacher::Conversation& conversation() const { return m_conversation; }
    // Every finished assistant turn's result (counters, kernel), in conversation order; turns of an opened
    // transcript have no timing.
    std::vector<TurnResult> turnResults() const;
    std::optional<TurnResult> lastResult() const;        // the last finished assistant turn's
    QString lastKernel() const { return m_last_kernel; } // what a feedback turn is about by default
    // The last finished call as the dataset records it: its turn, raw stream, attempts and HTTP status.
    teacher::CallResult lastCall() const;

    // Asks for the next assistant turn after a user turn with `prompt` (the first turn, or a follow-up).
    // false, with failed(), when a turn is streaming or the settings cannot work.
    bool ask(const QString& prompt);
    // The follow-up turn for a run of the last kernel: diagnostics, failed checks and timings
    // (teacher::renderFeedback). `kernel_source` is the source that ran; empty means the last extracted one.
    bool sendFeedback(const runner::RunSummary& run, const QString& kernel_source = {});
    bool sendFeedback(const teacher::RunFeedback& run, const QString& kernel_source = {});

    // Writes the conversation as `kforge ask --transcript` does. false with a message on failure.
    bool saveTranscript(const QString& path, QString* error = nullptr) const;
    // Reads a transcript off the GUI thread and replaces the conversation with it: transcriptOpened or
    // transcriptFailed. A later open wins over an earlier one still reading.
    void openTranscript(const QString& path);

public slots:
    void cancel();
    void newConversation(); // cancels a running turn and drops its results

signals:
    void conversationReset();
    void userTurnAdded(int turn, const QString& text);
    void turnStarted(int turn);
    void thinkingDelta(int turn, const QString& text);
    void answerDelta(int turn, const QString& text);
    void thinkingNotice(int turn, kf::widgets::ThinkingNotice notice);
    void statsChanged(const kf::widgets::TurnStats& stats);
    void retrying(int turn, const QString& reason, int nextAttempt, int delayMs);
    void turnFinished(const kf::widgets::TurnResult& result);
    void failed(int turn, const QString& message); // turn -1: nothing was started
    void busyChanged(bool busy);
    void transcriptOpened(const QString& path);
    void transcriptFailed(const QString& path, const QString& message);

private:
    struct Live;
    struct Outcome;

    void flush(std::size_t max_bytes);
    void finishTurn(Outcome outcome);
    TurnStats statsOf(int turn, const teacher::Usage& usage, const std::string& model) const;
    teacher::Conversation replayable() const;
    void pruneFutures();

    teacher::TeacherSettings m_settings;
    teacher::HttpOptions m_http;
    std::optional<teacher::ModelCapabilities> m_caps;
    teacher::PriceTable m_prices;
    teacher::TranscriptContext m_context;

    teacher::Conversation m_conversation;
    std::map<int, TurnResult> m_results; // by conversation index
    QString m_last_kernel;
    // The last call, for the transcript (request already redacted).
    nlohmann::ordered_json m_last_request = nullptr;
    int m_last_attempts = 0;
    int m_last_status = 0;
    std::string m_last_raw;

    std::unique_ptr<Live> m_live;
    QTimer m_flush_timer;
    QList<QFuture<void>> m_futures;
    JobTracker m_turns{this};
    JobTracker m_loads{this};
};

} // namespace kf::widgets
