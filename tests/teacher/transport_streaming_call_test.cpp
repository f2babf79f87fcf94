// SPDX-License-Identifier: MIT
// streamingCall end to end over loopback HTTP: recorded streams, retries, failures, cancel, proxies.

#include "support/loopback_server.h"
#include "support/transport_util.h"
#include "teacher/streaming_call.h"

#include <algorithm>
#include <arpa/inet.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <mutex>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
using kf::teacher::CallHooks;
using kf::teacher::CallResult;
using kf::teacher::HttpOptions;
using kf::teacher::HttpRequest;
using kf::teacher::Provider;
using kf::teacher::RetryDecision;
using kf::teacher::StreamEvent;
using kf::teacher::streamingCall;
using kf::teacher::Turn;
using kf::teacher::TurnStatus;
using kf::test::Chunk;
using kf::test::LoopbackServer;
using kf::test::ScriptedResponse;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kSecret = "sk-ant-api03-SECRET-do-not-leak-0123456789";

HttpRequest request(const LoopbackServer& s, std::string path = "/v1/messages") {
    return HttpRequest{
        s.url(path),
        {{"x-api-key", kSecret}, {"anthropic-version", "2023-06-01"}, {"content-type", "application/json"}},
        R"({"model":"claude-test","stream":true})"};
}

std::string anthropicErrorBody(const std::string& type, const std::string& message) {
    return R"({"type":"error","error":{"type":")" + type + R"(","message":")" + message +
           R"("},"request_id":"req_011CBody"})";
}

// Runs streamingCall, recording the events and the retry notices.
struct CallRun {
    std::vector<StreamEvent> events;
    std::vector<RetryDecision> retries;
    CallResult result;
    double elapsed_ms = 0;

    CallRun(const HttpRequest& req, Provider provider, HttpOptions opts = {},
            const std::atomic<bool>* cancel_flag = nullptr) {
        std::atomic<bool> never{false};
        CallHooks hooks;
        hooks.seed = 42;
        hooks.on_retry = [this](const RetryDecision& d, int) { retries.push_back(d); };
        const auto t0 = Clock::now();
        result = streamingCall(
            req, opts, provider, cancel_flag ? *cancel_flag : never,
            [this](const StreamEvent& e) { events.push_back(e); }, hooks);
        elapsed_ms = kf::test::msSince(t0, Clock::now());
    }
    const Turn& turn() const { return result.turn; }
    int errorEvents() const {
        return static_cast<int>(std::count_if(events.begin(), events.end(), [](const StreamEvent& e) {
            return e.type == StreamEvent::Type::Error;
        }));
    }
};

std::vector<StreamEvent> decodeEvents(Provider provider, std::string_view bytes) {
    auto decoder = kf::teacher::makeDecoder(provider);
    std::vector<StreamEvent> events;
    decoder->feed(bytes, events);
    decoder->finish(events);
    return events;
}

bool providerOf(const std::string& name, Provider& p) {
    if (name.starts_with("anthropic-") && name.ends_with(".sse"))
        p = Provider::Anthropic;
    else if (name.ends_with(".ndjson"))
        p = Provider::Ollama;
    else if (name.ends_with(".sse"))
        p = Provider::OpenAi;
    else
        return false; // .jsonl payload files and sidecars
    return true;
}

// Offset just after the n-th occurrence of `needle` (plus `extra` bytes).
std::size_t offsetAfter(const std::string& text, const std::string& needle, int n, std::size_t extra) {
    std::size_t pos = 0;
    for (int i = 0; i < n; ++i)
        pos = text.find(needle, pos) + needle.size();
    return pos + extra;
}

int freePortRefusing(int& fd) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    return ntohs(addr.sin_port);
}

class StreamingCallTest : public ::testing::Test {
protected:
    kf::test::ProxyEnvGuard m_env;
};

} // namespace

