// SPDX-License-Identifier: MIT
// The reasoning view's figures from issue 5, through the real path: a loopback server streams a synthetic
// Anthropic thinking stream (token-sized deltas, paragraphs of reasoning, an answer with CUDA code blocks)
// into a TeacherSession, whose coalesced batches feed a shown ReasoningView (offscreen platform: painting
// included).
//   (a) 5,000 tokens a second (~4 bytes a token) for --seconds (default 60): a 4 ms heartbeat QTimer on the
//       GUI thread records the gaps between its ticks; max gap (target < 50 ms) and p99 (target < 16 ms) per
//       run, median and spread over --runs (default 3).
//   (b) opening a 2 MB transcript (openTranscript: read and parse on a worker, then the view fills and
//   paints):
//       median and spread of the time to the first paint (target < 300 ms), for a transcript saved by a
//       session (three turns; most of its bytes are the raw SSE of the last call) and for 2 MB of
//       conversation text.
// Usage: reasoning_view_bench [--seconds S] [--runs N] [--rate TOKENS_PER_S] [--only stream|open]
//                             [--screenshot PREFIX] (writes PREFIX-live.png and PREFIX-top.png and exits)

#include "core/teacher/transcript.h"
#include "support/loopback_server.h"
#include "support/synthetic_streams.h"
#include "widgets/reasoning/reasoning_view.h"
#include "widgets/reasoning/teacher_session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTemporaryDir>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <random>
#include <sstream>

namespace {

using namespace std::chrono_literals;
using kf::test::LoopbackServer;
using kf::test::ScriptedResponse;
using kf::widgets::ReasoningView;
using kf::widgets::TeacherSession;

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// Reasoning prose: sentences of engineering words in paragraphs, as a thinking model writes.
std::string thinkingText(std::size_t bytes, std::mt19937& rng) {
    static const char* words[] = {
        "the",       "kernel", "tile",  "warp",   "lanes",     "shared", "memory",  "bank",      "conflicts",
        "so",        "we",     "load",  "float4", "then",      "reduce", "with",    "shuffles",  "128",
        "threads",   "per",    "block", "check",  "the",       "tail",   "rows",    "coalesced", "reads",
        "of",        "each",   "row",   "into",   "registers", "exp",    "max",     "sum",       "stride",
        "occupancy", "is",     "bound", "by",     "bandwidth", "not",    "compute", "L2",        "hit",
        "rate",      "and",    "a",     "second", "pass",      "would",  "cost",    "another",   "read"};
    std::string s;
    while (s.size() < bytes) {
        const int sentences = 3 + static_cast<int>(rng() % 6);
        for (int k = 0; k < sentences; ++k) {
            const int n = 8 + static_cast<int>(rng() % 14);
            for (int i = 0; i < n; ++i) {
                std::string w = words[rng() % (sizeof words / sizeof *words)];
                if (i == 0) {
                    w[0] = static_cast<char>(std::toupper(w[0]));
                }
                s += w;
                s += i + 1 < n ? " " : ". ";
            }
        }
        s += "\n\n";
    }
    return s;
}

// An answer: prose, then a fenced CUDA block (the repository's gold kernels in turn), repeated.
std::string answerText(std::size_t bytes, std::mt19937& rng) {
    std::vector<std::string> kernels;
    for (const char* k :
         {"softmax-rows-f32", "rmsnorm-bf16", "transpose-f32", "sgemm-f32", "layernorm-bf16"}) {
        kernels.push_back(readFile(std::string(KF_SOURCE_DIR) + "/resources/specs/" + k + ".gold.cu"));
    }
    std::string s;
    for (std::size_t i = 0; s.size() < bytes; ++i) {
        s += thinkingText(400, rng);
        s += "```cuda\n" + kernels[i % kernels.size()] + "```\n\n";
    }
    return s;
}

struct Gaps {
    double max_ms = 0, p99_ms = 0, p50_ms = 0;
    std::size_t ticks = 0;
    double busy_max_ms = 0, busy_p99_ms = 0; // GUI-thread CPU time between two ticks
};

double threadCpuMs() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// A 4 ms heartbeat on the GUI thread: the wall-clock gaps between its ticks, and the GUI thread's own CPU
// time in each gap (on a loaded machine a long gap with little CPU time is the scheduler, not the view).
class Heartbeat {
public:
    Heartbeat() {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(4);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            const double cpu = threadCpuMs();
            if (m_last >= 0) {
                m_gaps.push_back(static_cast<double>(now - m_last) / 1e6);
                m_busy.push_back(cpu - m_last_cpu);
            }
            m_last = now;
            m_last_cpu = cpu;
        });
    }
    void start() {
        m_clock.start();
        m_timer.start();
    }
    void stop() { m_timer.stop(); }
    std::vector<double> gaps() const { return m_gaps; }
    std::vector<double> busy() const { return m_busy; }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    double m_last_cpu = 0;
    std::vector<double> m_gaps;
    std::vector<double> m_busy;
};

