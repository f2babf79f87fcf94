// SPDX-License-Identifier: MIT
// Throughput of the teacher stream layers on a large recorded-shape stream, fed in 16 KiB chunks:
//   SSE framing (SseParser), full decode (AnthropicDecoder / OpenAiDecoder), decode + TurnAccumulator.
// The Anthropic stream replicates the deltas of anthropic-thinking-recorded.sse to ~50 MB inside one message;
// the OpenAI-compatible one replicates the chunks of deepseek-reasoning-content-recorded.sse.
//
// Usage: parser_bench [fixtures-dir] [megabytes]   (MB = 10^6 bytes; 5 runs each, median [min, max])

#include "teacher/anthropic_decoder.h"
#include "teacher/openai_decoder.h"
#include "teacher/sse_parser.h"
#include "teacher/stream_event.h"
#include "teacher/turn.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kf::teacher::StreamEvent;

constexpr std::size_t kChunk = 16 * 1024;
constexpr int kRuns = 5;

std::filesystem::path defaultFixturesDir() {
#ifdef KF_FIXTURES_DIR
    return KF_FIXTURES_DIR;
#else
    if (const char* env = std::getenv("KF_FIXTURES_DIR")) {
        return env;
    }
    return std::filesystem::path(__FILE__).parent_path() / ".." / "teacher" / "fixtures" / "streams";
#endif
}

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.string().c_str());
        std::exit(2);
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The events of an SSE text with "\n\n" separators, each with its separator.
std::vector<std::string> splitEvents(const std::string& text) {
    std::vector<std::string> events;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find("\n\n", start);
        const std::size_t stop = end == std::string::npos ? text.size() : end + 2;
        events.push_back(text.substr(start, stop - start));
        start = stop;
    }
    return events;
}

// message_start, thinking block start, the thinking deltas x k, signature, stop, text block start, the text
// deltas x k, stop, message_delta, message_stop: one valid message of about `target` bytes.
std::string bigAnthropicStream(const std::string& recorded, std::size_t target, std::size_t& deltas) {
    std::vector<std::string> head, thinking, tail_of_thinking, text_head, text, tail;
    int block = -1;
    for (const std::string& e : splitEvents(recorded)) {
        if (e.find("content_block_start") != std::string::npos) {
            ++block;
            (block == 0 ? head : text_head).push_back(e);
        } else if (e.find("thinking_delta") != std::string::npos ||
                   e.find("text_delta") != std::string::npos) {
            (block == 0 ? thinking : text).push_back(e);
        } else if (block < 0 || (block == 0 && thinking.empty())) {
            head.push_back(e); // message_start, pings before the first delta
        } else if (block == 0) {
            tail_of_thinking.push_back(e); // signature_delta, content_block_stop
        } else if (text.empty()) {
            text_head.push_back(e);
        } else {
            tail.push_back(e);
        }
    }
    std::size_t per_rep = 0;
    for (const auto* group : {&thinking, &text}) {
        for (const std::string& e : *group) {
            per_rep += e.size();
        }
    }
    const std::size_t reps = std::max<std::size_t>(1, target / per_rep);
    std::string out;
    out.reserve(reps * per_rep + recorded.size());
    const auto append = [&](const std::vector<std::string>& group, std::size_t times) {
        for (std::size_t i = 0; i < times; ++i) {
            for (const std::string& e : group) {
                out += e;
            }
        }
    };
    append(head, 1);
    append(thinking, reps);
    append(tail_of_thinking, 1);
    append(text_head, 1);
    append(text, reps);
    append(tail, 1);
    deltas = reps * (thinking.size() + text.size());
    return out;
}

// The first chunk (role), then every other chunk replicated, then the finish chunk and [DONE].
std::string bigOpenAiStream(const std::string& recorded, std::size_t target) {
    const std::vector<std::string> events = splitEvents(recorded);
    if (events.size() < 4) {
        return recorded;
    }
    std::size_t per_rep = 0;
    for (std::size_t i = 1; i + 2 < events.size(); ++i) {
        per_rep += events[i].size();
    }
    const std::size_t reps = std::max<std::size_t>(1, target / per_rep);
    std::string out = events[0];
    for (std::size_t r = 0; r < reps; ++r) {
        for (std::size_t i = 1; i + 2 < events.size(); ++i) {
            out += events[i];
        }
    }
    out += events[events.size() - 2];
    out += events.back();
    return out;
}

struct Stats {
    double median, min, max;
};

