// SPDX-License-Identifier: MIT
// Loopback benchmark of the teacher client's streaming path. A ~2 MB Anthropic thinking stream (many small
// thinking_delta events) is served by the loopback test server as fast as it can send, and in the same
// process, interleaved, N runs each of:
//   (a) bare libcurl: an easy-handle download of the same bytes, discarding them;
//   (b) full client: streamingCall = HttpStream + Anthropic decoder + TurnAccumulator (+ raw byte log);
// and, to show where the time goes:
//   (c) HttpStream alone, discarding the bytes;
//   (d) decoder + accumulator on the bytes in memory, no network.
// A second, paced round serves the same bytes in 16 KiB pieces 1 ms apart (~10-15 MB/s, still far faster than
// any teacher streams) and compares (a) and (b) again: there the decoder keeps up and the ratio shows the
// latency the client adds on a network that is the bottleneck.
// Usage: loopback_bench [runs=15] [megabytes=2]

#include "support/loopback_server.h"
#include "teacher/http_stream.h"
#include "teacher/stream_decoder.h"
#include "teacher/streaming_call.h"
#include "teacher/turn.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <curl/curl.h>
#include <random>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
using kf::teacher::Provider;

std::string sse(const std::string& name, const std::string& data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
}

// Token-sized thinking deltas (1-4 words), a ping now and then, as a live stream looks.
std::string buildStream(std::size_t target_bytes, std::string& thinking) {
    static const char* words[] = {
        "Let",  "me",     "think",  "about",  "the",   "kernel",           "tile",  "size",
        "warp", "lanes",  "shared", "memory", "bank",  "conflict",         "so",    "we",
        "load", "float4", "then",   "reduce", "with",  "__shfl_down_sync", "128",   "threads",
        "per",  "block,", "and",    "check",  "tails", "\\\"odd\\\"",      "sizes", "\\u00f7",
        "\\n"};
    std::mt19937 rng(1);
    std::string s =
        sse("message_start", R"({"type":"message_start","message":{"id":"msg_bench","type":"message","role":)"
                             R"("assistant","model":"claude-bench","content":[],"stop_reason":null,"usage":)"
                             R"({"input_tokens":1000,"output_tokens":1}}})") +
        sse("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":)"
                                   R"("thinking","thinking":"","signature":""}})");
    std::size_t events = 0;
    while (s.size() < target_bytes) {
        std::string text;
        const int n = 1 + static_cast<int>(rng() % 4);
        for (int i = 0; i < n; ++i) {
            text += words[rng() % (sizeof words / sizeof *words)];
            text += ' ';
        }
        s += sse("content_block_delta",
                 R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":")" +
                     text + R"("}})");
        thinking += text;
        if (++events % 50 == 0)
            s += sse("ping", R"({"type": "ping"})");
    }
    s += sse("content_block_delta",
             R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta",)"
             R"("signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxbench"}})") +
         sse("content_block_stop", R"({"type":"content_block_stop","index":0})") +
         sse("message_delta",
             R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},)"
             R"("usage":{"output_tokens":500000}})") +
         sse("message_stop", R"({"type":"message_stop"})");
    std::fprintf(stderr, "stream: %zu bytes, %zu thinking_delta events\n", s.size(), events);
    return s;
}

std::size_t discard(char*, std::size_t size, std::size_t n, void* total) {
    *static_cast<std::size_t*>(total) += size * n;
    return size * n;
}

double bare(const kf::teacher::HttpRequest& req, std::size_t expect) {
    const auto t0 = Clock::now();
    CURL* e = curl_easy_init();
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : req.headers)
        headers = curl_slist_append(headers, (k + ": " + v).c_str());
    std::size_t total = 0;
    curl_easy_setopt(e, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, req.body.c_str());
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &discard);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &total);
    const CURLcode rc = curl_easy_perform(e);
    curl_slist_free_all(headers);
    curl_easy_cleanup(e);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (rc != CURLE_OK || total != expect) {
        std::fprintf(stderr, "bare download failed: %s, %zu bytes\n", curl_easy_strerror(rc), total);
        std::exit(1);
    }
    return ms;
}

