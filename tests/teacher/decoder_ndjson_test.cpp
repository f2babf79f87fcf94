// SPDX-License-Identifier: MIT
// NDJSON framing and the Ollama decoder on synthetic streams (conformance item 19).

#include "support/fixture_streams.h"
#include "teacher/ndjson_parser.h"
#include "teacher/ollama_decoder.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace kf::teacher {
namespace {

using fixture::Cuts;
using T = StreamEvent::Type;

struct NdjsonResult {
    std::vector<std::string> lines;
    bool pending = false;
    std::string pending_line;
    bool operator==(const NdjsonResult&) const = default;
};

NdjsonResult frame(std::string_view text, const Cuts& cuts = {}) {
    NdjsonParser p;
    NdjsonResult r;
    for (const auto chunk : fixture::cut(text, cuts)) {
        p.feed(chunk, r.lines);
    }
    r.pending = p.hasPendingLine();
    r.pending_line = p.pendingLine();
    return r;
}

void expectFrame(const std::string& text, const std::vector<std::string>& lines, bool pending = false) {
    const NdjsonResult whole = frame(text);
    EXPECT_EQ(whole.lines, lines) << text;
    EXPECT_EQ(whole.pending, pending) << text;
    for (std::size_t at = 1; at < text.size(); ++at) {
        EXPECT_EQ(frame(text, Cuts{at}), whole) << "cut at " << at;
    }
    EXPECT_EQ(frame(text, fixture::everyByte(text.size())), whole);
}

TEST(NdjsonParser, Framing) {
    expectFrame("{\"a\":1}\n{\"b\":2}\n", {"{\"a\":1}", "{\"b\":2}"});
    expectFrame("{\"a\":1}\r\n{\"b\":2}\r\n", {"{\"a\":1}", "{\"b\":2}"});            // CRLF
    expectFrame("\n{\"a\":1}\n\n \t\n\r\n{\"b\":2}\n\n", {"{\"a\":1}", "{\"b\":2}"}); // blank lines skipped
    expectFrame("{\"a\":1}\n{\"b\":", {"{\"a\":1}"}, true);                           // partial last line
    expectFrame("{\"a\":1}\n  ", {"{\"a\":1}"}, false); // trailing whitespace is not a pending line
    expectFrame("{\"t\":\"\xC3\xB7\xF0\x9F\x98\x8A\"}\n",
                {"{\"t\":\"\xC3\xB7\xF0\x9F\x98\x8A\"}"}); // UTF-8 split
    const NdjsonResult r = frame("{\"a\":1}\n{\"b\":");
    EXPECT_EQ(r.pending_line, "{\"b\":");
}

TEST(NdjsonParser, FixturesSplitAnywhere) {
    for (const auto& name : fixture::fixtureNames("ndjson")) {
        const std::string bytes = fixture::readFixture(name);
        const NdjsonResult whole = frame(bytes);
        EXPECT_FALSE(whole.pending) << name;
        for (std::size_t at = 1; at < bytes.size(); ++at) {
            ASSERT_EQ(frame(bytes, Cuts{at}), whole) << name << " cut at " << at;
        }
        EXPECT_EQ(frame(bytes, fixture::everyByte(bytes.size())), whole) << name;
    }
    EXPECT_EQ(frame(fixture::readFixture("ollama-chat-thinking-recorded.ndjson")).lines.size(), 12u);
    EXPECT_EQ(frame(fixture::readFixture("ollama-generate-error-midstream-docs.ndjson")).lines.size(), 5u);
}

std::vector<StreamEvent> ollama(std::string_view text, const Cuts& cuts = {}) {
    return fixture::decode(Provider::Ollama, text, cuts);
}

// Decoding whole, byte by byte and cut at every offset gives the same events.
std::vector<StreamEvent> ollamaAllSplits(const std::string& text) {
    const auto whole = ollama(text);
    EXPECT_TRUE(fixture::sameEvents(whole, ollama(text, fixture::everyByte(text.size()))));
    for (std::size_t at = 1; at < text.size(); ++at) {
        EXPECT_TRUE(fixture::sameEvents(whole, ollama(text, Cuts{at}))) << "cut at " << at;
    }
    return whole;
}

std::string chatLine(std::string_view thinking, std::string_view content) {
    std::string line =
        R"({"model":"m","message":{"role":"assistant","content":")" + std::string(content) + "\"";
    if (!thinking.empty()) {
        line += R"(,"thinking":")" + std::string(thinking) + "\"";
    }
    return line + "},\"done\":false}\n";
}

const std::string kFinal =
    R"({"model":"m","message":{"role":"assistant","content":""},"done":true,"done_reason":"length","prompt_eval_count":7,"eval_count":11})"
    "\n";

