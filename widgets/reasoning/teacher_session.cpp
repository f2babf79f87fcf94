// SPDX-License-Identifier: MIT
#include "widgets/reasoning/teacher_session.h"

#include "core/teacher/code_extraction.h"
#include "core/teacher/streaming_call.h"
#include "widgets/reasoning/run_feedback.h"
#include "widgets/reasoning/stream_coalescer.h"
#include "widgets/reasoning/turn_results.h"

#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>
#include <chrono>

namespace kf::widgets {

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kBacklogBytes = 32 * 1024; // flush early once this much text waits
constexpr std::size_t kFlushBytes = 256 * 1024;  // most text handed to the GUI per timer tick
constexpr int kDefaultFlushMs = 33;

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

teacher::ModelCapabilities fetchCapabilities(const teacher::TeacherSettings& s,
                                             const std::atomic<bool>& cancel) {
    teacher::HttpStream http;
    std::string body;
    teacher::HttpOptions options;
    options.inactivity_timeout = std::chrono::milliseconds(15000);
    const auto result = http.perform(teacher::capabilitiesRequest(s), options,
                                     {nullptr, [&body](std::string_view b) { body.append(b); }}, cancel);
    if (result.outcome == teacher::HttpStream::Result::Outcome::Completed && result.status == 200) {
        const auto j = nlohmann::json::parse(body, nullptr, false);
        if (!j.is_discarded()) {
            return teacher::parseModelCapabilities(j);
        }
    }
    return {}; // unknown: the request builder chooses from the settings alone, as kforge ask does
}

} // namespace

// The turn that is streaming: its worker's cancel flag and the coalescer both sides share.
struct TeacherSession::Live {
    int turn = -1;
    std::uint64_t job = 0;
    std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<StreamCoalescer> coalescer;
    StreamCoalescer::Batch last; // the latest counters
};

// What the worker hands back.
struct TeacherSession::Outcome {
    teacher::CallResult call;
    nlohmann::ordered_json request = nullptr; // redacted
    std::optional<teacher::ModelCapabilities> caps;
    std::optional<teacher::ExtractedKernel> kernel; // complete turns
};

TeacherSession::TeacherSession(QObject* parent)
    : QObject(parent)
    , m_prices(teacher::PriceTable::builtin()) {
    qRegisterMetaType<kf::widgets::ThinkingNotice>();
    qRegisterMetaType<kf::widgets::TurnStats>();
    qRegisterMetaType<kf::widgets::TurnResult>();
    m_flush_timer.setInterval(kDefaultFlushMs);
    connect(&m_flush_timer, &QTimer::timeout, this, [this] { flush(kFlushBytes); });
}

TeacherSession::~TeacherSession() {
    if (m_live) {
        m_live->cancel->store(true);
    }
    m_turns.invalidate();
    m_loads.invalidate();
    for (auto& f : m_futures) {
        f.waitForFinished(); // the workers post through m_turns, a member
    }
}

void TeacherSession::setSettings(const teacher::TeacherSettings& settings) {
    const bool same_model = settings.provider == m_settings.provider && settings.model == m_settings.model &&
                            settings.base_url == m_settings.base_url;
    m_settings = settings;
    if (!same_model) {
        m_caps.reset();
    }
}

void TeacherSession::setModelCapabilities(const teacher::ModelCapabilities& caps) {
    m_caps = caps;
}

void TeacherSession::setFlushInterval(int ms) {
    m_flush_timer.setInterval(ms);
}

int TeacherSession::streamingTurn() const {
    return m_live ? m_live->turn : -1;
}

void TeacherSession::pruneFutures() {
    m_futures.removeIf([](const QFuture<void>& f) { return f.isFinished(); });
}

// The history a follow-up replays: complete exchanges only. A failed or cancelled answer (and the user turn
// it answered) stays in the transcript but is not sent back: a partial turn cannot be replayed.
teacher::Conversation TeacherSession::replayable() const {
    teacher::Conversation c;
    const auto& turns = m_conversation.turns();
    for (std::size_t i = 0; i < turns.size(); ++i) {
        const auto& t = turns[i];
        if (t.role == "user") {
            const bool answered_badly = i + 1 < turns.size() && turns[i + 1].role == "assistant" &&
                                        turns[i + 1].status != teacher::TurnStatus::Complete;
            if (!answered_badly) {
                c.addUser(t.blocks.empty() ? std::string() : t.blocks.front().text);
            }
        } else if (t.status == teacher::TurnStatus::Complete) {
            c.addAssistant(t);
        }
    }
    return c;
}