double full(const kf::teacher::HttpRequest& req, const std::string& thinking) {
    std::atomic<bool> cancel{false};
    std::size_t events = 0;
    const auto t0 = Clock::now();
    const auto r = kf::teacher::streamingCall(req, {}, Provider::Anthropic, cancel,
                                              [&](const kf::teacher::StreamEvent&) { ++events; });
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (r.turn.status != kf::teacher::TurnStatus::Complete ||
        r.turn.thinkingText().size() != thinking.size()) {
        std::fprintf(stderr, "full path failed: %s\n", r.turn.error.c_str());
        std::exit(1);
    }
    return ms;
}

double transportOnly(const kf::teacher::HttpRequest& req, std::size_t expect) {
    std::atomic<bool> cancel{false};
    std::size_t total = 0;
    kf::teacher::HttpStream::Callbacks cb;
    cb.on_body = [&](std::string_view b) { total += b.size(); };
    const auto t0 = Clock::now();
    const auto r = kf::teacher::HttpStream().perform(req, {}, cb, cancel);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (r.outcome != kf::teacher::HttpStream::Result::Outcome::Completed || total != expect) {
        std::fprintf(stderr, "HttpStream failed: %s\n", r.message.c_str());
        std::exit(1);
    }
    return ms;
}

double decodeOnly(const std::string& bytes) {
    const auto t0 = Clock::now();
    auto decoder = kf::teacher::makeDecoder(Provider::Anthropic);
    kf::teacher::TurnAccumulator acc;
    std::vector<kf::teacher::StreamEvent> events;
    for (std::size_t i = 0; i < bytes.size(); i += 16384) { // libcurl's default buffer size
        events.clear();
        decoder->feed(std::string_view(bytes).substr(i, 16384), events);
        for (const auto& e : events)
            acc.apply(e);
    }
    events.clear();
    decoder->finish(events);
    for (const auto& e : events)
        acc.apply(e);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    if (acc.turn().status != kf::teacher::TurnStatus::Complete) {
        std::fprintf(stderr, "decode failed\n");
        std::exit(1);
    }
    return ms;
}

struct Stats {
    double median, min, max;
};

Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return {median, v.front(), v.back()};
}

} // namespace