TEST_F(StreamingCallTest, RecordedFixturesThroughTheClientGiveTheSameTurnAsDecodingTheFile) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(KF_FIXTURES_DIR))
        names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    int served = 0;
    for (const std::string& name : names) {
        Provider provider{};
        if (!providerOf(name, provider))
            continue;
        SCOPED_TRACE(name);
        const std::string bytes = kf::test::fixture(name);
        const Turn expected = kf::test::decodeDirect(provider, bytes);
        const auto expected_events = decodeEvents(provider, bytes);
        const std::string type = provider == Provider::Ollama ? "application/x-ndjson" : "text/event-stream";
        for (auto framing : {ScriptedResponse::Framing::Chunked, ScriptedResponse::Framing::ContentLength}) {
            LoopbackServer server({ScriptedResponse::stream(bytes, 61, 0ms, type, framing)});
            CallRun run(request(server), provider);
            EXPECT_EQ(run.result.attempts, 1);
            EXPECT_EQ(run.result.http_status, 200);
            EXPECT_TRUE(run.result.raw_bytes == bytes);
            EXPECT_TRUE(run.turn() == expected)
                << "status " << static_cast<int>(run.turn().status) << " error " << run.turn().error
                << " / expected " << expected.error;
            EXPECT_TRUE(run.events == expected_events);
        }
        ++served;
    }
    EXPECT_GE(served, 15);
}

TEST_F(StreamingCallTest, TheThreeNamedRecordingsCompleteWithReasoning) {
    const std::pair<const char*, Provider> cases[] = {
        {"anthropic-thinking-recorded.sse", Provider::Anthropic},
        {"deepseek-reasoning-content-recorded.sse", Provider::OpenAi},
        {"ollama-chat-thinking-recorded.ndjson", Provider::Ollama},
    };
    for (const auto& [name, provider] : cases) {
        SCOPED_TRACE(name);
        const std::string bytes = kf::test::fixture(name);
        LoopbackServer server({ScriptedResponse::stream(bytes, 97, 1ms)});
        CallRun run(request(server), provider);
        EXPECT_EQ(run.turn().status, TurnStatus::Complete) << run.turn().error;
        EXPECT_FALSE(run.turn().thinkingText().empty());
        EXPECT_FALSE(run.turn().answerText().empty());
        EXPECT_TRUE(run.turn() == kf::test::decodeDirect(provider, bytes));
    }
}

TEST_F(StreamingCallTest, ResponseRequestIdIsKeptOnTheTurn) {
    auto resp = ScriptedResponse::stream(kf::test::fixture("anthropic-text-basic-docs.sse"), 100, 0ms);
    resp.headers.emplace_back("request-id", "req_from_header");
    LoopbackServer server({resp});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.turn().status, TurnStatus::Complete);
    EXPECT_EQ(run.turn().request_id, "req_from_header");
    EXPECT_EQ(run.result.head.header("Request-Id"), "req_from_header");
}

TEST_F(StreamingCallTest, ConnectionDroppedMidThinkingFailsIncompleteAndKeepsThePartialReasoning) {
    const std::string bytes = kf::test::fixture("anthropic-thinking-recorded.sse");
    const std::string full = kf::test::decodeDirect(Provider::Anthropic, bytes).thinkingText();
    auto resp = ScriptedResponse::stream(bytes, 50, 0ms);
    resp.drop_after = offsetAfter(bytes, "thinking_delta", 6, 20);
    LoopbackServer server({resp});
    CallRun run(request(server), Provider::Anthropic);

    EXPECT_EQ(run.result.attempts, 1); // the stream had started: no retry
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "incomplete_stream");
    EXPECT_NE(run.turn().error.find("partial output kept"), std::string::npos) << run.turn().error;
    const std::string partial = run.turn().thinkingText();
    EXPECT_FALSE(partial.empty());
    EXPECT_LT(partial.size(), full.size());
    EXPECT_EQ(full.substr(0, partial.size()), partial);
    EXPECT_EQ(run.result.raw_bytes, bytes.substr(0, *resp.drop_after));
    ASSERT_FALSE(run.events.empty());
    EXPECT_EQ(run.events.back().type, StreamEvent::Type::Error);
    EXPECT_EQ(run.errorEvents(), 1);
}