Gaps summarize(std::vector<double> gaps, std::vector<double> busy) {
    Gaps g;
    if (gaps.empty()) {
        return g;
    }
    std::sort(gaps.begin(), gaps.end());
    g.ticks = gaps.size();
    g.max_ms = gaps.back();
    g.p99_ms =
        gaps[std::min(gaps.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(gaps.size())))];
    g.p50_ms = gaps[gaps.size() / 2];
    std::sort(busy.begin(), busy.end());
    g.busy_max_ms = busy.back();
    g.busy_p99_ms =
        busy[std::min(busy.size() - 1, static_cast<std::size_t>(0.99 * static_cast<double>(busy.size())))];
    return g;
}

void medianSpread(const char* what, std::vector<double> v, const char* unit) {
    std::sort(v.begin(), v.end());
    std::printf("  %-28s median %8.2f %s   spread %.2f .. %.2f (n=%zu)\n", what, v[v.size() / 2], unit,
                v.front(), v.back(), v.size());
}

kf::teacher::TeacherSettings settingsFor(const LoopbackServer& server) {
    kf::teacher::TeacherSettings s;
    s.model = "claude-sonnet-4-20250514";
    s.base_url = server.url("");
    s.api_key = "sk-bench-not-a-key";
    return s;
}

void waitFor(TeacherSession* sender, auto signal, int timeout_ms) {
    QEventLoop loop;
    QObject::connect(sender, signal, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeout_ms, &loop, &QEventLoop::quit);
    loop.exec();
}

// (a) One paced stream; returns the heartbeat gaps while it streamed.
Gaps streamRun(double seconds, double rate, double* achieved_rate, std::size_t* shown_bytes) {
    std::mt19937 rng(42);
    const auto text_bytes = static_cast<std::size_t>(seconds * rate * 4.0);
    const auto thinking = thinkingText(text_bytes * 6 / 10, rng);
    const auto answer = answerText(text_bytes * 4 / 10, rng);
    const auto body = kf::teacher::test::anthropicStream(thinking, answer, 16); // ~4 tokens a delta
    const auto pace = 5ms;
    // The server sleeps 5 ms between pieces and oversleeps a little: pieces 15 % larger keep the rate (the
    // achieved rate is printed).
    const auto piece =
        static_cast<std::size_t>(1.15 * static_cast<double>(body.size()) / (seconds * 1000.0 / 5.0));
    LoopbackServer server({ScriptedResponse::stream(body, std::max<std::size_t>(piece, 1), pace)});

    TeacherSession session;
    session.setSettings(settingsFor(server));
    session.setModelCapabilities({});
    ReasoningView view;
    view.attach(&session);
    view.resize(1000, 800);
    view.show();
    QCoreApplication::processEvents();

    Heartbeat heartbeat;
    kf::widgets::TurnStats final_stats;
    QObject::connect(&session, &TeacherSession::turnFinished,
                     [&](const kf::widgets::TurnResult& r) { final_stats = r.stats; });
    heartbeat.start();
    session.ask(QStringLiteral("Write a fast row softmax."));
    waitFor(&session, &TeacherSession::turnFinished, static_cast<int>(seconds * 1000 * 3 + 30000));
    heartbeat.stop();
    *achieved_rate = final_stats.seconds > 0
                         ? static_cast<double>(thinking.size() + answer.size()) / 4.0 / final_stats.seconds
                         : 0;
    *shown_bytes = static_cast<std::size_t>(view.answerText(1).size() + view.thinkingText(1).size());
    return summarize(heartbeat.gaps(), heartbeat.busy());
}

// The same heartbeat with an idle shown view: what the machine itself does to a 4 ms timer.
Gaps idleRun(double seconds) {
    ReasoningView view;
    view.resize(1000, 800);
    view.show();
    QCoreApplication::processEvents();
    Heartbeat heartbeat;
    heartbeat.start();
    QEventLoop loop;
    QTimer::singleShot(static_cast<int>(seconds * 1000), &loop, &QEventLoop::quit);
    loop.exec();
    heartbeat.stop();
    return summarize(heartbeat.gaps(), heartbeat.busy());
}

