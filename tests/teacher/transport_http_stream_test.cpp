// SPDX-License-Identifier: MIT
// HttpStream against a real HTTP/1.1 server on 127.0.0.1: bytes, heads, failures, timers, cancel, proxies.

#include "support/loopback_server.h"
#include "support/transport_util.h"
#include "teacher/http_stream.h"

#include <algorithm>
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>

using namespace std::chrono_literals;
using kf::teacher::HttpHead;
using kf::teacher::HttpOptions;
using kf::teacher::HttpRequest;
using kf::teacher::HttpStream;
using kf::test::Chunk;
using kf::test::LoopbackServer;
using kf::test::ScriptedResponse;
using Outcome = HttpStream::Result::Outcome;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kSecret = "sk-ant-api03-SECRET-do-not-leak-0123456789";

struct Collected {
    HttpHead head;
    int heads = 0;
    std::string body;
    bool body_before_head = false;
    std::vector<Clock::time_point> body_times;
};

HttpStream::Callbacks collect(Collected& c) {
    HttpStream::Callbacks cb;
    cb.on_head = [&c](const HttpHead& h) {
        c.head = h;
        ++c.heads;
    };
    cb.on_body = [&c](std::string_view b) {
        if (c.heads == 0)
            c.body_before_head = true;
        c.body.append(b);
        c.body_times.push_back(Clock::now());
    };
    return cb;
}

HttpRequest post(const LoopbackServer& s, std::string body = R"({"stream":true})") {
    return HttpRequest{
        s.url("/v1/messages"),
        {{"x-api-key", kSecret}, {"anthropic-version", "2023-06-01"}, {"content-type", "application/json"}},
        std::move(body)};
}

std::string lettersBody(std::size_t n) {
    std::string s(n, 'a');
    for (std::size_t i = 0; i < n; ++i)
        s[i] = static_cast<char>('a' + i % 26);
    return s;
}

class HttpStreamTest : public ::testing::Test {
protected:
    kf::test::ProxyEnvGuard m_env;
    HttpStream m_http;
    std::atomic<bool> m_cancel{false};
};

} // namespace

TEST_F(HttpStreamTest, PostSendsMethodPathHeadersAndBodyAndDeliversTheHead) {
    LoopbackServer server({ScriptedResponse::json(200, R"({"ok":true})", {{"Request-Id", "req_123"}})});
    Collected c;
    const auto r = m_http.perform(post(server), HttpOptions{}, collect(c), m_cancel);

    EXPECT_EQ(r.outcome, Outcome::Completed) << r.message;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body_bytes, c.body.size());
    EXPECT_EQ(c.body, R"({"ok":true})");
    EXPECT_EQ(c.heads, 1);
    EXPECT_FALSE(c.body_before_head);
    EXPECT_EQ(c.head.status, 200);
    EXPECT_EQ(c.head.header("request-id"), "req_123"); // case-insensitive lookup
    EXPECT_EQ(c.head.header("CONTENT-TYPE"), "application/json");
    EXPECT_EQ(c.head.header("x-missing"), "");

    ASSERT_EQ(server.requestCount(), 1u);
    const auto req = server.requests()[0];
    EXPECT_EQ(req.method, "POST");
    EXPECT_EQ(req.target, "/v1/messages");
    EXPECT_EQ(req.header("x-api-key"), kSecret);
    EXPECT_EQ(req.header("anthropic-version"), "2023-06-01");
    EXPECT_EQ(req.header("content-type"), "application/json");
    EXPECT_EQ(req.body, R"({"stream":true})");
    EXPECT_EQ(req.header("expect"), "");          // no 100-continue round trip
    EXPECT_EQ(req.header("accept-encoding"), ""); // no compression
}

TEST_F(HttpStreamTest, GetWhenTheBodyIsEmpty) {
    LoopbackServer server({ScriptedResponse::json(200, R"({"id":"claude-test"})")});
    Collected c;
    const auto r = m_http.perform(HttpRequest{server.url("/v1/models/claude-test"), {}, ""}, HttpOptions{},
                                  collect(c), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Completed) << r.message;
    ASSERT_EQ(server.requestCount(), 1u);
    EXPECT_EQ(server.requests()[0].method, "GET");
    EXPECT_EQ(server.requests()[0].target, "/v1/models/claude-test");
    EXPECT_EQ(c.body, R"({"id":"claude-test"})");
}