TEST_F(StreamingCallTest, StallPastTheInactivityTimeoutFailsStalledWithPartialKept) {
    auto resp = ScriptedResponse::stream(
        kf::test::anthropicStart() + kf::test::anthropicThinking("Let me think"), 80, 5ms);
    resp.stall = true;
    LoopbackServer server({resp});
    HttpOptions opts;
    opts.inactivity_timeout = 300ms;
    CallRun run(request(server), Provider::Anthropic, opts);
    EXPECT_EQ(run.result.attempts, 1);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "stalled");
    EXPECT_NE(run.turn().error.find("no bytes"), std::string::npos) << run.turn().error;
    EXPECT_NE(run.turn().error.find("0.3 s"), std::string::npos) << run.turn().error;
    EXPECT_EQ(run.turn().thinkingText(), "Let me think");
    EXPECT_EQ(run.turn().model, "claude-test");
    EXPECT_GE(run.elapsed_ms, 300.0);
    EXPECT_LT(run.elapsed_ms, 1500.0);
}

TEST_F(StreamingCallTest, SlowDripKeptAliveByPingsEvery100msCompletesUnderA300msTimeout) {
    // Thinking arrives every 500 ms (longer than the timer); pings every 100 ms in between keep it alive.
    std::vector<Chunk> chunks{{kf::test::anthropicStart(), 0ms}};
    for (int i = 0; i < 3; ++i) {
        chunks.push_back({kf::test::anthropicThinking("step " + std::to_string(i) + ". "), 100ms});
        for (int p = 0; p < 4; ++p)
            chunks.push_back({kf::test::anthropicPing(), 100ms});
    }
    chunks.push_back({kf::test::anthropicEnd(), 100ms});
    ScriptedResponse resp;
    resp.headers = {{"Content-Type", "text/event-stream"}};
    resp.framing = ScriptedResponse::Framing::Chunked;
    resp.body = chunks;
    LoopbackServer server({resp});
    HttpOptions opts;
    opts.inactivity_timeout = 300ms;
    CallRun run(request(server), Provider::Anthropic, opts);
    EXPECT_EQ(run.turn().status, TurnStatus::Complete) << run.turn().error;
    EXPECT_EQ(run.turn().thinkingText(), "step 0. step 1. step 2. ");
    EXPECT_EQ(run.turn().usage.output_tokens, 42);
    EXPECT_GE(run.elapsed_ms, 1500.0);
}

TEST_F(StreamingCallTest, RateLimitedWithRetryAfterOneSecondThenSuccess) {
    const std::string bytes = kf::test::fixture("anthropic-thinking-recorded.sse");
    LoopbackServer server({ScriptedResponse::json(429, anthropicErrorBody("rate_limit_error", "slow down"),
                                                  {{"retry-after", "1"}, {"request-id", "req_429"}}),
                           ScriptedResponse::stream(bytes, 512, 0ms)});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 2);
    EXPECT_EQ(run.turn().status, TurnStatus::Complete) << run.turn().error;
    EXPECT_TRUE(run.turn() == kf::test::decodeDirect(Provider::Anthropic, bytes));
    EXPECT_EQ(run.result.raw_bytes, bytes); // the last attempt's bytes only
    ASSERT_EQ(run.retries.size(), 1u);
    EXPECT_EQ(run.retries[0].delay, 1000ms);
    const auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 2u);
    const double waited = kf::test::msSince(reqs[0].received, reqs[1].received);
    std::printf("[ timing   ] 429 retry-after: 1 -> second request after %.0f ms\n", waited);
    EXPECT_GE(waited, 1000.0);
    EXPECT_LT(waited, 1600.0);
    EXPECT_EQ(reqs[1].body, reqs[0].body); // the same request again
    EXPECT_EQ(run.errorEvents(), 0);       // no event leaked from the failed attempt
}

TEST_F(StreamingCallTest, OverloadedTwiceThenSuccessTakesThreeAttemptsWithBackoff) {
    const std::string bytes = kf::test::fixture("anthropic-text-basic-docs.sse");
    const auto overloaded = ScriptedResponse::json(529, anthropicErrorBody("overloaded_error", "Overloaded"));
    LoopbackServer server({overloaded, overloaded, ScriptedResponse::stream(bytes, 64, 0ms)});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 3);
    EXPECT_EQ(run.turn().status, TurnStatus::Complete) << run.turn().error;
    const auto reqs = server.requests();
    ASSERT_EQ(reqs.size(), 3u);
    const double gap1 = kf::test::msSince(reqs[0].received, reqs[1].received);
    const double gap2 = kf::test::msSince(reqs[1].received, reqs[2].received);
    std::printf("[ timing   ] 529 backoff gaps: %.0f ms, %.0f ms\n", gap1, gap2);
    EXPECT_GE(gap1, 375.0); // 0.5 s x (1 - U[0, 0.25))
    EXPECT_LT(gap1, 800.0);
    EXPECT_GE(gap2, 750.0); // 1 s x (1 - U[0, 0.25))
    EXPECT_LT(gap2, 1400.0);
}

