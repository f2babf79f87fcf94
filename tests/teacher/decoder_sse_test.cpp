// SPDX-License-Identifier: MIT
// SSE framing (docs/teacher-protocols.md §4, conformance items 1-7).

#include "support/fixture_streams.h"

#include <cctype>
#include <gtest/gtest.h>
#include <random>
#include <string>

namespace kf::teacher {
namespace {

using fixture::Cuts;
using fixture::parseSse;
using fixture::sameSse;
using fixture::SseResult;

// Every .sse fixture (and the re-framed .jsonl ones) whole, in 1-byte chunks, cut once at every offset (small
// fixtures) or at random offsets (large ones), and in many random multi-cut splits: identical events.
class SseFixtureSplits : public ::testing::TestWithParam<std::string> {};

TEST_P(SseFixtureSplits, IdenticalEventsForEverySplit) {
    const std::string bytes = fixture::streamBytes(GetParam());
    ASSERT_FALSE(bytes.empty());
    const SseResult whole = parseSse(bytes);
    ASSERT_TRUE(!whole.events.empty() || whole.pending); // the overloaded docs snippet dispatches nothing

    EXPECT_TRUE(sameSse(whole, parseSse(bytes, fixture::everyByte(bytes.size())))) << "1-byte chunks";

    std::mt19937 rng(1234);
    if (bytes.size() <= 20'000) {
        for (std::size_t at = 1; at < bytes.size(); ++at) {
            ASSERT_TRUE(sameSse(whole, parseSse(bytes, Cuts{at}))) << "cut at " << at;
        }
    } else {
        std::uniform_int_distribution<std::size_t> pos(1, bytes.size() - 1);
        for (int i = 0; i < 2000; ++i) {
            const std::size_t at = pos(rng);
            ASSERT_TRUE(sameSse(whole, parseSse(bytes, Cuts{at}))) << "cut at " << at;
        }
    }
    for (int i = 0; i < 200; ++i) {
        const Cuts cuts = fixture::randomCuts(bytes.size(), rng, i % 2 == 0 ? 7 : 300);
        ASSERT_TRUE(sameSse(whole, parseSse(bytes, cuts))) << "random split #" << i;
    }
}

// LF, CRLF and lone-CR variants of every fixture give the same events; CRLF cut between CR and LF (and at
// every other offset for the small fixtures) is still one line break.
TEST_P(SseFixtureSplits, LineEndVariants) {
    const std::string lf = fixture::streamBytes(GetParam());
    const SseResult expected = parseSse(lf);
    for (const char* eol : {"\r\n", "\r"}) {
        const std::string variant = fixture::withLineEnds(lf, eol);
        const std::string label = eol[1] != '\0' ? "CRLF" : "CR";
        EXPECT_TRUE(sameSse(expected, parseSse(variant))) << label << " whole";
        EXPECT_TRUE(sameSse(expected, parseSse(variant, fixture::everyByte(variant.size()))))
            << label << " bytes";
        Cuts between_cr_lf; // every CRLF split between its CR and LF
        for (std::size_t i = 0; i + 1 < variant.size(); ++i) {
            if (variant[i] == '\r') {
                between_cr_lf.push_back(i + 1);
            }
        }
        EXPECT_TRUE(sameSse(expected, parseSse(variant, between_cr_lf))) << label << " split after each CR";
        if (variant.size() <= 8'000) {
            for (std::size_t at = 1; at < variant.size(); ++at) {
                ASSERT_TRUE(sameSse(expected, parseSse(variant, Cuts{at}))) << label << " cut at " << at;
            }
        }
    }
}

std::vector<std::string> sseFixtures() {
    auto names = fixture::fixtureNames("sse");
    for (const auto& n : fixture::fixtureNames("jsonl")) {
        names.push_back(n);
    }
    return names;
}

std::string paramName(const ::testing::TestParamInfo<std::string>& info) {
    std::string name;
    for (const char c : info.param) {
        name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, SseFixtureSplits, ::testing::ValuesIn(sseFixtures()), paramName);

SseEvent ev(std::string event, std::string data) {
    SseEvent e;
    e.event = std::move(event);
    e.data = std::move(data);
    return e;
}

// Parses whole and in every 1- and 2-piece split; all must agree with `expected`.
void expectParse(const std::string& text, const std::vector<SseEvent>& expected, bool pending = false) {
    const SseResult want{expected, pending};
    EXPECT_TRUE(sameSse(want, parseSse(text))) << "whole: " << text;
    EXPECT_TRUE(sameSse(want, parseSse(text, fixture::everyByte(text.size())))) << "bytes: " << text;
    for (std::size_t at = 1; at < text.size(); ++at) {
        EXPECT_TRUE(sameSse(want, parseSse(text, Cuts{at}))) << "cut at " << at << ": " << text;
    }
}

TEST(SseParser, CrLfAcrossChunkBoundaryIsOneBreak) {
    // "data: a\r" + "\n" + "\r\n": one break, then the dispatching blank line. Were the CR and LF counted as
    // two breaks, the event would be dispatched early and "data: b" would form a second event.
    const SseResult r = parseSse("data: a\r\ndata: b\r\n\r\n", Cuts{8});
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].data, "a\nb");
    expectParse("data: a\r\ndata: b\r\n\r\n", {ev("", "a\nb")});
    // CR CR is two breaks (a blank line): dispatch.
    expectParse("data: a\r\rdata: b\r\r", {ev("", "a"), ev("", "b")});
    // Mixed line ends in one stream.
    expectParse("event: x\rdata: 1\r\n\ndata: 2\n\r\n", {ev("x", "1"), ev("", "2")});
}

TEST(SseParser, MultiLineDataAndSpaces) {
    expectParse("data: a\ndata: b\ndata: c\n\n", {ev("", "a\nb\nc")});
    expectParse("data:a\n\n", {ev("", "a")});        // no space after the colon
    expectParse("data:  a\n\n", {ev("", " a")});     // exactly one space is stripped
    expectParse("data: \n\n", {ev("", "")});         // empty data dispatches an empty payload
    expectParse("data:\n\n", {ev("", "")});          // empty, no space
    expectParse("data\n\n", {ev("", "")});           // field name only
    expectParse("data:\ndata:\n\n", {ev("", "\n")}); // two empty lines join with '\n'
    expectParse("event:msg\ndata:x:y: z\n\n", {ev("msg", "x:y: z")}); // colons in the value are kept
}

TEST(SseParser, EventWithoutDataStillDispatches) {
    // Like the official SDK decoders (docs §4); WHATWG itself would drop it.
    expectParse("event: ping\n\n", {ev("ping", "")});
    expectParse("event: a\n\nevent: b\ndata: 1\n\n", {ev("a", ""), ev("b", "1")});
    // The name does not leak into the next event.
    expectParse("event: a\ndata: 1\n\ndata: 2\n\n", {ev("a", "1"), ev("", "2")});
}

TEST(SseParser, BlankLinesAloneDispatchNothing) {
    expectParse("\n\n\r\n\r\r\n", {});
    expectParse("id: 7\n\n", {}); // id alone sets the last event id, dispatches nothing
}

TEST(SseParser, CommentsAndUnknownFieldsAreIgnored) {
    expectParse(
        ": OPENROUTER PROCESSING\n\n: keep-alive\n\ndata: 1\n: between fields\ndata: 2\n\n: after\n\n",
        {ev("", "1\n2")});
    expectParse(":\n\n", {});
    expectParse("retry: 100\nfoo: bar\nevent: x\nbaz\ndata: 1\n\n", {ev("x", "1")});
    // Field names are case-sensitive: "Data" is unknown.
    expectParse("Data: 1\ndata: 2\n\n", {ev("", "2")});
}

TEST(SseParser, IdField) {
    SseEvent e = ev("", "x");
    e.id = "42";
    expectParse("id: 42\ndata: x\n\n", {e});
}

TEST(SseParser, LegacyLlamaCppErrorField) {
    SseEvent e;
    e.error = R"({"code":500,"message":"boom","type":"server_error"})";
    expectParse("error: {\"code\":500,\"message\":\"boom\",\"type\":\"server_error\"}\n\ndata: [DONE]\n\n",
                {e, ev("", "[DONE]")});
}

TEST(SseParser, Utf8SplitAcrossChunks) {
    // U+00F7 (2 bytes), U+1F60A (4 bytes), Cyrillic (2 bytes each), U+20AC (3 bytes): every cut, including
    // the ones inside a character, gives the same bytes back.
    const std::string payload =
        "925 \xC3\xB7 5 = 185 \xF0\x9F\x98\x8A \xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 "
        "\xE2\x82\xAC";
    expectParse("data: " + payload + "\n\n", {ev("", payload)});
}

TEST(SseParser, UnicodeLineSeparatorsAreNotLineBreaks) {
    // U+2028, U+2029 and U+0085 (NEL) inside JSON strings: raw bytes, not line ends.
    const std::string payload = "{\"text\":\"a\xE2\x80\xA8"
                                "b\xE2\x80\xA9"
                                "c\xC2\x85"
                                "d\"}";
    expectParse("data: " + payload + "\n\n", {ev("", payload)});
}

TEST(SseParser, EofWithoutBlankLineDropsTheLastEvent) {
    expectParse("data: 1\n\ndata: 2\n", {ev("", "1")}, true);
    expectParse("data: 1\n\ndata: 2", {ev("", "1")}, true);
    expectParse("data: 1\n\nevent: x", {ev("", "1")}, true);
    expectParse("data: 1\n\n", {ev("", "1")}, false);
    expectParse("data: 1\n\n: comment\n", {ev("", "1")}, false); // a finished comment line forms no event

    // The docs fixtures end without the blank line: the final event is never dispatched.
    const std::string docs = fixture::readFixture("anthropic-thinking-docs.sse");
    const SseResult r = parseSse(docs);
    EXPECT_TRUE(r.pending);
    ASSERT_EQ(r.events.size(),
              14u); // message_start 1 + content_block_start 2 + delta 8 + stop 2 + message_delta 1
    EXPECT_EQ(fixture::countNamed(r.events, "message_stop"), 0);
    EXPECT_EQ(r.events.back().event, "message_delta");
    const SseResult fixed = parseSse(docs + "\n");
    EXPECT_FALSE(fixed.pending);
    ASSERT_EQ(fixed.events.size(), 15u);
    EXPECT_EQ(fixed.events.back().event, "message_stop");

    const SseResult tool = parseSse(fixture::readFixture("anthropic-tool-use-docs.sse"));
    EXPECT_TRUE(tool.pending);
    EXPECT_EQ(tool.events.size(), 29u); // 29 of 30 events
    const SseResult overloaded = parseSse(fixture::readFixture("anthropic-error-overloaded-docs.sse"));
    EXPECT_TRUE(overloaded.pending);
    EXPECT_TRUE(overloaded.events.empty());
}

TEST(SseParser, LongLines) {
    std::mt19937 rng(7);
    for (const std::size_t size : {std::size_t{65'535}, std::size_t{65'536}, std::size_t{65'537},
                                   std::size_t{1} << 20, std::size_t{3} << 20}) {
        std::string payload(size, 'x');
        for (std::size_t i = 0; i < size; i += 97) {
            payload[i] = static_cast<char>('A' + (i / 97) % 26);
        }
        const std::string text = "event: content_block_delta\ndata: " + payload + "\n\ndata: tail\n\n";
        const std::vector<SseEvent> expected{ev("content_block_delta", payload), ev("", "tail")};
        EXPECT_TRUE(sameSse({expected, false}, parseSse(text))) << size;
        EXPECT_TRUE(sameSse({expected, false}, parseSse(text, fixture::randomCuts(text.size(), rng, 16'384))))
            << size;
        EXPECT_TRUE(sameSse({expected, false}, parseSse(text, fixture::randomCuts(text.size(), rng, 3))))
            << size;
    }
}

TEST(SseParser, BytesFedCountsEverything) {
    SseParser p;
    std::vector<SseEvent> out;
    p.feed("data: 1\n", out);
    p.feed("\n", out);
    EXPECT_EQ(p.bytesFed(), 9u);
    EXPECT_EQ(out.size(), 1u);
}

} // namespace
} // namespace kf::teacher