TEST_F(HttpStreamTest, BodiesArriveByteExactInEveryFraming) {
    const std::string body = lettersBody(200'000) + "\r\n\xe2\x80\xa8\xc3\xb7 end";
    for (auto framing : {ScriptedResponse::Framing::ContentLength, ScriptedResponse::Framing::Chunked,
                         ScriptedResponse::Framing::Close}) {
        LoopbackServer server({ScriptedResponse::stream(body, 997, 0ms, "text/event-stream", framing)});
        Collected c;
        const auto r = m_http.perform(post(server), HttpOptions{}, collect(c), m_cancel);
        EXPECT_EQ(r.outcome, Outcome::Completed) << r.message;
        EXPECT_EQ(r.body_bytes, body.size());
        EXPECT_TRUE(c.body == body) << "framing " << static_cast<int>(framing);
        EXPECT_EQ(c.heads, 1);
    }
}

TEST_F(HttpStreamTest, AResponseWithoutBodyStillGetsItsHeadAndErrorsAreCompletedTransfers) {
    ScriptedResponse empty;
    empty.status = 204;
    LoopbackServer server({empty, ScriptedResponse::json(529, R"({"type":"error"})")});
    Collected c;
    auto r = m_http.perform(post(server), HttpOptions{}, collect(c), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Completed);
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(c.heads, 1);
    EXPECT_EQ(c.head.status, 204);
    EXPECT_EQ(r.body_bytes, 0u);

    Collected c2;
    r = m_http.perform(post(server), HttpOptions{}, collect(c2), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Completed); // an HTTP error is a transfer that worked
    EXPECT_EQ(r.status, 529);
    EXPECT_EQ(c2.body, R"({"type":"error"})");
}

TEST_F(HttpStreamTest, InterimResponsesAreDroppedAndRedirectsNotFollowed) {
    ScriptedResponse early;
    early.raw =
        "HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\n"
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    ScriptedResponse redirect = ScriptedResponse::json(302, "", {{"Location", "/elsewhere"}});
    LoopbackServer server({early, redirect});
    Collected c;
    auto r = m_http.perform(post(server), HttpOptions{}, collect(c), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Completed) << r.message;
    EXPECT_EQ(c.head.status, 200);
    EXPECT_FALSE(c.head.has("link"));
    EXPECT_EQ(c.body, "ok");

    Collected c2;
    r = m_http.perform(post(server), HttpOptions{}, collect(c2), m_cancel);
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(server.requestCount(), 2u); // the Location was not followed
}

TEST_F(HttpStreamTest, RefusedConnectionIsConnectFailed) {
    // A bound socket that does not listen: connecting to it is refused.
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/v1/messages";

    Collected c;
    const auto r =
        m_http.perform(HttpRequest{url, {{"x-api-key", kSecret}}, "{}"}, HttpOptions{}, collect(c), m_cancel);
    close(fd);
    EXPECT_EQ(r.outcome, Outcome::ConnectFailed);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(c.heads, 0);
    EXPECT_FALSE(r.message.empty());
    EXPECT_EQ(r.message.find(kSecret), std::string::npos);
}

TEST_F(HttpStreamTest, DroppedConnectionAfterBytesIsDroppedWithTheBytesDelivered) {
    for (auto framing : {ScriptedResponse::Framing::ContentLength, ScriptedResponse::Framing::Chunked}) {
        auto resp = ScriptedResponse::stream(lettersBody(5000), 500, 0ms, "text/event-stream", framing);
        resp.drop_after = 1234;
        LoopbackServer server({resp});
        Collected c;
        const auto r = m_http.perform(post(server), HttpOptions{}, collect(c), m_cancel);
        EXPECT_EQ(r.outcome, Outcome::Dropped) << outcomeName(r.outcome) << " " << r.message;
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.body_bytes, 1234u);
        EXPECT_EQ(c.body, lettersBody(5000).substr(0, 1234));
        EXPECT_FALSE(r.message.empty());
        EXPECT_EQ(r.message.find(kSecret), std::string::npos);
    }
}