TEST_F(StreamingCallTest, ServerErrorThreeTimesFailsWithAnActionableMessage) {
    auto err = ScriptedResponse::json(500, anthropicErrorBody("api_error", "Internal server error"),
                                      {{"retry-after-ms", "20"}});
    LoopbackServer server({err});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 3);
    EXPECT_EQ(server.requestCount(), 3u);
    EXPECT_EQ(run.result.http_status, 500);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "http_error");
    const std::string& m = run.turn().error;
    for (const char* want : {"HTTP 500", "internal error", "try again later", "Internal server error",
                             "req_011CBody", "after 3 attempts"})
        EXPECT_NE(m.find(want), std::string::npos) << want << " in: " << m;
    ASSERT_EQ(run.errorEvents(), 1);
    EXPECT_EQ(run.events.back().http_status, 500);
    EXPECT_EQ(run.events.back().request_id, "");
    EXPECT_EQ(run.turn().request_id, "");
    EXPECT_EQ(run.result.raw_bytes, anthropicErrorBody("api_error", "Internal server error"));
}

TEST_F(StreamingCallTest, SpendCapIsNeverRetried) {
    const std::string body =
        R"({"type":"error","error":{"type":"rate_limit_error","message":"You have reached your specified API usage )"
        R"(limits.","details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_cap"})";
    LoopbackServer server({ScriptedResponse::json(429, body), ScriptedResponse::json(200, "{}")});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 1);
    EXPECT_EQ(server.requestCount(), 1u);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_NE(run.turn().error.find("spend limit"), std::string::npos) << run.turn().error;
    EXPECT_NE(run.turn().error.find("req_cap"), std::string::npos) << run.turn().error;
}

TEST_F(StreamingCallTest, UnauthorizedIsNotRetriedAndNamesTheKeyWithoutShowingIt) {
    // The service echoes the key it was sent (OpenAI-style): it must not reach the message.
    const std::string body =
        anthropicErrorBody("authentication_error", std::string("invalid x-api-key ") + kSecret);
    LoopbackServer server({ScriptedResponse::json(401, body, {{"request-id", "req_401"}})});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 1);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "http_error");
    EXPECT_NE(run.turn().error.find("ANTHROPIC_API_KEY"), std::string::npos) << run.turn().error;
    EXPECT_NE(run.turn().error.find("API key was rejected"), std::string::npos) << run.turn().error;
    EXPECT_EQ(run.turn().error.find("SECRET"), std::string::npos) << run.turn().error;
    EXPECT_EQ(run.turn().request_id, "req_401");
    for (const auto& e : run.events)
        EXPECT_EQ(e.text.find("SECRET"), std::string::npos);
}

TEST_F(StreamingCallTest, ErrorResponseCutShortIsStillJudgedByItsStatus) {
    auto cut = ScriptedResponse::json(401, anthropicErrorBody("authentication_error", "invalid x-api-key"));
    cut.drop_after = 10;
    LoopbackServer server({cut});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 1); // a 401, not a connection error: no retry
    EXPECT_EQ(run.result.http_status, 401);
    EXPECT_EQ(run.turn().error_type, "http_error");
    EXPECT_NE(run.turn().error.find("ANTHROPIC_API_KEY"), std::string::npos) << run.turn().error;
    EXPECT_NE(run.turn().error.find("cut short"), std::string::npos) << run.turn().error;
}

TEST_F(StreamingCallTest, ShouldRetryHeaderOverridesBothWays) {
    {
        LoopbackServer server({ScriptedResponse::json(500, anthropicErrorBody("api_error", "boom"),
                                                      {{"x-should-retry", "false"}})});
        CallRun run(request(server), Provider::Anthropic);
        EXPECT_EQ(run.result.attempts, 1);
        EXPECT_EQ(server.requestCount(), 1u);
        EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    }
    {
        LoopbackServer server(
            {ScriptedResponse::json(404, anthropicErrorBody("not_found_error", "later"),
                                    {{"x-should-retry", "true"}, {"retry-after-ms", "10"}}),
             ScriptedResponse::stream(kf::test::fixture("anthropic-text-basic-docs.sse"), 64, 0ms)});
        CallRun run(request(server), Provider::Anthropic);
        EXPECT_EQ(run.result.attempts, 2);
        EXPECT_EQ(run.turn().status, TurnStatus::Complete) << run.turn().error;
    }
}