int main(int argc, char** argv) {
    const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 15;
    const double megabytes = argc > 2 ? std::atof(argv[2]) : 2.0;
    curl_global_init(CURL_GLOBAL_DEFAULT);

    std::string raw_thinking; // as JSON-escaped on the wire
    const std::string body = buildStream(static_cast<std::size_t>(megabytes * 1024 * 1024), raw_thinking);
    std::string thinking; // decoded, for checking each run
    {
        auto decoder = kf::teacher::makeDecoder(Provider::Anthropic);
        kf::teacher::TurnAccumulator acc;
        std::vector<kf::teacher::StreamEvent> events;
        decoder->feed(body, events);
        decoder->finish(events);
        for (const auto& e : events)
            acc.apply(e);
        thinking = acc.turn().thinkingText();
    }
    kf::test::ScriptedResponse resp;
    resp.headers = {{"Content-Type", "text/event-stream; charset=utf-8"}};
    resp.body.push_back(
        {body, std::chrono::milliseconds(0)}); // one piece: sent as fast as the socket takes it
    kf::test::LoopbackServer server({resp});
    const kf::teacher::HttpRequest req{server.url("/v1/messages"),
                                       {{"x-api-key", "bench"}, {"content-type", "application/json"}},
                                       R"({"model":"claude-bench","stream":true})"};

    for (int i = 0; i < 2; ++i) { // warm-up
        bare(req, body.size());
        full(req, thinking);
    }
    std::vector<double> a, b, c, d;
    for (int i = 0; i < runs; ++i) { // interleaved, order rotated so that no variant always runs first
        const int order = i % 4;
        for (int k = 0; k < 4; ++k) {
            switch ((order + k) % 4) {
            case 0:
                a.push_back(bare(req, body.size()));
                break;
            case 1:
                b.push_back(full(req, thinking));
                break;
            case 2:
                c.push_back(transportOnly(req, body.size()));
                break;
            case 3:
                d.push_back(decodeOnly(body));
                break;
            }
        }
    }
    // Event by event: one send() per SSE event, no delay, TCP_NODELAY: how a streaming server writes,
    // replayed as fast as it can send. The primary figure; the single-write mode above is the stress case.
    kf::test::ScriptedResponse per_event;
    per_event.headers = resp.headers;
    for (std::size_t at = 0; at < body.size();) {
        const auto end = body.find("\n\n", at);
        const std::size_t next = end == std::string::npos ? body.size() : end + 2;
        per_event.body.push_back({body.substr(at, next - at), std::chrono::milliseconds(0)});
        at = next;
    }
    const std::size_t event_writes = per_event.body.size();
    kf::test::LoopbackServer event_server({per_event});
    kf::teacher::HttpRequest event_req = req;
    event_req.url = event_server.url("/v1/messages");
    bare(event_req, body.size());
    full(event_req, thinking);
    std::vector<double> ea, eb;
    for (int i = 0; i < runs; ++i) {
        if (i % 2 == 0) {
            ea.push_back(bare(event_req, body.size()));
            eb.push_back(full(event_req, thinking));
        } else {
            eb.push_back(full(event_req, thinking));
            ea.push_back(bare(event_req, body.size()));
        }
    }

    kf::test::LoopbackServer paced_server(
        {kf::test::ScriptedResponse::stream(body, 16384, std::chrono::milliseconds(1), "text/event-stream",
                                            kf::test::ScriptedResponse::Framing::ContentLength)});
    kf::teacher::HttpRequest paced_req = req;
    paced_req.url = paced_server.url("/v1/messages");
    std::vector<double> pa, pb;
    for (int i = 0; i < runs; ++i) {
        if (i % 2 == 0) {
            pa.push_back(bare(paced_req, body.size()));
            pb.push_back(full(paced_req, thinking));
        } else {
            pb.push_back(full(paced_req, thinking));
            pa.push_back(bare(paced_req, body.size()));
        }
    }

    const Stats sa = stats(a), sb = stats(b), sc = stats(c), sd = stats(d), spa = stats(pa), spb = stats(pb);
    const Stats sea = stats(ea), seb = stats(eb);
    const double mb = static_cast<double>(body.size()) / (1024.0 * 1024.0);
    std::printf("%d runs each, %.2f MB stream\n", runs, mb);
    std::printf("%-44s %9s %9s %9s %9s\n", "", "median", "min", "max", "MB/s");
    const auto row = [&](const char* name, const Stats& s) {
        std::printf("%-44s %7.2f ms %6.2f ms %6.2f ms %8.0f\n", name, s.median, s.min, s.max,
                    mb / (s.median / 1000));
    };
    row("(a) bare libcurl download", sa);
    row("(b) full client (HttpStream+decoder+turn)", sb);
    row("(c) HttpStream only", sc);
    row("(d) decoder+accumulator, in memory", sd);
    std::printf("ratio of medians (b)/(a), one write: %.2fx\n", sb.median / sa.median);
    std::printf("ratio of medians (c)/(a): %.2fx\n", sc.median / sa.median);
    std::printf("event by event (%zu writes, no delay, TCP_NODELAY):\n", event_writes);
    row("(a) bare libcurl download", sea);
    row("(b) full client (HttpStream+decoder+turn)", seb);
    std::printf("ratio of medians (b)/(a), event by event: %.2fx (target <= 1.2x)\n",
                seb.median / sea.median);
    std::printf("paced (16 KiB every 1 ms):\n");
    row("(a) bare libcurl download", spa);
    row("(b) full client (HttpStream+decoder+turn)", spb);
    std::printf("ratio of medians (b)/(a), paced: %.2fx\n", spb.median / spa.median);
    curl_global_cleanup();
    return 0;
}
