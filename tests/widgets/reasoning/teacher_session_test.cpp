// SPDX-License-Identifier: MIT
// TeacherSession + ReasoningView end to end: loopback servers stream recorded fixtures (and synthetic streams
// with a kernel in the answer) through the real streaming call into the view.
#include "core/teacher/stream_decoder.h"
#include "support/loopback_server.h"
#include "support/synthetic_streams.h"
#include "widgets/reasoning/reasoning_view.h"
#include "widgets/reasoning/run_feedback.h"
#include "widgets/reasoning/teacher_session.h"

#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <fstream>
#include <sstream>

using namespace std::chrono_literals;
using kf::test::LoopbackServer;
using kf::test::ScriptedResponse;
using kf::widgets::ReasoningView;
using kf::widgets::TeacherSession;
using kf::widgets::TurnResult;

namespace {

constexpr const char* kSecret = "sk-ant-test-SECRET-0123456789";

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string fixture(const std::string& name) {
    return readFile(std::string(KF_FIXTURES_DIR) + "/" + name);
}

// What the core decoder makes of a fixture: the oracle for the view's text.
kf::teacher::Turn decoded(kf::teacher::Provider provider, const std::string& bytes) {
    auto decoder = kf::teacher::makeDecoder(provider);
    std::vector<kf::teacher::StreamEvent> events;
    decoder->feed(bytes, events);
    decoder->finish(events);
    kf::teacher::TurnAccumulator acc;
    for (const auto& e : events) {
        acc.apply(e);
    }
    return acc.turn();
}

kf::teacher::TeacherSettings settingsFor(const LoopbackServer& server, kf::teacher::Provider provider) {
    kf::teacher::TeacherSettings s;
    s.provider = provider;
    s.model = provider == kf::teacher::Provider::Anthropic ? "claude-sonnet-4-20250514" : "deepseek-reasoner";
    s.base_url = server.url("");
    s.api_key = kSecret;
    return s;
}

// A session wired to a view, the way the main window wires them.
struct Rig {
    TeacherSession session;
    ReasoningView view;
    QSignalSpy finished{&session, &TeacherSession::turnFinished};
    QSignalSpy failed{&session, &TeacherSession::failed};

    Rig(const LoopbackServer& server, kf::teacher::Provider provider) {
        session.setSettings(settingsFor(server, provider));
        session.setModelCapabilities({}); // unknown: no capabilities request, the builder uses the settings
        view.attach(&session);
        view.resize(900, 600);
        view.show();
    }
    TurnResult result(int i = 0) const { return finished.at(i).at(0).value<TurnResult>(); }
    QString documentText() const { return view.textEdit()->document()->toPlainText(); }
};

} // namespace