bool TeacherSession::ask(const QString& prompt) {
    if (m_live) {
        emit failed(-1, tr("The teacher is still answering; cancel it or wait for the answer."));
        return false;
    }
    if (const auto problem = teacher::validateSettings(m_settings); !problem.empty()) {
        emit failed(-1, tr("Teacher settings: %1").arg(qs(problem)));
        return false;
    }
    if (prompt.trimmed().isEmpty()) {
        emit failed(-1, tr("Nothing to send: the prompt is empty."));
        return false;
    }
    pruneFutures();
    m_conversation.addUser(prompt.toStdString());
    const int user_turn = static_cast<int>(m_conversation.turns().size()) - 1;
    auto request_conversation = replayable();

    m_live = std::make_unique<Live>();
    m_live->turn = user_turn + 1;
    m_live->job = m_turns.start();
    const auto job = m_live->job;
    m_live->coalescer = std::make_shared<StreamCoalescer>(
        kBacklogBytes, [this, job] { m_turns.post(job, [this] { flush(kFlushBytes); }); });
    m_live->last.model = m_settings.model;

    emit userTurnAdded(user_turn, prompt);
    emit turnStarted(m_live->turn);
    emit busyChanged(true);
    m_flush_timer.start();

    const int turn = m_live->turn;
    auto cancel = m_live->cancel;
    auto coalescer = m_live->coalescer;
    auto caps = m_caps;
    m_futures.append(QtConcurrent::run([this, job, turn, settings = m_settings, http = m_http, caps, cancel,
                                        coalescer, conversation = std::move(request_conversation)] {
        auto out = std::make_shared<Outcome>();
        auto& turn_out = out->call.turn;
        turn_out.role = "assistant";
        try {
            teacher::ModelCapabilities known = caps.value_or(teacher::ModelCapabilities{});
            if (!caps && settings.provider == teacher::Provider::Anthropic) {
                known = fetchCapabilities(settings, *cancel);
                if (known.known) {
                    out->caps = known;
                }
            }
            const auto request = teacher::buildRequest(settings, known, conversation);
            out->request = teacher::redactedRequestJson(request);
            teacher::CallHooks hooks;
            hooks.on_retry = [this, job, turn](const teacher::RetryDecision& d, int next) {
                const auto reason = qs(d.reason);
                const int delay = static_cast<int>(d.delay.count());
                m_turns.post(job, [=, this] { emit retrying(turn, reason, next, delay); });
            };
            out->call = teacher::streamingCall(
                request, http, settings.provider, *cancel,
                [&coalescer](const teacher::StreamEvent& e) { coalescer->apply(e); }, hooks);
        } catch (const std::exception& e) {
            // buildRequest's messages name the setting to fix; nothing here carries a header value.
            turn_out.status = teacher::TurnStatus::Failed;
            turn_out.error_type = "request";
            turn_out.error = e.what();
        }
        if (turn_out.status == teacher::TurnStatus::Complete) {
            out->kernel = teacher::extractKernel(turn_out.answerText());
        }
        m_turns.post(job, [this, out] { finishTurn(std::move(*out)); });
    }));
    return true;
}

bool TeacherSession::sendFeedback(const runner::RunSummary& run, const QString& kernel_source) {
    return sendFeedback(runFeedbackFromSummary(run), kernel_source);
}

bool TeacherSession::sendFeedback(const teacher::RunFeedback& run, const QString& kernel_source) {
    if (m_conversation.empty()) {
        emit failed(-1, tr("No conversation to follow up: ask the teacher for a kernel first."));
        return false;
    }
    const QString source = kernel_source.isEmpty() ? m_last_kernel : kernel_source;
    return ask(qs(teacher::renderFeedback(run, source.toStdString())));
}

void TeacherSession::cancel() {
    if (m_live) {
        m_live->cancel->store(true);
    }
}