TEST_F(StreamingCallTest, NonJsonErrorBodiesAndOtherProviders) {
    const std::string cloudflare =
        "<html><head><title>413 Request Entity Too Large</title></head><body><center>"
        "<h1>413 Request Entity Too Large</h1></center><hr><center>cloudflare</center>"
        "</body></html>";
    auto html = ScriptedResponse::json(413, cloudflare, {{"Content-Type", "text/html"}});
    LoopbackServer server({html});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 1);
    EXPECT_NE(run.turn().error.find("too large"), std::string::npos) << run.turn().error;
    EXPECT_NE(run.turn().error.find("413 Request Entity Too Large"), std::string::npos) << run.turn().error;

    LoopbackServer ollama(
        {ScriptedResponse::json(404, R"({"error":"model \"qwen3:8b\" not found, try pulling it first"})")});
    CallRun run2(request(ollama, "/api/chat"), Provider::Ollama);
    EXPECT_EQ(run2.result.attempts, 1);
    EXPECT_NE(run2.turn().error.find("unknown model"), std::string::npos) << run2.turn().error;
    EXPECT_NE(run2.turn().error.find("try pulling it first"), std::string::npos) << run2.turn().error;
}

TEST_F(StreamingCallTest, GarbageInA200FailsWithAProtocolError) {
    const std::string body = kf::test::anthropicStart() + kf::test::anthropicThinking("ok so far") +
                             "event: content_block_delta\ndata: \x01\xff{{garbage]]\n\n" +
                             kf::test::anthropicThinking(" never shown") + kf::test::anthropicEnd();
    LoopbackServer server({ScriptedResponse::stream(body, 100, 0ms)});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 1);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "protocol_error") << run.turn().error;
    EXPECT_EQ(run.turn().thinkingText(), "ok so far");
    EXPECT_EQ(run.result.raw_bytes, body);

    // Bytes that are not a stream at all.
    static constexpr char kPng[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR binary";
    LoopbackServer noise({ScriptedResponse::stream(std::string(kPng, sizeof kPng - 1), 8, 0ms)});
    CallRun run2(request(noise), Provider::Anthropic);
    EXPECT_EQ(run2.turn().status, TurnStatus::Failed);
    EXPECT_FALSE(run2.turn().error_type.empty());
}

TEST_F(StreamingCallTest, MidStreamErrorEventIsNotRetried) {
    LoopbackServer server(
        {ScriptedResponse::stream(kf::test::fixture("anthropic-error-overloaded-sdk-test.sse"), 40, 0ms)});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 1);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "overloaded_error");
    ASSERT_EQ(run.errorEvents(), 1);
    EXPECT_EQ(run.events.back().http_status, 200);
}

TEST_F(StreamingCallTest, EmptySuccessfulResponseFailsIncompleteWithoutRetry) {
    LoopbackServer server({ScriptedResponse::stream("", 1, 0ms)});
    CallRun run(request(server), Provider::Anthropic);
    EXPECT_EQ(run.result.attempts, 1);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "incomplete_stream");
}

TEST_F(StreamingCallTest, FailuresBeforeTheFirstBodyByteAreRetried) {
    const std::string bytes = kf::test::fixture("anthropic-text-basic-docs.sse");
    const Turn expected = kf::test::decodeDirect(Provider::Anthropic, bytes);
    { // 200 head, then the connection closes before any body byte
        auto dropped = ScriptedResponse::stream(bytes, 64, 0ms);
        dropped.drop_after = 0;
        LoopbackServer server({dropped, ScriptedResponse::stream(bytes, 64, 0ms)});
        CallRun run(request(server), Provider::Anthropic);
        EXPECT_EQ(run.result.attempts, 2);
        EXPECT_TRUE(run.turn() == expected) << run.turn().error;
    }
    { // no answer at all within the inactivity timeout
        auto silent = ScriptedResponse::json(200, "{}");
        silent.head_delay = 3000ms;
        LoopbackServer server({silent, ScriptedResponse::stream(bytes, 64, 0ms)});
        HttpOptions opts;
        opts.inactivity_timeout = 300ms;
        CallRun run(request(server), Provider::Anthropic, opts);
        EXPECT_EQ(run.result.attempts, 2);
        EXPECT_TRUE(run.turn() == expected) << run.turn().error;
        ASSERT_EQ(run.retries.size(), 1u);
        EXPECT_NE(run.retries[0].reason.find("connection"), std::string::npos) << run.retries[0].reason;
    }
}