TEST_F(HttpStreamTest, NonHttpGarbageFailsWithoutABody) {
    ScriptedResponse garbage;
    static constexpr char kNoise[] = "\x16\x03\x01\x00\xff garbage \x00\x01 not http\r\n\r\n";
    garbage.raw = std::string(kNoise, sizeof kNoise - 1);
    LoopbackServer server({garbage});
    Collected c;
    const auto r = m_http.perform(post(server), HttpOptions{}, collect(c), m_cancel);
    EXPECT_TRUE(r.outcome == Outcome::ConnectFailed || r.outcome == Outcome::Dropped)
        << outcomeName(r.outcome);
    EXPECT_FALSE(r.message.empty());
    EXPECT_EQ(c.body, "");
}

TEST_F(HttpStreamTest, StallAfterSomeBytesTripsTheInactivityTimer) {
    auto resp = ScriptedResponse::stream(": hello\n\n", 100, 0ms);
    resp.stall = true;
    LoopbackServer server({resp});
    Collected c;
    HttpOptions opts;
    opts.inactivity_timeout = 300ms;
    const auto t0 = Clock::now();
    const auto r = m_http.perform(post(server), opts, collect(c), m_cancel);
    const auto t1 = Clock::now();
    EXPECT_EQ(r.outcome, Outcome::Inactive) << r.message;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(c.body, ": hello\n\n");
    ASSERT_FALSE(c.body_times.empty());
    const double silent = kf::test::msSince(c.body_times.back(), t1);
    EXPECT_GE(silent, 290.0);
    EXPECT_LT(silent, 600.0);
    EXPECT_LT(kf::test::msSince(t0, t1), 2000.0);
    EXPECT_NE(r.message.find("0.3 s"), std::string::npos) << r.message;
    EXPECT_TRUE(server.waitForClientClose(0, 2000ms).has_value()); // the socket was closed
}

TEST_F(HttpStreamTest, NoResponseAtAllTripsTheInactivityTimer) {
    auto resp = ScriptedResponse::json(200, "{}");
    resp.head_delay = 5000ms;
    LoopbackServer server({resp});
    Collected c;
    HttpOptions opts;
    opts.inactivity_timeout = 300ms;
    const auto t0 = Clock::now();
    const auto r = m_http.perform(post(server), opts, collect(c), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Inactive);
    EXPECT_EQ(r.status, 0);
    EXPECT_EQ(c.heads, 0);
    EXPECT_LT(kf::test::msSince(t0, Clock::now()), 1500.0);
}

TEST_F(HttpStreamTest, SlowDripWithPingsEvery100msNeverTripsA300msTimer) {
    std::string body;
    for (int i = 0; i < 12; ++i)
        body += kf::test::anthropicPing(); // 39 bytes each
    auto resp = ScriptedResponse::stream(body, kf::test::anthropicPing().size(), 100ms);
    LoopbackServer server({resp});
    Collected c;
    HttpOptions opts;
    opts.inactivity_timeout = 300ms;
    const auto t0 = Clock::now();
    const auto r = m_http.perform(post(server), opts, collect(c), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Completed) << r.message;
    EXPECT_EQ(c.body, body);
    EXPECT_GE(kf::test::msSince(t0, Clock::now()), 1000.0); // 11 gaps of 100 ms: longer than the timer
}

TEST_F(HttpStreamTest, CancelDuringAStallStopsWithin200ms) {
    std::vector<double> latencies;
    for (int trial = 0; trial < 5; ++trial) {
        auto resp = ScriptedResponse::stream(
            kf::test::anthropicStart() + kf::test::anthropicThinking("Let me"), 64, 0ms);
        resp.stall = true;
        LoopbackServer server({resp});
        std::atomic<bool> cancel{false};
        std::atomic<bool> got_bytes{false};
        HttpStream::Callbacks cb;
        cb.on_body = [&](std::string_view) { got_bytes = true; };
        HttpStream::Result r;
        Clock::time_point returned;
        std::thread worker([&] {
            r = m_http.perform(post(server), HttpOptions{}, cb, cancel);
            returned = Clock::now();
        });
        for (int i = 0; i < 200 && !got_bytes; ++i)
            std::this_thread::sleep_for(10ms);
        std::this_thread::sleep_for(150ms); // well into the stall
        const auto flagged = Clock::now();
        cancel = true;
        worker.join();
        EXPECT_TRUE(got_bytes.load());
        EXPECT_EQ(r.outcome, Outcome::Cancelled);
        latencies.push_back(kf::test::msSince(flagged, returned));
        EXPECT_TRUE(server.waitForClientClose(0, 2000ms).has_value()) << "socket left open";
    }
    const double worst = *std::max_element(latencies.begin(), latencies.end());
    std::string all;
    for (double l : latencies)
        all += std::to_string(l) + " ";
    std::printf("[ latency  ] cancel during stall, ms: %s(worst %.1f)\n", all.c_str(), worst);
    EXPECT_LT(worst, 200.0);
}