Stats measure(std::size_t bytes, const std::function<std::size_t()>& run, std::size_t expect,
              const char* what) {
    std::vector<double> mbps;
    for (int i = 0; i < kRuns; ++i) {
        const auto t0 = std::chrono::steady_clock::now();
        const std::size_t n = run();
        const auto t1 = std::chrono::steady_clock::now();
        if (n != expect) {
            std::fprintf(stderr, "%s: got %zu, expected %zu\n", what, n, expect);
            std::exit(1);
        }
        const double s = std::chrono::duration<double>(t1 - t0).count();
        mbps.push_back(static_cast<double>(bytes) / 1e6 / s);
    }
    std::sort(mbps.begin(), mbps.end());
    return {mbps[mbps.size() / 2], mbps.front(), mbps.back()};
}

void report(const char* what, std::size_t bytes, const Stats& s) {
    std::printf("%-44s %8.1f MB/s  [min %7.1f, max %7.1f]  (%.1f MB)\n", what, s.median, s.min, s.max,
                static_cast<double>(bytes) / 1e6);
}

template <class Feed>
void chunked(const std::string& text, Feed&& feed) {
    const std::string_view all(text);
    for (std::size_t at = 0; at < all.size(); at += kChunk) {
        feed(all.substr(at, kChunk));
    }
}

std::size_t sseEvents(const std::string& text) {
    kf::teacher::SseParser parser;
    std::vector<kf::teacher::SseEvent> events;
    std::size_t n = 0;
    chunked(text, [&](std::string_view chunk) {
        events.clear();
        parser.feed(chunk, events);
        n += events.size();
    });
    return n;
}

// Decodes; returns the number of StreamEvents (0 unless the stream ended in Done).
template <class Decoder>
std::size_t decodeEvents(const std::string& text, bool accumulate) {
    Decoder decoder;
    kf::teacher::TurnAccumulator acc;
    std::vector<StreamEvent> events;
    std::size_t n = 0;
    bool done = false;
    const auto drain = [&] {
        for (const StreamEvent& e : events) {
            done = done || e.type == StreamEvent::Type::Done;
            if (accumulate) {
                acc.apply(e);
            }
        }
        n += events.size();
        events.clear();
    };
    chunked(text, [&](std::string_view chunk) {
        decoder.feed(chunk, events);
        drain();
    });
    decoder.finish(events);
    drain();
    if (accumulate && acc.turn().status != kf::teacher::TurnStatus::Complete) {
        return 0;
    }
    return done ? n : 0;
}

} // namespace

int main(int argc, char** argv) {
    const std::filesystem::path dir = argc > 1 ? std::filesystem::path(argv[1]) : defaultFixturesDir();
    const std::size_t target = (argc > 2 ? static_cast<std::size_t>(std::atol(argv[2])) : 50) * 1'000'000;

    std::size_t deltas = 0;
    const std::string anthropic =
        bigAnthropicStream(readFile(dir / "anthropic-thinking-recorded.sse"), target, deltas);
    const std::string openai =
        bigOpenAiStream(readFile(dir / "deepseek-reasoning-content-recorded.sse"), target);

    std::printf("chunks of %zu bytes, %d runs each, median [min, max]\n", kChunk, kRuns);
    const std::size_t anthropic_sse = sseEvents(anthropic);
    const std::size_t anthropic_events = decodeEvents<kf::teacher::AnthropicDecoder>(anthropic, false);
    if (anthropic_events == 0) {
        std::fprintf(stderr, "the Anthropic stream did not decode to Done\n");
        return 1;
    }
    std::printf("Anthropic stream: %zu SSE events, %zu deltas, %zu StreamEvents\n", anthropic_sse, deltas,
                anthropic_events);
    report("SSE framing (Anthropic thinking stream)", anthropic.size(),
           measure(
               anthropic.size(), [&] { return sseEvents(anthropic); }, anthropic_sse, "sse"));
    report("Anthropic decode (SSE + JSON + events)", anthropic.size(),
           measure(
               anthropic.size(),
               [&] { return decodeEvents<kf::teacher::AnthropicDecoder>(anthropic, false); },
               anthropic_events, "anthropic"));
    report("Anthropic decode + TurnAccumulator", anthropic.size(),
           measure(
               anthropic.size(), [&] { return decodeEvents<kf::teacher::AnthropicDecoder>(anthropic, true); },
               anthropic_events, "anthropic+turn"));

    const std::size_t openai_sse = sseEvents(openai);
    const std::size_t openai_events = decodeEvents<kf::teacher::OpenAiDecoder>(openai, false);
    if (openai_events == 0) {
        std::fprintf(stderr, "the OpenAI-compatible stream did not decode to Done\n");
        return 1;
    }
    report("SSE framing (DeepSeek chunk stream)", openai.size(),
           measure(
               openai.size(), [&] { return sseEvents(openai); }, openai_sse, "sse"));
    report("OpenAI-compatible decode (SSE + JSON + events)", openai.size(),
           measure(
               openai.size(), [&] { return decodeEvents<kf::teacher::OpenAiDecoder>(openai, false); },
               openai_events, "openai"));
    return 0;
}
