// SPDX-License-Identifier: MIT
#include "fixture_streams.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

namespace kf::teacher::fixture {

namespace {

std::filesystem::path fixturesDir() {
    return std::filesystem::path(KF_FIXTURES_DIR);
}

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string shown(std::string_view s, std::size_t limit = 120) {
    std::string out = "\"";
    std::size_t n = 0;
    for (const char c : s) {
        if (++n > limit) {
            out += "...";
            break;
        }
        switch (c) {
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '"':
            out += "\\\"";
            break;
        default:
            out += c;
        }
    }
    return out + "\" (" + std::to_string(s.size()) + " bytes)";
}

} // namespace

std::string readFixture(std::string_view name) {
    const auto path = fixturesDir() / std::string(name);
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        ADD_FAILURE() << "cannot read fixture " << path;
        return {};
    }
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> fixtureNames(std::string_view ext) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(fixturesDir(), ec)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && endsWith(name, "." + std::string(ext))) {
            names.push_back(name);
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::vector<std::string> allStreamFixtures() {
    std::vector<std::string> all;
    for (const char* ext : {"sse", "jsonl", "ndjson"}) {
        const auto names = fixtureNames(ext);
        all.insert(all.end(), names.begin(), names.end());
    }
    std::sort(all.begin(), all.end());
    return all;
}

Provider providerFor(std::string_view name) {
    if (name.starts_with("anthropic")) {
        return Provider::Anthropic;
    }
    if (name.starts_with("ollama")) {
        return Provider::Ollama;
    }
    return Provider::OpenAi;
}

std::string reframeJsonl(std::string_view text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        std::string_view line = text.substr(start, end - start);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        start = end + 1;
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            continue;
        }
        const auto j = nlohmann::json::parse(line, nullptr, false);
        const std::string type =
            j.is_object() && j.contains("type") && j["type"].is_string() ? j["type"].get<std::string>() : "";
        out += sse(type, line);
    }
    return out;
}

std::string streamBytes(std::string_view name) {
    const std::string bytes = readFixture(name);
    return endsWith(name, ".jsonl") ? reframeJsonl(bytes) : bytes;
}

std::string withLineEnds(std::string_view text, std::string_view eol) {
    std::string out;
    out.reserve(text.size() + text.size() / 8);
    for (const char c : text) {
        if (c == '\n') {
            out += eol;
        } else {
            out += c;
        }
    }
    return out;
}