void TeacherSession::newConversation() {
    if (m_live) {
        m_live->cancel->store(true);
        m_turns.invalidate(); // its late results must not land in the new conversation
        m_live.reset();
        m_flush_timer.stop();
        emit busyChanged(false);
    }
    m_loads.invalidate();
    m_conversation = {};
    m_results.clear();
    m_last_kernel.clear();
    m_last_request = nullptr;
    m_last_attempts = 0;
    m_last_status = 0;
    m_last_raw.clear();
    emit conversationReset();
}

void TeacherSession::flush(std::size_t max_bytes) {
    if (!m_live) {
        return;
    }
    auto batch = m_live->coalescer->take(max_bytes);
    const int turn = m_live->turn;
    for (auto& p : batch.pieces) {
        switch (p.kind) {
        case StreamCoalescer::Piece::Kind::Thinking:
            emit thinkingDelta(turn, qs(p.text));
            break;
        case StreamCoalescer::Piece::Kind::Answer:
            emit answerDelta(turn, qs(p.text));
            break;
        case StreamCoalescer::Piece::Kind::Redacted:
            emit thinkingNotice(turn, ThinkingNotice::Redacted);
            break;
        case StreamCoalescer::Piece::Kind::Omitted:
            emit thinkingNotice(turn, ThinkingNotice::Omitted);
            break;
        }
    }
    if (!m_live || m_live->turn != turn) {
        return; // a slot started a new conversation
    }
    batch.pieces.clear();
    m_live->last = std::move(batch);
    emit statsChanged(statsOf(turn, m_live->last.usage, m_live->last.model));
}

// Counters for `turn`: while it streams, output tokens are estimated from the text (the services report them
// at the end) and the rate runs from the first streamed byte to now.
TurnStats TeacherSession::statsOf(int turn, const teacher::Usage& usage, const std::string& model) const {
    TurnStats s;
    s.turn = turn;
    s.model = qs(model.empty() ? m_settings.model : model);
    s.input_tokens = usage.input_tokens;
    s.thinking_tokens = usage.thinking_tokens;
    s.output_tokens = usage.output_tokens;
    const bool live = m_live && m_live->turn == turn;
    s.live = live;
    if (live) {
        const auto& b = m_live->last;
        const auto estimate = static_cast<qint64>(b.text_bytes / 4);
        if (estimate > s.output_tokens) {
            s.output_tokens = estimate;
            s.output_estimated = true;
        }
        if (b.first_text) {
            s.seconds = std::chrono::duration<double>(Clock::now() - *b.first_text).count();
        }
    }
    if (s.seconds > 0.05 && s.output_tokens > 0) {
        s.tokens_per_second = static_cast<double>(s.output_tokens) / s.seconds;
    }
    if (const auto price = m_prices.find(model.empty() ? m_settings.model : model)) {
        teacher::Usage u = usage;
        u.output_tokens = s.output_tokens;
        s.cost_estimated = s.output_estimated || u.input_tokens < 0 || u.output_tokens < 0;
        u.input_tokens = std::max<int64_t>(u.input_tokens, 0);
        u.output_tokens = std::max<int64_t>(u.output_tokens, 0);
        s.cost_usd = teacher::turnCost(u, *price);
    }
    return s;
}

void TeacherSession::finishTurn(Outcome outcome) {
    if (!m_live) {
        return;
    }
    while (m_live && m_live->coalescer->pendingBytes() > 0) {
        flush(kFlushBytes); // everything that arrived, before the end
    }
    flush(kFlushBytes); // notices without text, and the last counters
    if (!m_live) {
        return;
    }
    m_flush_timer.stop();
    const auto last = m_live->last;
    const int turn = m_live->turn;
    m_live.reset();
    auto& t = outcome.call.turn;
    if (outcome.caps) {
        m_caps = outcome.caps;
    }

    // The final figures: reported counters where the service gave them, and the streaming time.
    TurnStats stats = statsOf(turn, t.usage, t.model.empty() ? last.model : t.model);
    if (stats.output_tokens < 0 && last.text_bytes > 0) {
        stats.output_tokens = static_cast<qint64>(last.text_bytes / 4);
        stats.output_estimated = true;
    }
    if (last.first_text && last.last_text) {
        stats.seconds = std::chrono::duration<double>(*last.last_text - *last.first_text).count();
        stats.tokens_per_second = stats.seconds > 0.05 && stats.output_tokens > 0
                                      ? static_cast<double>(stats.output_tokens) / stats.seconds
                                      : -1.0;
    }
    if (const auto price = m_prices.find(stats.model.toStdString()); price && stats.output_estimated) {
        teacher::Usage u = t.usage;
        u.output_tokens = stats.output_tokens;
        u.input_tokens = std::max<int64_t>(u.input_tokens, 0);
        stats.cost_usd = teacher::turnCost(u, *price);
        stats.cost_estimated = true;
    }

    m_conversation.addAssistant(t);
    m_last_request = outcome.request;
    m_last_attempts = outcome.call.attempts;
    m_last_status = outcome.call.http_status;
    m_last_raw = std::move(outcome.call.raw_bytes);

    const TurnResult r = resultOf(turn, t, stats, outcome.kernel);
    if (r.kernel_ok) {
        m_last_kernel = r.kernel_source;
    }
    m_results[turn] = r;
    emit statsChanged(stats);
    if (t.status == teacher::TurnStatus::Failed) {
        QString message =
            r.error.isEmpty() ? tr("The teacher's answer failed (%1).").arg(qs(t.error_type)) : r.error;
        if (!r.request_id.isEmpty() && !message.contains(r.request_id)) {
            message += tr(" (request %1)").arg(r.request_id);
        }
        emit failed(turn, message);
    }
    emit turnFinished(r);
    emit busyChanged(false);
}