TEST(OllamaDecoder, ThinkingThenContentThenThinkingAgain) {
    const std::string text = chatLine("a", "") + chatLine("b", "") + "\n" + chatLine("", "X") +
                             chatLine("c", "") + chatLine("", "Y") + kFinal;
    const auto events = ollamaAllSplits(text);
    // MessageStart, [Start0 T T] Stop0, [Start1 X] Stop1, [Start2 c] Stop2, [Start3 Y] Stop3, Stop, Usage,
    // Done
    ASSERT_EQ(events.size(), 17u) << fixture::describe(events);
    EXPECT_EQ(events[0].type, T::MessageStart);
    EXPECT_EQ(events[0].model, "m");
    const auto starts = fixture::ofType(events, T::BlockStart);
    ASSERT_EQ(starts.size(), 4u);
    const BlockKind kinds[] = {BlockKind::Thinking, BlockKind::Text, BlockKind::Thinking, BlockKind::Text};
    for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(starts[static_cast<std::size_t>(i)].index, i);
        EXPECT_EQ(starts[static_cast<std::size_t>(i)].block_kind, kinds[i]);
    }
    EXPECT_EQ(fixture::count(events, T::BlockStop), 4);
    EXPECT_EQ(fixture::joined(events, T::ThinkingDelta), "abc");
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "XY");
    const auto stop = fixture::ofType(events, T::Stop);
    ASSERT_EQ(stop.size(), 1u);
    EXPECT_EQ(stop[0].stop_reason, "length");
    const auto usage = fixture::ofType(events, T::Usage);
    ASSERT_EQ(usage.size(), 1u);
    EXPECT_EQ(usage[0].input_tokens, 7);
    EXPECT_EQ(usage[0].output_tokens, 11);
    EXPECT_EQ(events.back().type, T::Done);
    // The stop of the last block precedes Stop/Usage/Done.
    EXPECT_EQ(events[events.size() - 4].type, T::BlockStop);

    const Turn turn = fixture::accumulate(events);
    EXPECT_EQ(turn.status, TurnStatus::Complete);
    EXPECT_EQ(turn.thinkingText(), "ab\n\nc");
    EXPECT_EQ(turn.answerText(), "X\n\nY");
}

TEST(OllamaDecoder, ErrorLineEndsTheTurn) {
    const std::string text =
        chatLine("", "partial") + "{\"error\":\"model crashed\"}\n" + chatLine("", "ignored");
    const auto events = ollamaAllSplits(text);
    ASSERT_FALSE(events.empty());
    const StreamEvent& err = events.back();
    EXPECT_EQ(err.type, T::Error);
    EXPECT_EQ(err.text, "model crashed");
    EXPECT_EQ(err.http_status, 200);
    EXPECT_EQ(fixture::count(events, T::Error), 1);
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "partial");
    const Turn turn = fixture::accumulate(events);
    EXPECT_EQ(turn.status, TurnStatus::Failed);
    EXPECT_EQ(turn.answerText(), "partial");
}

TEST(OllamaDecoder, ErrorObjectAndErrorBeforeAnyChunk) {
    const auto events = ollama("{\"error\":{\"message\":\"out of memory\"}}\n");
    ASSERT_EQ(events.size(), 1u) << fixture::describe(events);
    EXPECT_EQ(events[0].type, T::Error);
    EXPECT_EQ(events[0].text, "out of memory");
}

TEST(OllamaDecoder, PartialLastLineIsIncomplete) {
    const std::string text = chatLine("", "Hello") + R"({"model":"m","message":{"role":"assis)";
    const auto events = ollamaAllSplits(text);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, T::Error);
    EXPECT_EQ(events.back().error_type, "incomplete_stream");
    EXPECT_NE(events.back().text.find("done"), std::string::npos) << events.back().text;
    EXPECT_NE(events.back().text.find("cut"), std::string::npos) << events.back().text;
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "Hello");
}

TEST(OllamaDecoder, StreamThatJustStopsIsIncomplete) {
    const auto events = ollamaAllSplits(chatLine("", "Hello"));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().error_type, "incomplete_stream");
    EXPECT_EQ(fixture::count(events, T::Done), 0);
    const auto nothing = ollama("");
    ASSERT_EQ(nothing.size(), 1u);
    EXPECT_EQ(nothing[0].error_type, "incomplete_stream");
}

TEST(OllamaDecoder, FinalObjectWithoutNewlineIsStillDecoded) {
    std::string final_line = kFinal;
    final_line.pop_back();
    const auto events = ollama(chatLine("", "Hi") + final_line);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, T::Done) << fixture::describe(events);
    EXPECT_EQ(fixture::count(events, T::Error), 0);
}

TEST(OllamaDecoder, LineThatIsNotJsonIsAProtocolError) {
    const auto events = ollama(chatLine("", "Hi") + "<html>502 Bad Gateway</html>\n" + kFinal);
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, T::Error);
    EXPECT_EQ(events.back().error_type, "protocol_error");
    EXPECT_NE(events.back().text.find("line 2"), std::string::npos) << events.back().text;
    EXPECT_NE(events.back().text.find("<html>502"), std::string::npos) << events.back().text;
    EXPECT_EQ(fixture::count(events, T::Done), 0);
}

TEST(OllamaDecoder, GenerateShape) {
    const std::string text = R"({"model":"g","response":"","thinking":"hmm","done":false})"
                             "\n"
                             R"({"model":"g","response":"Yes","done":false})"
                             "\n"
                             R"({"model":"g","response":"","done":true,"done_reason":"stop","eval_count":3})"
                             "\n";
    const auto events = ollamaAllSplits(text);
    EXPECT_EQ(fixture::joined(events, T::ThinkingDelta), "hmm");
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "Yes");
    const auto usage = fixture::ofType(events, T::Usage);
    ASSERT_EQ(usage.size(), 1u);
    EXPECT_EQ(usage[0].input_tokens, -1);
    EXPECT_EQ(usage[0].output_tokens, 3);
    EXPECT_EQ(events.back().type, T::Done);
}

TEST(OllamaDecoder, BytesAfterDoneAreIgnored) {
    OllamaDecoder d;
    std::vector<StreamEvent> events;
    d.feed(kFinal, events);
    EXPECT_TRUE(d.ended());
    const auto n = events.size();
    d.feed(chatLine("", "late"), events);
    d.finish(events);
    EXPECT_EQ(events.size(), n);
}

} // namespace
} // namespace kf::teacher