// Streams `turns` turns (fast) into a session and saves the transcript.
void saveSessionTranscript(const QString& path, std::size_t turn_bytes) {
    std::mt19937 rng(7);
    std::vector<ScriptedResponse> script;
    for (int t = 0; t < 3; ++t) {
        script.push_back(ScriptedResponse::stream(
            kf::teacher::test::anthropicStream(thinkingText(turn_bytes * 7 / 10, rng),
                                               answerText(turn_bytes * 3 / 10, rng), 16),
            64 * 1024, 0ms));
    }
    LoopbackServer server(script);
    TeacherSession session;
    session.setSettings(settingsFor(server));
    session.setModelCapabilities({});
    for (const char* prompt :
         {"Write a fast row softmax.", "It compiled; make it faster.", "Check the tails."}) {
        session.ask(QString::fromLatin1(prompt));
        waitFor(&session, &TeacherSession::turnFinished, 60000);
    }
    QString error;
    if (!session.saveTranscript(path, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
    }
}

// 2 MB of conversation text: four long assistant turns, no raw stream.
void saveTextHeavyTranscript(const QString& path, std::size_t total) {
    std::mt19937 rng(9);
    kf::teacher::Transcript t;
    t.settings.model = "claude-sonnet-4-20250514";
    for (int i = 0; i < 4; ++i) {
        t.conversation.addUser(thinkingText(2000, rng));
        kf::teacher::Turn a;
        a.role = "assistant";
        a.model = t.settings.model;
        a.stop_reason = "end_turn";
        a.usage = {1200, static_cast<int64_t>(total / 16), -1, -1, -1};
        a.blocks.push_back(
            {kf::teacher::BlockKind::Thinking, thinkingText(total / 4 * 6 / 10, rng), "c2ln", "", ""});
        a.blocks.push_back({kf::teacher::BlockKind::Text, answerText(total / 4 * 4 / 10, rng), "", "", ""});
        t.conversation.addAssistant(a);
    }
    std::ofstream(path.toStdString()) << kf::teacher::transcriptToJson(t).dump(2) << "\n";
}

struct OpenTimes {
    std::vector<double> total;  // openTranscript() to the first paint
    std::vector<double> worker; // to the result arriving on the GUI thread (read, parse, kernel extraction)
};

OpenTimes openRuns(const QString& path, int runs) {
    OpenTimes times;
    TeacherSession session;
    ReasoningView view;
    view.attach(&session);
    view.resize(1000, 800);
    view.show();
    QCoreApplication::processEvents();
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer t;
        t.start();
        double worker_ms = 0;
        auto c = QObject::connect(&session, &TeacherSession::conversationReset,
                                  [&] { worker_ms = static_cast<double>(t.nsecsElapsed()) / 1e6; });
        session.openTranscript(path);
        waitFor(&session, &TeacherSession::transcriptOpened, 30000); // the view filled itself in its slot
        view.textEdit()->viewport()->repaint();                      // and shows it
        times.total.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
        times.worker.push_back(worker_ms);
        QObject::disconnect(c);
        session.newConversation();
        QCoreApplication::processEvents();
    }
    return times;
}