std::vector<TurnResult> TeacherSession::turnResults() const {
    std::vector<TurnResult> out;
    out.reserve(m_results.size());
    for (const auto& [turn, r] : m_results) {
        out.push_back(r);
    }
    return out;
}

teacher::CallResult TeacherSession::lastCall() const {
    teacher::CallResult r;
    if (const teacher::Turn* t = m_conversation.lastAssistant()) {
        r.turn = *t;
    }
    r.raw_bytes = m_last_raw;
    r.attempts = m_last_attempts;
    r.http_status = m_last_status;
    return r;
}

std::optional<TurnResult> TeacherSession::lastResult() const {
    if (m_results.empty()) {
        return std::nullopt;
    }
    return m_results.rbegin()->second;
}

bool TeacherSession::saveTranscript(const QString& path, QString* error) const {
    teacher::Transcript t;
    t.context = m_context;
    t.settings = m_settings;
    t.settings.api_key.clear();
    t.request = m_last_request;
    t.conversation = m_conversation;
    t.attempts = m_last_attempts;
    t.http_status = m_last_status;
    t.raw_stream = m_last_raw;
    const auto text =
        teacher::transcriptToJson(t).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(text.data(), static_cast<qint64>(text.size())) != static_cast<qint64>(text.size()) ||
        !file.commit()) {
        if (error) {
            *error = tr("Cannot write the transcript %1: %2").arg(path, file.errorString());
        }
        return false;
    }
    return true;
}

void TeacherSession::openTranscript(const QString& path) {
    if (m_live) {
        emit transcriptFailed(path,
                              tr("The teacher is still answering; cancel it before opening a transcript."));
        return;
    }
    pruneFutures();
    const auto job = m_loads.start();
    m_futures.append(QtConcurrent::run([this, job, path, prices = m_prices,
                                        fallback_model = m_settings.model] {
        auto opened = std::make_shared<OpenedTranscript>(readTranscriptFile(path, prices, fallback_model));
        m_loads.post(job, [this, opened, path] {
            if (!opened->error.isEmpty()) {
                emit transcriptFailed(path, opened->error);
                return;
            }
            auto* t = &opened->transcript;
            if (m_live) {
                emit transcriptFailed(path, tr("A turn started while %1 was read; open it again.").arg(path));
                return;
            }
            m_conversation = std::move(t->conversation);
            m_context = t->context;
            m_results = std::move(opened->results);
            m_last_kernel.clear();
            m_last_request = t->request;
            m_last_attempts = t->attempts;
            m_last_status = t->http_status;
            m_last_raw = std::move(t->raw_stream);
            // The kernel of the last complete answer: what a follow-up's feedback is about.
            for (auto it = m_results.rbegin(); it != m_results.rend(); ++it) {
                if (it->second.status == teacher::TurnStatus::Complete) {
                    m_last_kernel = it->second.kernel_ok ? it->second.kernel_source : QString();
                    break;
                }
            }
            emit conversationReset();
            emit transcriptOpened(path);
        });
    }));
}

} // namespace kf::widgets