std::size_t utf8Length(std::string_view s) {
    return static_cast<std::size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

Cuts everyByte(std::size_t size) {
    Cuts cuts;
    for (std::size_t i = 1; i < size; ++i) {
        cuts.push_back(i);
    }
    return cuts;
}

Cuts randomCuts(std::size_t size, std::mt19937& rng, std::size_t max_chunk) {
    Cuts cuts;
    std::uniform_int_distribution<std::size_t> step(1, std::max<std::size_t>(1, max_chunk));
    for (std::size_t at = step(rng); at < size; at += step(rng)) {
        cuts.push_back(at);
    }
    return cuts;
}

std::vector<std::string_view> cut(std::string_view text, const Cuts& cuts) {
    std::vector<std::string_view> chunks;
    std::size_t prev = 0;
    for (const std::size_t at : cuts) {
        if (at > prev && at < text.size()) {
            chunks.push_back(text.substr(prev, at - prev));
            prev = at;
        }
    }
    chunks.push_back(text.substr(prev));
    return chunks;
}

SseResult parseSse(std::string_view text, const Cuts& cuts) {
    SseParser parser;
    SseResult result;
    for (const std::string_view chunk : cut(text, cuts)) {
        parser.feed(chunk, result.events);
    }
    result.pending = parser.hasPendingEvent();
    return result;
}

std::vector<StreamEvent> decode(Provider provider, std::string_view text, const Cuts& cuts) {
    auto decoder = makeDecoder(provider);
    std::vector<StreamEvent> events;
    for (const std::string_view chunk : cut(text, cuts)) {
        decoder->feed(chunk, events);
    }
    decoder->finish(events);
    return events;
}

std::vector<StreamEvent> decodeFixture(std::string_view name, const Cuts& cuts) {
    return decode(providerFor(name), streamBytes(name), cuts);
}

Turn accumulate(const std::vector<StreamEvent>& events) {
    TurnAccumulator acc;
    for (const StreamEvent& e : events) {
        acc.apply(e);
    }
    return acc.turn();
}

int count(const std::vector<StreamEvent>& events, StreamEvent::Type type) {
    return static_cast<int>(
        std::count_if(events.begin(), events.end(), [&](const StreamEvent& e) { return e.type == type; }));
}

std::vector<StreamEvent> ofType(const std::vector<StreamEvent>& events, StreamEvent::Type type) {
    std::vector<StreamEvent> out;
    std::copy_if(events.begin(), events.end(), std::back_inserter(out),
                 [&](const StreamEvent& e) { return e.type == type; });
    return out;
}

int countNamed(const std::vector<SseEvent>& events, std::string_view name) {
    return static_cast<int>(
        std::count_if(events.begin(), events.end(), [&](const SseEvent& e) { return e.event == name; }));
}

std::string joined(const std::vector<StreamEvent>& events, StreamEvent::Type type) {
    std::string out;
    for (const StreamEvent& e : events) {
        if (e.type == type) {
            out += e.text;
        }
    }
    return out;
}

std::string describe(const StreamEvent& e) {
    std::ostringstream os;
    os << typeName(e.type);
    if (e.index >= 0) {
        os << " index=" << e.index;
    }
    if (e.type == StreamEvent::Type::BlockStart) {
        os << " kind=" << blockKindName(e.block_kind);
    }
    if (!e.text.empty()) {
        os << " text=" << shown(e.text);
    }
    if (!e.raw.empty()) {
        os << " raw=" << shown(e.raw);
    }
    if (!e.model.empty()) {
        os << " model=" << e.model;
    }
    if (!e.message_id.empty()) {
        os << " id=" << e.message_id;
    }
    if (!e.stop_reason.empty()) {
        os << " stop_reason=" << e.stop_reason;
    }
    if (!e.error_type.empty()) {
        os << " error_type=" << e.error_type;
    }
    if (!e.request_id.empty()) {
        os << " request_id=" << e.request_id;
    }
    if (e.http_status != 0) {
        os << " http=" << e.http_status;
    }
    const auto counter = [&](const char* name, int64_t v) {
        if (v >= 0) {
            os << ' ' << name << '=' << v;
        }
    };
    counter("in", e.input_tokens);
    counter("out", e.output_tokens);
    counter("thinking", e.thinking_tokens);
    counter("cache_read", e.cache_read_tokens);
    counter("cache_write", e.cache_write_tokens);
    if (e.block_kind != BlockKind::Other && e.type != StreamEvent::Type::BlockStart) {
        os << " block_kind=" << blockKindName(e.block_kind);
    }
    return os.str();
}

std::string describe(const SseEvent& e) {
    return "{event=" + shown(e.event) + " data=" + shown(e.data) + " id=" + shown(e.id) +
           " error=" + shown(e.error) + "}";
}

std::string describe(const std::vector<StreamEvent>& events) {
    std::string out;
    for (std::size_t i = 0; i < events.size(); ++i) {
        out += "  [" + std::to_string(i) + "] " + describe(events[i]) + "\n";
    }
    return out;
}

::testing::AssertionResult sameEvents(const std::vector<StreamEvent>& expected,
                                      const std::vector<StreamEvent>& actual) {
    const std::size_t n = std::min(expected.size(), actual.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (!(expected[i] == actual[i])) {
            return ::testing::AssertionFailure()
                   << "event " << i << " differs:\n  expected " << describe(expected[i]) << "\n  actual   "
                   << describe(actual[i]);
        }
    }
    if (expected.size() != actual.size()) {
        auto failure = ::testing::AssertionFailure();
        failure << "expected " << expected.size() << " events, got " << actual.size() << "; first extra: ";
        failure << (expected.size() > actual.size() ? describe(expected[n]) : describe(actual[n]));
        return failure;
    }
    return ::testing::AssertionSuccess();
}

::testing::AssertionResult sameSse(const SseResult& expected, const SseResult& actual) {
    const std::size_t n = std::min(expected.events.size(), actual.events.size());
    for (std::size_t i = 0; i < n; ++i) {
        if (!(expected.events[i] == actual.events[i])) {
            return ::testing::AssertionFailure()
                   << "SSE event " << i << " differs:\n  expected " << describe(expected.events[i])
                   << "\n  actual   " << describe(actual.events[i]);
        }
    }
    if (expected.events.size() != actual.events.size()) {
        return ::testing::AssertionFailure()
               << "expected " << expected.events.size() << " SSE events, got " << actual.events.size();
    }
    if (expected.pending != actual.pending) {
        return ::testing::AssertionFailure()
               << "pending: expected " << expected.pending << ", got " << actual.pending;
    }
    return ::testing::AssertionSuccess();
}

std::string sse(std::string_view event, std::string_view data) {
    std::string out;
    if (!event.empty()) {
        out += "event: ";
        out += event;
        out += '\n';
    }
    out += "data: ";
    out += data;
    out += "\n\n";
    return out;
}

std::string dataLine(std::string_view data) {
    return sse("", data);
}

} // namespace kf::teacher::fixture