class TeacherSessionTest : public QObject {
    Q_OBJECT

private slots:
    void anthropicThinkingFixtureShowsThinkingAndAnswerApart() {
        const auto bytes = fixture("anthropic-thinking-recorded.sse");
        const auto oracle = decoded(kf::teacher::Provider::Anthropic, bytes);
        LoopbackServer server({ScriptedResponse::stream(bytes, 256, 2ms)});
        Rig rig(server, kf::teacher::Provider::Anthropic);
        QSignalSpy started(&rig.session, &TeacherSession::turnStarted);
        QSignalSpy stats(&rig.session, &TeacherSession::statsChanged);
        QVERIFY(rig.session.ask(QStringLiteral("How do I cross the street?")));
        QVERIFY(rig.session.isBusy());
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 1, 15000);
        QCOMPARE(started.count(), 1);
        QCOMPARE(started.at(0).at(0).toInt(), 1); // turn 0 is the prompt
        const auto r = rig.result();
        QCOMPARE(r.status, kf::teacher::TurnStatus::Complete);
        QCOMPARE(r.answer, QString::fromStdString(oracle.answerText()));
        QCOMPARE(rig.view.answerText(1), QString::fromStdString(oracle.answerText()));
        QCOMPARE(rig.view.thinkingText(1), QString::fromStdString(oracle.thinkingText()));
        QVERIFY(rig.view.answerText(1).startsWith(QStringLiteral("Here are the basic steps")));
        QVERIFY(!rig.view.answerText(1).contains(QStringLiteral("straightforward question")));
        QVERIFY(!r.kernel_ok); // no code in this answer: said so
        QVERIFY(!r.kernel_message.isEmpty());
        QCOMPARE(r.stats.input_tokens, 43);
        QCOMPARE(r.stats.output_tokens, 282);
        QVERIFY(!r.stats.output_estimated);
        QVERIFY(r.stats.cost_usd.has_value());
        QVERIFY(stats.count() >= 1);
        QVERIFY(rig.documentText().contains(QStringLiteral("Thinking")));
        QVERIFY(rig.documentText().contains(QStringLiteral("43 in / 282 out tokens")));
        QCOMPARE(rig.view.turnCount(), 2);
        QVERIFY(rig.view.isTurnCollapsed(0)); // the prompt
        QVERIFY(!rig.session.isBusy());
        QCOMPARE(rig.failed.count(), 0);
    }

    void openAiCompatibleFixtureStreamsReasoningAndAnswer() {
        const auto bytes = fixture("deepseek-reasoning-content-recorded.sse");
        const auto oracle = decoded(kf::teacher::Provider::OpenAi, bytes);
        LoopbackServer server({ScriptedResponse::stream(bytes, 1024, 1ms)});
        Rig rig(server, kf::teacher::Provider::OpenAi);
        QVERIFY(rig.session.ask(QStringLiteral("Explain.")));
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 1, 15000);
        QCOMPARE(rig.result().status, kf::teacher::TurnStatus::Complete);
        QVERIFY(!oracle.thinkingText().empty());
        QCOMPARE(rig.view.thinkingText(1), QString::fromStdString(oracle.thinkingText()));
        QCOMPARE(rig.view.answerText(1), QString::fromStdString(oracle.answerText()));
        QCOMPARE(rig.result().answer, QString::fromStdString(oracle.answerText()));
        const auto request = server.requests().at(0);
        QCOMPARE(QString::fromStdString(request.target), QStringLiteral("/chat/completions"));
    }

    void kernelIsExtractedAndFeedbackStreamsTheFollowUp() {
        const auto kernel =
            readFile(std::string(KF_SOURCE_DIR) + "/resources/specs/softmax-rows-f32.gold.cu");
        QVERIFY(!kernel.empty());
        const std::string answer =
            "Here is the kernel.\n\n```cuda\n" + kernel + "```\n\nIt reads each row once.";
        const std::string fixed = "Fixed.\n\n```cuda\n" + kernel + "```\n";
        LoopbackServer server(
            {ScriptedResponse::stream(
                 kf::teacher::test::anthropicStream("Rows fit in registers.", answer, 24), 512, 1ms),
             ScriptedResponse::stream(kf::teacher::test::anthropicStream("The line 3 error.", fixed, 24), 512,
                                      1ms)});
        Rig rig(server, kf::teacher::Provider::Anthropic);
        QVERIFY(rig.session.ask(QStringLiteral("Write a softmax.")));
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 1, 15000);
        auto r = rig.result();
        QVERIFY2(r.kernel_ok, qPrintable(r.kernel_message));
        QCOMPARE(r.kernel_source, QString::fromStdString(kernel));
        QVERIFY(rig.documentText().contains(QStringLiteral("Kernel extracted")));
        // The code lines are marked as code (monospace, highlighted), the prose is not.
        auto* doc = rig.view.textEdit()->document();
        const auto launchBlock = doc->find(QStringLiteral("kf_launch")).block();
        QVERIFY(launchBlock.blockFormat().boolProperty(0x100000 + 3));
        const auto proseBlock = doc->find(QStringLiteral("It reads each row once")).block();
        QVERIFY(!proseBlock.blockFormat().boolProperty(0x100000 + 3));

        kf::runner::RunSummary run;
        run.add({{"event", "compiled"},
                 {"role", "candidate"},
                 {"ok", false},
                 {"diagnostics",
                  {{{"file", "softmax.cu"},
                    {"line", 3},
                    {"col", 5},
                    {"severity", "error"},
                    {"message", "identifier \"blockIdy\" is undefined"}}}}});
        QVERIFY(rig.session.sendFeedback(run));
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 2, 15000);
        QCOMPARE(rig.result(1).turn, 3);
        QCOMPARE(rig.result(1).status, kf::teacher::TurnStatus::Complete);
        QCOMPARE(rig.view.turnCount(), 4);
        const auto follow_up = server.requests().at(1).body;
        QVERIFY(follow_up.find("Compilation failed") != std::string::npos);
        QVERIFY(follow_up.find("blockIdy") != std::string::npos);
        QVERIFY(follow_up.find("Rows fit in registers.") != std::string::npos); // the first turn is replayed
        QCOMPARE(rig.session.conversation().turns().size(), std::size_t(4));

        // The transcript: the kforge ask format, no key; it reopens into the same view.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("t.json"));
        QString error;
        QVERIFY2(rig.session.saveTranscript(path, &error), qPrintable(error));
        const auto text = readFile(path.toStdString());
        QVERIFY(text.find(kSecret) == std::string::npos);
        const auto j = nlohmann::json::parse(text);
        QCOMPARE(QString::fromStdString(j.at("format").get<std::string>()),
                 QStringLiteral("kernelforge.ask-transcript/1"));
        QCOMPARE(j.at("conversation").at("turns").size(), std::size_t(4));
        QCOMPARE(j.at("request").at("headers").at("x-api-key").get<std::string>(), std::string("<redacted>"));

        TeacherSession reopened;
        ReasoningView view2;
        view2.attach(&reopened);
        QSignalSpy opened(&reopened, &TeacherSession::transcriptOpened);
        reopened.openTranscript(path);
        QVERIFY(opened.wait(10000));
        QCOMPARE(view2.turnCount(), 4);
        QCOMPARE(view2.answerText(3), rig.view.answerText(3));
        QCOMPARE(view2.thinkingText(1), rig.view.thinkingText(1));
    }

    void cancelKeepsThePartialTurn() {
        const auto bytes = fixture("anthropic-thinking-recorded.sse");
        LoopbackServer server({ScriptedResponse::stream(bytes, 200, 40ms)}); // about 3 s in all
        Rig rig(server, kf::teacher::Provider::Anthropic);
        QVERIFY(rig.session.ask(QStringLiteral("How do I cross the street?")));
        QTRY_VERIFY_WITH_TIMEOUT(!rig.view.thinkingText(1).isEmpty(), 10000);
        const auto before = rig.view.thinkingText(1);
        QElapsedTimer t;
        t.start();
        rig.session.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 1, 5000);
        QVERIFY2(t.elapsed() < 2000, qPrintable(QString::number(t.elapsed()))); // ~20 ms unloaded
        const auto r = rig.result();
        QCOMPARE(r.status, kf::teacher::TurnStatus::Cancelled);
        QVERIFY(rig.view.thinkingText(1).startsWith(before));
        QVERIFY(!r.thinking.isEmpty());
        QCOMPARE(rig.view.thinkingText(1), r.thinking); // what was shown is what is kept
        QVERIFY(rig.documentText().contains(QStringLiteral("Cancelled: what arrived is kept")));
        QVERIFY(rig.documentText().contains(QStringLiteral("cancelled")));
        QCOMPARE(rig.session.conversation().turns().back().status, kf::teacher::TurnStatus::Cancelled);
        QVERIFY(!rig.session.isBusy());
    }

    void redactedAndOmittedThinkingShowPlaceholders() {
        LoopbackServer server(
            {ScriptedResponse::stream(fixture("anthropic-redacted-thinking-recorded.sse"), 512, 1ms),
             ScriptedResponse::stream(fixture("anthropic-thinking-omitted-unknown-block-recorded.sse"), 512,
                                      1ms)});
        Rig rig(server, kf::teacher::Provider::Anthropic);
        QVERIFY(rig.session.ask(QStringLiteral("ANTHROPIC_MAGIC_STRING_TRIGGER_REDACTED_THINKING")));
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 1, 15000);
        QCOMPARE(rig.documentText().count(QStringLiteral("Thinking redacted by the service")), 2);
        QVERIFY(rig.view.answerText(1).startsWith(QStringLiteral("I notice that you've sent")));
        QVERIFY(rig.session.ask(QStringLiteral("Again")));
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 2, 15000);
        QVERIFY(rig.documentText().contains(QStringLiteral("Thinking omitted by the service")));
    }

    void serverErrorsShowAClearMessage() {
        const std::string body =
            R"({"type":"error","error":{"type":"api_error","message":"Internal server error"},"request_id":"req_011Test"})";
        const auto failing = ScriptedResponse::json(500, body, {{"retry-after-ms", "20"}});
        LoopbackServer server({failing, failing, failing});
        Rig rig(server, kf::teacher::Provider::Anthropic);
        QSignalSpy retries(&rig.session, &TeacherSession::retrying);
        QVERIFY(rig.session.ask(QStringLiteral("Hi")));
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 1, 15000);
        QCOMPARE(retries.count(), 2);
        QCOMPARE(rig.result().status, kf::teacher::TurnStatus::Failed);
        QCOMPARE(rig.failed.count(), 1);
        const auto message = rig.failed.at(0).at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("500")) &&
                     message.contains(QStringLiteral("Internal server error")),
                 qPrintable(message));
        QVERIFY(!message.contains(QString::fromLatin1(kSecret)));
        QVERIFY(rig.documentText().contains(message));
        QVERIFY(rig.documentText().contains(QStringLiteral("attempt 2")));

        server.setScript(
            {ScriptedResponse::stream(fixture("anthropic-error-overloaded-sdk-test.sse"), 512, 1ms)});
        QVERIFY(rig.session.ask(QStringLiteral("Again")));
        QTRY_COMPARE_WITH_TIMEOUT(rig.finished.count(), 2, 15000);
        QCOMPARE(rig.result(1).status, kf::teacher::TurnStatus::Failed);
        const auto overloaded = rig.failed.at(1).at(1).toString();
        QVERIFY2(overloaded.contains(QStringLiteral("verloaded")), qPrintable(overloaded));
        QVERIFY(rig.documentText().contains(overloaded));
        // The failed exchanges are not replayed in the next request.
        QVERIFY(server.requests().back().body.find("\"Hi\"") == std::string::npos);
    }

    void badSettingsAndBusyAreRefusedWithAMessage() {
        LoopbackServer server(
            {ScriptedResponse::stream(fixture("anthropic-thinking-recorded.sse"), 100, 30ms)});
        Rig rig(server, kf::teacher::Provider::Anthropic);
        auto s = rig.session.settings();
        s.api_key.clear();
        rig.session.setSettings(s);
        QVERIFY(!rig.session.ask(QStringLiteral("Hi")));
        QCOMPARE(rig.failed.count(), 1);
        QVERIFY(!rig.failed.at(0).at(1).toString().isEmpty());
        s.api_key = kSecret;
        rig.session.setSettings(s);
        rig.session.setModelCapabilities({});
        QVERIFY(rig.session.ask(QStringLiteral("Hi")));
        QVERIFY(!rig.session.ask(QStringLiteral("Hi again")));
        QCOMPARE(rig.failed.count(), 2);
        rig.session.newConversation(); // drops the running turn
        QVERIFY(!rig.session.isBusy());
        QCOMPARE(rig.view.turnCount(), 0);
        QTest::qWait(200);
        QCOMPARE(rig.finished.count(), 0);
    }

    void openingABadTranscriptSaysWhatIsWrong() {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("bad.json"));
        {
            std::ofstream out(path.toStdString());
            out << R"({"format":"kernelforge.ask-transcript/1","conversation":{"format":"kernelforge.conversation/1",
                      "turns":[{"role":"assistant","blocks":[]}]}})";
        }
        TeacherSession session;
        QSignalSpy failedOpen(&session, &TeacherSession::transcriptFailed);
        session.openTranscript(path);
        QVERIFY(failedOpen.wait(10000));
        const auto message = failedOpen.at(0).at(1).toString();
        QVERIFY2(message.contains(QStringLiteral("conversation.turns[0]")), qPrintable(message));
        session.openTranscript(dir.filePath(QStringLiteral("missing.json")));
        QVERIFY(failedOpen.wait(10000));
        QVERIFY(failedOpen.at(1).at(1).toString().contains(QStringLiteral("missing.json")));
    }

    void runSummaryMapsOntoTheFeedback() {
        kf::runner::RunSummary run;
        run.add(
            {{"event", "compiled"},
             {"role", "candidate"},
             {"ok", true},
             {"diagnostics",
              {{{"file", "k.cu"}, {"line", 7}, {"col", 2}, {"severity", "warning"}, {"message", "unused"}},
               {{"file", "softmax.reference.cu"},
                {"line", 1},
                {"col", 1},
                {"severity", "warning"},
                {"message", "not the teacher's"}}}}});
        run.add({{"event", "ceilings"}, {"dram_gbps", 3000.0}, {"fp32_tflops", 60.0}});
        run.add({{"event", "checked"},
                 {"size_index", 0},
                 {"size", {{"rows", 4096}}},
                 {"phase", "check"},
                 {"ok", false},
                 {"rel_l2", 0.5},
                 {"max_abs_err", 2.0},
                 {"bad", 17},
                 {"problems", {"wrong values"}},
                 {"worst", {{"output", "y"}, {"index", {17, 4095}}, {"got", 0.12}, {"want", 0.13}}}});
        run.add({{"event", "timed"},
                 {"size_index", 1},
                 {"size", {{"rows", 8192}}},
                 {"who", "candidate"},
                 {"median_us", 10.0},
                 {"gbps", 1500.0},
                 {"gflops", 900.0}});
        run.add({{"event", "timed"},
                 {"size_index", 1},
                 {"size", {{"rows", 8192}}},
                 {"who", "baseline"},
                 {"median_us", 20.0}});
        const auto fb = kf::widgets::runFeedbackFromSummary(run);
        QVERIFY(fb.compiled);
        QCOMPARE(fb.diagnostics.size(), std::size_t(1));
        QCOMPARE(fb.diagnostics[0].line, 7);
        QCOMPARE(fb.checks.size(), std::size_t(1));
        QVERIFY(!fb.checks[0].ok);
        QCOMPARE(fb.checks[0].bad, 17);
        QCOMPARE(QString::fromStdString(fb.checks[0].worst),
                 QStringLiteral("y[17, 4095]: got 0.12, expected 0.13"));
        QCOMPARE(fb.timings.size(), std::size_t(1));
        QCOMPARE(fb.timings[0].candidate_us, 10.0);
        QCOMPARE(fb.timings[0].baseline_us, 20.0);
        QCOMPARE(fb.timings[0].pct_of_roof, 50.0);
        QCOMPARE(QString::fromStdString(fb.timings[0].roof), QStringLiteral("DRAM"));
    }
};

QTEST_MAIN(TeacherSessionTest)
#include "teacher_session_test.moc"