TEST_F(StreamingCallTest, RefusedConnectionIsRetriedThenFailsWithTheCause) {
    int fd = -1;
    const int port = freePortRefusing(fd);
    HttpRequest req{
        "http://127.0.0.1:" + std::to_string(port) + "/v1/messages", {{"x-api-key", kSecret}}, "{}"};
    CallRun run(req, Provider::Anthropic);
    close(fd);
    EXPECT_EQ(run.result.attempts, 3);
    EXPECT_EQ(run.retries.size(), 2u);
    EXPECT_EQ(run.turn().status, TurnStatus::Failed);
    EXPECT_EQ(run.turn().error_type, "connection_failed");
    EXPECT_NE(run.turn().error.find("could not reach"), std::string::npos) << run.turn().error;
    EXPECT_NE(run.turn().error.find("after 3 attempts"), std::string::npos) << run.turn().error;
    EXPECT_EQ(run.turn().error.find("SECRET"), std::string::npos);
    EXPECT_EQ(run.result.http_status, 0);
}

TEST_F(StreamingCallTest, CancelMidThinkingEndsCancelledWithin200msKeepingThePartial) {
    for (bool stalled : {true, false}) {
        SCOPED_TRACE(stalled ? "server silent" : "server still sending");
        std::vector<Chunk> chunks{{kf::test::anthropicStart(), 0ms}};
        for (int i = 0; i < (stalled ? 3 : 200); ++i)
            chunks.push_back(
                {kf::test::anthropicThinking("t" + std::to_string(i) + " "), stalled ? 1ms : 15ms});
        ScriptedResponse resp;
        resp.headers = {{"Content-Type", "text/event-stream"}};
        resp.framing = ScriptedResponse::Framing::Chunked;
        resp.body = chunks;
        resp.stall = true;
        LoopbackServer server({resp});

        std::atomic<bool> cancel{false};
        std::atomic<int> deltas{0};
        std::vector<StreamEvent> events;
        CallResult result;
        Clock::time_point returned;
        std::thread worker([&] {
            result = streamingCall(request(server), HttpOptions{}, Provider::Anthropic, cancel,
                                   [&](const StreamEvent& e) {
                                       events.push_back(e);
                                       if (e.type == StreamEvent::Type::ThinkingDelta)
                                           ++deltas;
                                   });
            returned = Clock::now();
        });
        for (int i = 0; i < 300 && deltas < 3; ++i)
            std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(100ms);
        const auto flagged = Clock::now();
        cancel = true;
        worker.join();
        const double latency = kf::test::msSince(flagged, returned);
        std::printf("[ latency  ] streamingCall cancel (%s): %.1f ms\n", stalled ? "stall" : "flowing",
                    latency);

        EXPECT_LT(latency, 200.0);
        EXPECT_EQ(result.turn.status, TurnStatus::Cancelled);
        EXPECT_EQ(result.turn.error_type, "");
        EXPECT_EQ(result.attempts, 1);
        EXPECT_GE(deltas.load(), 3);
        EXPECT_EQ(result.turn.thinkingText().substr(0, 9), "t0 t1 t2 ");
        EXPECT_EQ(result.turn.model, "claude-test");
        EXPECT_TRUE(std::none_of(events.begin(), events.end(),
                                 [](const StreamEvent& e) { return e.type == StreamEvent::Type::Error; }));
        EXPECT_TRUE(server.waitForClientClose(0, 2000ms).has_value()) << "socket left open";
    }
}

