// SPDX-License-Identifier: MIT
#pragma once

// Helpers for the decoder tests: recorded fixtures (KF_FIXTURES_DIR), ways of cutting a byte stream into
// chunks, and readable comparison of event sequences.

#include "teacher/sse_parser.h"
#include "teacher/stream_decoder.h"
#include "teacher/stream_event.h"
#include "teacher/turn.h"

#include <cstddef>
#include <cstdint>
#include <gtest/gtest.h>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher::fixture {

// Raw bytes of a fixture file; an empty string (and a test failure) when it cannot be read.
std::string readFixture(std::string_view name);

// The fixture file names with the given extension ("sse", "jsonl", "ndjson"), sorted.
std::vector<std::string> fixtureNames(std::string_view ext);

// Every stream fixture (.sse, .jsonl, .ndjson), sorted.
std::vector<std::string> allStreamFixtures();

// The provider whose decoder reads a fixture (from its name).
Provider providerFor(std::string_view name);

// Payload-per-line recordings re-framed as SSE: each non-blank line -> "event: <type>\ndata: <line>\n\n".
std::string reframeJsonl(std::string_view text);

// The bytes to feed a decoder for a fixture: the file itself, or the re-framed .jsonl.
std::string streamBytes(std::string_view name);

// Line-end variants of an SSE text whose line ends are all "\n".
std::string withLineEnds(std::string_view text, std::string_view eol);

// Number of UTF-8 code points.
std::size_t utf8Length(std::string_view s);

// Chunk boundaries (sorted offsets strictly inside the text) for different ways of cutting it.
using Cuts = std::vector<std::size_t>;
Cuts everyByte(std::size_t size);
Cuts randomCuts(std::size_t size, std::mt19937& rng, std::size_t max_chunk);
std::vector<std::string_view> cut(std::string_view text, const Cuts& cuts);

// SSE layer: all events dispatched for the chunks, and whether an event was left pending at the end.
struct SseResult {
    std::vector<SseEvent> events;
    bool pending = false;
    bool operator==(const SseResult&) const = default;
};
SseResult parseSse(std::string_view text, const Cuts& cuts = {});

// Decoder layer: feed the chunks, then finish().
std::vector<StreamEvent> decode(Provider provider, std::string_view text, const Cuts& cuts = {});
std::vector<StreamEvent> decodeFixture(std::string_view name, const Cuts& cuts = {});

Turn accumulate(const std::vector<StreamEvent>& events);

int count(const std::vector<StreamEvent>& events, StreamEvent::Type type);
std::vector<StreamEvent> ofType(const std::vector<StreamEvent>& events, StreamEvent::Type type);
int countNamed(const std::vector<SseEvent>& events, std::string_view name);

// Concatenated text of the deltas of one type.
std::string joined(const std::vector<StreamEvent>& events, StreamEvent::Type type);

std::string describe(const StreamEvent& e);
std::string describe(const SseEvent& e);
std::string describe(const std::vector<StreamEvent>& events);

// Element-wise equality with the first difference spelled out.
::testing::AssertionResult sameEvents(const std::vector<StreamEvent>& expected,
                                      const std::vector<StreamEvent>& actual);
::testing::AssertionResult sameSse(const SseResult& expected, const SseResult& actual);

// Builders for synthetic streams.
std::string sse(std::string_view event, std::string_view data); // "event: E\ndata: D\n\n" ("" event: no line)
std::string dataLine(std::string_view data);                    // "data: D\n\n"

} // namespace kf::teacher::fixture