TEST_F(HttpStreamTest, CancelBeforeTheResponseAndBeforeStartingAreQuick) {
    auto resp = ScriptedResponse::json(200, "{}");
    resp.head_delay = 5000ms;
    LoopbackServer server({resp});
    std::atomic<bool> cancel{false};
    HttpStream::Result r;
    Clock::time_point returned;
    std::thread worker([&] {
        r = m_http.perform(post(server), HttpOptions{}, {}, cancel);
        returned = Clock::now();
    });
    ASSERT_TRUE(server.waitForRequests(1, 2000ms));
    std::this_thread::sleep_for(100ms);
    const auto flagged = Clock::now();
    cancel = true;
    worker.join();
    EXPECT_EQ(r.outcome, Outcome::Cancelled);
    EXPECT_LT(kf::test::msSince(flagged, returned), 200.0);

    const auto t0 = Clock::now();
    r = m_http.perform(post(server), HttpOptions{}, {}, cancel); // already set
    EXPECT_EQ(r.outcome, Outcome::Cancelled);
    EXPECT_LT(kf::test::msSince(t0, Clock::now()), 200.0);
}

TEST_F(HttpStreamTest, ExceptionsFromCallbacksPropagate) {
    LoopbackServer server({ScriptedResponse::json(200, "{}")});
    HttpStream::Callbacks cb;
    cb.on_body = [](std::string_view) { throw std::runtime_error("consumer failed"); };
    EXPECT_THROW(m_http.perform(post(server), HttpOptions{}, cb, m_cancel), std::runtime_error);
}

TEST_F(HttpStreamTest, HttpProxyFromTheEnvironmentIsUsedAndNoProxyRespected) {
    LoopbackServer origin({ScriptedResponse::json(200, R"({"via":"origin"})")});
    LoopbackServer proxy({ScriptedResponse::proxy()});
    const std::string url = origin.url("/v1/messages");

    setenv("http_proxy", proxy.url("").c_str(), 1);
    Collected c;
    auto r = m_http.perform(HttpRequest{url, {{"x-api-key", kSecret}}, R"({"q":1})"}, HttpOptions{},
                            collect(c), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Completed) << r.message;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(c.body, R"({"via":"origin"})");
    ASSERT_EQ(proxy.requestCount(), 1u);
    EXPECT_EQ(proxy.requests()[0].target, url); // absolute form: it went through the proxy
    ASSERT_EQ(origin.requestCount(), 1u);
    EXPECT_EQ(origin.requests()[0].target, "/v1/messages");
    EXPECT_EQ(origin.requests()[0].body, R"({"q":1})");

    setenv("no_proxy", "127.0.0.1", 1);
    Collected c2;
    r = m_http.perform(HttpRequest{url, {}, "{}"}, HttpOptions{}, collect(c2), m_cancel);
    EXPECT_EQ(r.outcome, Outcome::Completed) << r.message;
    EXPECT_EQ(proxy.requestCount(), 1u); // bypassed
    EXPECT_EQ(origin.requestCount(), 2u);
}

TEST_F(HttpStreamTest, MessagesNeverContainHeaderValues) {
    auto drop = ScriptedResponse::stream(lettersBody(100), 10, 0ms);
    drop.drop_after = 50;
    auto stall = ScriptedResponse::stream("x", 1, 0ms);
    stall.stall = true;
    LoopbackServer server({drop, stall});
    HttpOptions opts;
    opts.inactivity_timeout = 200ms;
    HttpRequest req = post(server);
    req.headers.emplace_back("authorization", std::string("Bearer ") + kSecret);
    for (int i = 0; i < 2; ++i) {
        const auto r = m_http.perform(req, opts, {}, m_cancel);
        EXPECT_NE(r.outcome, Outcome::Completed);
        EXPECT_EQ(r.message.find("SECRET"), std::string::npos) << r.message;
        EXPECT_EQ(r.message.find("Bearer"), std::string::npos) << r.message;
    }
}