TEST_F(StreamingCallTest, CancelWhileWaitingToRetryIsQuick) {
    LoopbackServer server({ScriptedResponse::json(429, anthropicErrorBody("rate_limit_error", "wait"),
                                                  {{"retry-after", "30"}})});
    std::atomic<bool> cancel{false};
    std::atomic<bool> waiting{false};
    CallResult result;
    Clock::time_point returned;
    CallHooks hooks;
    hooks.on_retry = [&](const RetryDecision& d, int next) {
        EXPECT_EQ(d.delay, 30000ms);
        EXPECT_EQ(next, 2);
        waiting = true;
    };
    std::thread worker([&] {
        result = streamingCall(request(server), HttpOptions{}, Provider::Anthropic, cancel, {}, hooks);
        returned = Clock::now();
    });
    for (int i = 0; i < 300 && !waiting; ++i)
        std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(100ms);
    const auto flagged = Clock::now();
    cancel = true;
    worker.join();
    EXPECT_LT(kf::test::msSince(flagged, returned), 200.0);
    EXPECT_EQ(result.turn.status, TurnStatus::Cancelled);
    EXPECT_EQ(result.attempts, 1);
    EXPECT_EQ(server.requestCount(), 1u);
}

TEST_F(StreamingCallTest, HttpProxyFromTheEnvironmentCarriesTheStream) {
    const std::string bytes = kf::test::fixture("deepseek-reasoning-content-recorded.sse");
    LoopbackServer origin({ScriptedResponse::stream(bytes, 128, 0ms)});
    LoopbackServer proxy({ScriptedResponse::proxy()});
    setenv("http_proxy", proxy.url("").c_str(), 1);
    HttpRequest req{
        origin.url("/v1/chat/completions"), {{"authorization", std::string("Bearer ") + kSecret}}, "{}"};
    CallRun run(req, Provider::OpenAi);
    EXPECT_EQ(run.turn().status, TurnStatus::Complete) << run.turn().error;
    EXPECT_TRUE(run.turn() == kf::test::decodeDirect(Provider::OpenAi, bytes));
    ASSERT_EQ(proxy.requestCount(), 1u);
    EXPECT_EQ(proxy.requests()[0].target, origin.url("/v1/chat/completions"));
    ASSERT_EQ(origin.requestCount(), 1u);
    EXPECT_EQ(origin.requests()[0].header("authorization"), std::string("Bearer ") + kSecret);
}

TEST_F(StreamingCallTest, HeaderValuesNeverReachErrorMessages) {
    // Every failure path, with the key in both headers and echoed back by the service in various places.
    const std::string echo = std::string("key ") + kSecret + " / Bearer " + kSecret;
    auto drop = ScriptedResponse::stream(kf::test::anthropicStart(), 30, 0ms);
    drop.drop_after = 100;
    auto stall = ScriptedResponse::stream(kf::test::anthropicStart(), 30, 0ms);
    stall.stall = true;
    const std::vector<ScriptedResponse> failures = {
        ScriptedResponse::json(400, anthropicErrorBody("invalid_request_error", echo)),
        ScriptedResponse::json(403, R"({"error":")" + echo + R"("})"),
        ScriptedResponse::json(413, "<html><title>" + echo + "</title></html>"),
        ScriptedResponse::stream(
            kf::test::anthropicStart() +
                kf::test::sseEvent("error", R"({"type":"error","error":{"type":"api_error",)"
                                            R"("message":")" +
                                                echo + R"("}})"),
            50, 0ms),
        drop,
        stall,
    };
    for (std::size_t i = 0; i < failures.size(); ++i) {
        SCOPED_TRACE(i);
        LoopbackServer server({failures[i]});
        HttpRequest req = request(server);
        req.headers.emplace_back("authorization", std::string("Bearer ") + kSecret);
        HttpOptions opts;
        opts.inactivity_timeout = 200ms;
        CallRun run(req, Provider::Anthropic, opts);
        EXPECT_EQ(run.turn().status, TurnStatus::Failed);
        EXPECT_FALSE(run.turn().error.empty());
        EXPECT_EQ(run.turn().error.find("SECRET"), std::string::npos) << run.turn().error;
        for (const auto& e : run.events) {
            if (e.type == StreamEvent::Type::Error) {
                EXPECT_EQ(e.text.find("SECRET"), std::string::npos) << e.text;
            }
        }
    }
}