int screenshot(const QString& prefix) {
    const auto kernel = readFile(std::string(KF_SOURCE_DIR) + "/resources/specs/softmax-rows-f32.gold.cu");
    const std::string thinking =
        "One row per block: 8192 floats fit in registers across 256 threads, so one pass over DRAM.\n\n"
        "Max first (warp shuffles, then shared memory across warps), then the sum of exp(x - max), then "
        "scale. "
        "float4 loads keep the reads coalesced; the tail is handled when cols is not a multiple of 4.";
    const std::string answer =
        "Here is the kernel: one block per row, a warp-shuffle reduction for the max and "
        "the sum.\n\n```cuda\n" +
        kernel + "```\n\nIt reads each row once and writes it once.";
    LoopbackServer server(
        {ScriptedResponse::stream(kf::teacher::test::anthropicStream(thinking, answer, 24), 256, 2ms),
         ScriptedResponse::stream(
             readFile(std::string(KF_FIXTURES_DIR) + "/anthropic-redacted-thinking-recorded.sse"), 256,
             2ms)});
    TeacherSession session;
    session.setSettings(settingsFor(server));
    session.setModelCapabilities({});
    ReasoningView view;
    view.attach(&session);
    view.resize(1000, 760);
    view.show();
    session.ask(QStringLiteral("Write a row softmax for rows=4096, cols=8192 (f32)."));
    waitFor(&session, &TeacherSession::turnFinished, 20000);
    kf::teacher::RunFeedback fb;
    fb.diagnostics.push_back({3, 5, "warning", "variable \"tid\" was declared but never referenced"});
    fb.timings.push_back({"rows=4096, cols=8192", 61.2, 70.4, 82.0, "DRAM"});
    session.sendFeedback(fb);
    waitFor(&session, &TeacherSession::turnFinished, 20000);
    QCoreApplication::processEvents();
    view.grab().save(prefix + QStringLiteral("-live.png"));
    view.textEdit()->verticalScrollBar()->setValue(0);
    QCoreApplication::processEvents();
    view.grab().save(prefix + QStringLiteral("-top.png"));
    std::printf("wrote %s-live.png and %s-top.png\n", qPrintable(prefix), qPrintable(prefix));
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) {
        qputenv("QT_QPA_PLATFORM", "offscreen");
    }
    QApplication app(argc, argv);
    double seconds = 60;
    double rate = 5000;
    int runs = 3;
    QString only;
    QString shot;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--seconds") {
            seconds = std::atof(argv[i + 1]);
        } else if (flag == "--runs") {
            runs = std::max(1, std::atoi(argv[i + 1]));
        } else if (flag == "--rate") {
            rate = std::atof(argv[i + 1]);
        } else if (flag == "--only") {
            only = QString::fromLatin1(argv[i + 1]);
        } else if (flag == "--screenshot") {
            shot = QString::fromLocal8Bit(argv[i + 1]);
        } else {
            std::fprintf(stderr, "unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!shot.isEmpty()) {
        return screenshot(shot);
    }
    std::printf("platform %s\n", qPrintable(QGuiApplication::platformName()));
    if (only.isEmpty() || only == QLatin1String("stream")) {
        std::printf("(a) %.0f tokens/s for %.0f s into a shown view, 4 ms heartbeat on the GUI thread\n",
                    rate, seconds);
        const auto idle = idleRun(std::min(seconds, 10.0));
        std::printf("  idle view, same heartbeat:  max gap %6.2f ms  p99 %5.2f ms  (GUI busy max %.2f ms)\n",
                    idle.max_ms, idle.p99_ms, idle.busy_max_ms);
        std::vector<double> maxes, p99s, p50s, busy_maxes, busy_p99s;
        for (int r = 0; r < runs; ++r) {
            double achieved = 0;
            std::size_t shown = 0;
            const auto g = streamRun(seconds, rate, &achieved, &shown);
            std::printf("  run %d: max gap %6.2f ms  p99 %5.2f ms  p50 %5.2f ms  | GUI busy per gap: max "
                        "%5.2f ms  p99 "
                        "%5.2f ms  (%zu ticks; %.0f tokens/s achieved, %.1f MB shown)\n",
                        r + 1, g.max_ms, g.p99_ms, g.p50_ms, g.busy_max_ms, g.busy_p99_ms, g.ticks, achieved,
                        static_cast<double>(shown) / 1e6);
            busy_maxes.push_back(g.busy_max_ms);
            busy_p99s.push_back(g.busy_p99_ms);
            maxes.push_back(g.max_ms);
            p99s.push_back(g.p99_ms);
            p50s.push_back(g.p50_ms);
        }
        medianSpread("max gap (target < 50 ms)", maxes, "ms");
        medianSpread("p99 gap (target < 16 ms)", p99s, "ms");
        medianSpread("p50 gap (timer: 4 ms)", p50s, "ms");
        medianSpread("GUI busy per gap, max", busy_maxes, "ms");
        medianSpread("GUI busy per gap, p99", busy_p99s, "ms");
    }
    if (only.isEmpty() || only == QLatin1String("open")) {
        QTemporaryDir dir;
        const QString saved = dir.filePath(QStringLiteral("session.transcript.json"));
        std::size_t turn_bytes = 150 * 1000;
        saveSessionTranscript(saved, turn_bytes);
        turn_bytes = static_cast<std::size_t>(static_cast<double>(turn_bytes) * 2e6 /
                                              static_cast<double>(QFileInfo(saved).size()));
        saveSessionTranscript(saved, turn_bytes);
        const QString heavy = dir.filePath(QStringLiteral("text-heavy.transcript.json"));
        saveTextHeavyTranscript(heavy, 1900 * 1000);
        std::printf(
            "(b) open a transcript: read + parse (worker) + fill the view + first paint, 9 runs each\n");
        for (const auto& [label, path] :
             {std::pair{"session-saved", saved}, std::pair{"text-heavy", heavy}}) {
            const auto times = openRuns(path, 9);
            const auto mb = static_cast<double>(QFileInfo(path).size()) / 1e6;
            medianSpread(
                qPrintable(QStringLiteral("%1 %2 MB: total").arg(QLatin1String(label)).arg(mb, 0, 'f', 2)),
                times.total, "ms");
            medianSpread("  of which worker", times.worker, "ms");
        }
    }
    return 0;
}
