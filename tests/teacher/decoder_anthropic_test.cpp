// SPDX-License-Identifier: MIT
// Anthropic decoder on synthetic streams (conformance items 8-15).

#include "support/fixture_streams.h"
#include "teacher/anthropic_decoder.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace kf::teacher {
namespace {

using fixture::Cuts;
using fixture::sse;
using T = StreamEvent::Type;

const std::string kStart = sse(
    "message_start", R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant",)"
                     R"("content":[],"model":"claude-x","stop_reason":null,"usage":{"input_tokens":10,)"
                     R"("cache_creation_input_tokens":3,"cache_read_input_tokens":4,"output_tokens":2}}})");
const std::string kPing = sse("ping", R"({"type": "ping"})");
const std::string kStop = sse("message_stop", R"({"type":"message_stop"})");

std::string blockStart(int index, std::string_view block) {
    return sse("content_block_start", R"({"type":"content_block_start","index":)" + std::to_string(index) +
                                          R"(,"content_block":)" + std::string(block) + "}");
}
std::string delta(int index, std::string_view d) {
    return sse("content_block_delta", R"({"type":"content_block_delta","index":)" + std::to_string(index) +
                                          R"(,"delta":)" + std::string(d) + "}");
}
std::string blockStop(int index) {
    return sse("content_block_stop",
               R"({"type":"content_block_stop","index":)" + std::to_string(index) + "}");
}
std::string messageDelta(std::string_view stop_reason, std::string_view usage = R"({"output_tokens":5})") {
    return sse("message_delta", R"({"type":"message_delta","delta":{"stop_reason":")" +
                                    std::string(stop_reason) + R"(","stop_sequence":null},"usage":)" +
                                    std::string(usage) + "}");
}

std::vector<StreamEvent> anthropic(std::string_view text, const Cuts& cuts = {}) {
    return fixture::decode(Provider::Anthropic, text, cuts);
}

std::vector<StreamEvent> anthropicAllSplits(const std::string& text) {
    const auto whole = anthropic(text);
    EXPECT_TRUE(fixture::sameEvents(whole, anthropic(text, fixture::everyByte(text.size()))));
    for (std::size_t at = 1; at < text.size(); ++at) {
        EXPECT_TRUE(fixture::sameEvents(whole, anthropic(text, Cuts{at}))) << "cut at " << at;
    }
    return whole;
}

StreamEvent lastError(const std::vector<StreamEvent>& events) {
    EXPECT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, T::Error) << fixture::describe(events);
    return events.empty() ? StreamEvent{} : events.back();
}

TEST(AnthropicDecoder, FullOrderWithPingsEverywhere) {
    const std::string text =
        kPing + kStart + kPing + blockStart(0, R"({"type":"thinking","thinking":"","signature":""})") +
        kPing + delta(0, R"({"type":"thinking_delta","thinking":"Let me"})") + kPing +
        delta(0, R"({"type":"thinking_delta","thinking":""})") +
        delta(0, R"({"type":"signature_delta","signature":"SIG"})") + kPing + blockStop(0) +
        blockStart(1, R"({"type":"text","text":""})") + delta(1, R"({"type":"text_delta","text":"Hi"})") +
        kPing + blockStop(1) + kPing + messageDelta("end_turn") + kPing + kStop;
    const auto events = anthropicAllSplits(text);
    std::vector<T> types;
    for (const auto& e : events) {
        types.push_back(e.type);
    }
    const std::vector<T> expected{T::MessageStart,   T::BlockStart, T::ThinkingDelta, T::ThinkingDelta,
                                  T::SignatureDelta, T::BlockStop,  T::BlockStart,    T::TextDelta,
                                  T::BlockStop,      T::Stop,       T::Usage,         T::Done};
    EXPECT_EQ(types, expected) << fixture::describe(events);
    const StreamEvent& start = events[0];
    EXPECT_EQ(start.model, "claude-x");
    EXPECT_EQ(start.message_id, "msg_1");
    EXPECT_EQ(start.input_tokens, 10);
    EXPECT_EQ(start.cache_write_tokens, 3);
    EXPECT_EQ(start.cache_read_tokens, 4);
    EXPECT_EQ(start.output_tokens, 2);
    EXPECT_EQ(events[1].block_kind, BlockKind::Thinking);
    EXPECT_EQ(events[1].raw, R"({"type":"thinking","thinking":"","signature":""})"); // key order kept
    EXPECT_EQ(events[2].text, "Let me");
    EXPECT_EQ(events[3].text, "");
    EXPECT_EQ(events[4].text, "SIG");
    EXPECT_EQ(events[6].block_kind, BlockKind::Text);
    EXPECT_EQ(events[9].stop_reason, "end_turn");
    EXPECT_EQ(events[9].raw, "");
    EXPECT_EQ(events[10].output_tokens, 5);
    EXPECT_EQ(events[10].input_tokens, -1);
}

TEST(AnthropicDecoder, UnknownEventsBlocksAndDeltasAreTolerated) {
    const std::string text =
        kStart + sse("future_event", "not even json") +
        blockStart(0, R"({"type":"compaction","content":"x"})") +
        delta(0, R"({"type":"compaction_delta","content":"y"})") + blockStop(0) +
        blockStart(1, R"({"type":"text","text":""})") +
        delta(1, R"({"type":"citations_delta","citation":{"type":"char_location","cited_text":"c"}})") +
        delta(1, R"({"type":"text_delta","text":"ok"})") + delta(1, R"({"type":"text_delta"})") +
        blockStop(1) + sse("", R"({"type":"another_future_event"})") + messageDelta("end_turn") + kStop;
    const auto events = anthropicAllSplits(text);
    EXPECT_EQ(fixture::count(events, T::Error), 0) << fixture::describe(events);
    const auto starts = fixture::ofType(events, T::BlockStart);
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0].block_kind, BlockKind::Other);
    EXPECT_EQ(starts[0].raw, R"({"type":"compaction","content":"x"})");
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "ok");
    EXPECT_EQ(fixture::count(events, T::TextDelta), 1);
    EXPECT_EQ(events.back().type, T::Done);
}

TEST(AnthropicDecoder, BlockKinds) {
    const std::string text =
        kStart + blockStart(0, R"({"type":"thinking","thinking":""})") +
        blockStart(1, R"({"type":"redacted_thinking","data":"EqkE"})") +
        blockStart(2, R"({"type":"text","text":""})") +
        blockStart(3, R"({"type":"tool_use","id":"t","name":"n","input":{}})") +
        blockStart(4, R"({"type":"server_tool_use","id":"s","name":"web_search","input":{}})") +
        blockStart(5, R"({"type":"web_search_tool_result","content":[]})") +
        blockStart(6, R"({"no_type":true})") + kStop;
    const auto starts = fixture::ofType(anthropic(text), T::BlockStart);
    const BlockKind expected[] = {BlockKind::Thinking, BlockKind::RedactedThinking,
                                  BlockKind::Text,     BlockKind::ToolUse,
                                  BlockKind::Other,    BlockKind::Other,
                                  BlockKind::Other};
    ASSERT_EQ(starts.size(), 7u);
    for (std::size_t i = 0; i < starts.size(); ++i) {
        EXPECT_EQ(starts[i].block_kind, expected[i]) << i;
        EXPECT_EQ(starts[i].index, static_cast<int>(i));
    }
}

TEST(AnthropicDecoder, EveryStopReason) {
    for (const char* reason : {"end_turn", "max_tokens", "stop_sequence", "tool_use", "pause_turn", "refusal",
                               "model_context_window_exceeded", "some_future_reason"}) {
        const auto events = anthropic(kStart + messageDelta(reason) + kStop);
        const auto stops = fixture::ofType(events, T::Stop);
        ASSERT_EQ(stops.size(), 1u) << reason;
        EXPECT_EQ(stops[0].stop_reason, reason);
        EXPECT_EQ(events.back().type, T::Done);
    }
    // refusal with stop_details (extra keys kept) -> raw.
    const std::string refusal = sse(
        "message_delta",
        R"({"type":"message_delta","delta":{"stop_reason":"refusal","stop_sequence":null,"stop_details":{"type":"refusal","category":null,"explanation":null,"extra":1}},"usage":{"output_tokens":9}})");
    const auto stops = fixture::ofType(anthropic(kStart + refusal + kStop), T::Stop);
    ASSERT_EQ(stops.size(), 1u);
    EXPECT_EQ(stops[0].stop_reason, "refusal");
    EXPECT_EQ(stops[0].raw, R"({"type":"refusal","category":null,"explanation":null,"extra":1})");
    // null stop_reason: no Stop; usage still read.
    const auto none = anthropic(
        kStart +
        sse("message_delta",
            R"({"type":"message_delta","delta":{"stop_reason":null},"usage":{"output_tokens":1}})") +
        kStop);
    EXPECT_EQ(fixture::count(none, T::Stop), 0);
    EXPECT_EQ(fixture::count(none, T::Usage), 1);
}

TEST(AnthropicDecoder, UsageIsOverwrittenNotSummed) {
    const std::string text =
        kStart +
        messageDelta("pause_turn", R"({"output_tokens":5,"server_tool_use":{"web_search_requests":1}})") +
        messageDelta(
            "end_turn",
            R"({"input_tokens":11,"cache_read_input_tokens":0,"output_tokens":50,"output_tokens_details":{"thinking_tokens":20},"iterations":[{"x":1}]})") +
        sse("message_delta",
            R"({"type":"message_delta","delta":{},"context_management":{"applied_edits":[]}})") +
        kStop;
    const auto events = anthropic(text);
    const auto usage = fixture::ofType(events, T::Usage);
    ASSERT_EQ(usage.size(), 2u); // the third message_delta has no usage
    EXPECT_EQ(usage[1].output_tokens, 50);
    EXPECT_EQ(usage[1].thinking_tokens, 20);
    EXPECT_EQ(usage[1].input_tokens, 11);
    EXPECT_EQ(usage[1].cache_read_tokens, 0);
    EXPECT_EQ(usage[1].cache_write_tokens, -1);
    const Turn turn = fixture::accumulate(events);
    EXPECT_EQ(turn.usage.input_tokens, 11);      // overwritten by the later counter
    EXPECT_EQ(turn.usage.cache_write_tokens, 3); // kept from message_start (not reported later)
    EXPECT_EQ(turn.usage.cache_read_tokens, 0);
    EXPECT_EQ(turn.usage.output_tokens, 50);
    EXPECT_EQ(turn.usage.thinking_tokens, 20);
    EXPECT_EQ(turn.stop_reason, "end_turn");
}

TEST(AnthropicDecoder, MissingUsageIsTolerated) {
    const std::string start = sse(
        "message_start",
        R"({"type": "message_start", "message": {"id": "msg_01...", "type": "message", "role": "assistant", "content": [], "model": "m", "stop_reason": null, "stop_sequence": null}})");
    const std::string md =
        sse("message_delta", R"({"type": "message_delta", "delta": {"stop_reason": "end_turn"}})");
    const auto events = anthropic(start + md + kStop);
    EXPECT_EQ(fixture::count(events, T::Usage), 0);
    EXPECT_EQ(events[0].input_tokens, -1);
    EXPECT_EQ(events.back().type, T::Done);
}

TEST(AnthropicDecoder, PaddedJsonIsParsed) {
    const std::string text =
        sse("message_start", R"({"type":"message_start","message":{"id":"m","model":"x"}   })") +
        sse("content_block_start",
            R"(  { "type" : "content_block_start" , "index" : 0 , "content_block" : { "type" : "text" , "text" : "" } }   )") +
        sse("content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_"
                                   "delta\",\"text\":\"a\"}\t\t}") +
        sse("content_block_stop", R"({"type":"content_block_stop","index":0               })") + kStop;
    const auto events = anthropic(text);
    EXPECT_EQ(fixture::count(events, T::Error), 0) << fixture::describe(events);
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "a");
    EXPECT_EQ(fixture::ofType(events, T::BlockStart)[0].raw, R"({"type":"text","text":""})");
}

TEST(AnthropicDecoder, MidStreamErrorShapes) {
    const std::string docs =
        R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})";
    const std::string production =
        R"({"type":"error","error":{"details":null,"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CSHoEeqs5C35K2UUqR7Fy"})";
    for (const std::string& data : {docs, production}) {
        // Before message_start (how the docs/SDK fixtures look) and in the middle of a block.
        for (const std::string& prefix :
             {std::string(), kStart + blockStart(0, R"({"type":"text","text":""})") +
                                 delta(0, R"({"type":"text_delta","text":"partial"})")}) {
            const std::string text = prefix + sse("error", data) + kStop;
            const auto events = anthropicAllSplits(text);
            const StreamEvent err = lastError(events);
            EXPECT_EQ(err.error_type, "overloaded_error");
            EXPECT_EQ(err.text, "Overloaded");
            EXPECT_EQ(err.http_status, 200);
            EXPECT_EQ(err.request_id, data == production ? "req_011CSHoEeqs5C35K2UUqR7Fy" : "");
            EXPECT_EQ(fixture::count(events, T::Done), 0); // the message_stop after the error is ignored
            const Turn turn = fixture::accumulate(events);
            EXPECT_EQ(turn.status, TurnStatus::Failed);
            EXPECT_EQ(turn.answerText(), prefix.empty() ? "" : "partial");
            EXPECT_EQ(turn.request_id, err.request_id);
        }
    }
    // An error without details still ends the turn.
    const StreamEvent bare = lastError(anthropic(sse("error", R"({"type":"error"})")));
    EXPECT_EQ(bare.error_type, "api_error");
    EXPECT_FALSE(bare.text.empty());
    // A proxy's plain-text error event is that error, not a protocol error.
    const StreamEvent plain = lastError(anthropic(kStart + sse("error", "Internal Server Error")));
    EXPECT_EQ(plain.error_type, "api_error");
    EXPECT_EQ(plain.text, "Internal Server Error");
    EXPECT_EQ(lastError(anthropic("event: error\n\n")).error_type, "api_error");
}

TEST(AnthropicDecoder, EventBeforeMessageStartIsAProtocolError) {
    for (const std::string& first :
         {blockStart(0, R"({"type":"text","text":""})"), delta(0, R"({"type":"text_delta","text":"x"})"),
          blockStop(0), messageDelta("end_turn"), kStop}) {
        const auto events = anthropic(kPing + first + kStart + kStop);
        ASSERT_EQ(events.size(), 1u) << fixture::describe(events);
        EXPECT_EQ(events[0].error_type, "protocol_error");
        EXPECT_NE(events[0].text.find("before message_start"), std::string::npos) << events[0].text;
        EXPECT_NE(events[0].text.find("event 2"), std::string::npos)
            << events[0].text; // the ping was event 1
    }
}

TEST(AnthropicDecoder, SecondMessageStartIsAProtocolError) {
    const std::string text = kStart + blockStart(0, R"({"type":"text","text":""})") +
                             delta(0, R"({"type":"text_delta","text":"first"})") + kStart +
                             blockStart(0, R"({"type":"text","text":""})") +
                             delta(0, R"({"type":"text_delta","text":"second"})") + blockStop(0) + kStop;
    const auto events = anthropicAllSplits(text);
    const StreamEvent err = lastError(events);
    EXPECT_EQ(err.error_type, "protocol_error");
    EXPECT_NE(err.text.find("second message_start"), std::string::npos) << err.text;
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "first"); // never merged with the second generation
    EXPECT_EQ(fixture::count(events, T::MessageStart), 1);
}

TEST(AnthropicDecoder, DataThatIsNotJsonIsAProtocolError) {
    const std::string garbage =
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
        "\"this line was cut and never closed ......................................";
    const auto events = anthropic(kStart + blockStart(0, R"({"type":"text","text":""})") +
                                  sse("content_block_delta", garbage) + kStop);
    const StreamEvent err = lastError(events);
    EXPECT_EQ(err.error_type, "protocol_error");
    EXPECT_NE(err.text.find("event 3"), std::string::npos) << err.text;
    EXPECT_NE(err.text.find("content_block_delta"), std::string::npos) << err.text;
    EXPECT_NE(err.text.find(garbage.substr(0, 80)), std::string::npos) << err.text;
    EXPECT_EQ(err.text.find(garbage.substr(0, 81)), std::string::npos)
        << "only the first 80 bytes: " << err.text;

    EXPECT_EQ(lastError(anthropic(kStart + sse("message_delta", "[1,2]"))).error_type, "protocol_error");
    EXPECT_EQ(lastError(anthropic(kStart + sse("message_stop", ""))).error_type, "protocol_error");
    EXPECT_EQ(lastError(anthropic(kStart + "event: message_stop\n\n")).error_type, "protocol_error");
    EXPECT_EQ(lastError(anthropic(sse("", "not json"))).error_type, "protocol_error");
    EXPECT_EQ(lastError(anthropic(kStart + sse("content_block_stop", R"({"type":"content_block_stop"})")))
                  .error_type,
              "protocol_error"); // no index
    // Unknown events and pings are not parsed, so their payload may be anything.
    EXPECT_EQ(
        anthropic(kStart + sse("ping", "") + "event: ping\n\n" + sse("unknown", "{{{") + kStop).back().type,
        T::Done);
}

TEST(AnthropicDecoder, ExcerptIsCutOnACharacterBoundary) {
    std::string garbage(79, 'x');
    garbage += "\xC3\xB7 and more"; // U+00F7 straddles byte 80
    const StreamEvent err = lastError(anthropic(kStart + sse("message_delta", garbage)));
    EXPECT_NE(err.text.find(std::string(79, 'x') + "..."), std::string::npos) << err.text;
}

TEST(AnthropicDecoder, PayloadsWithoutEventLinesAreNamedByType) {
    std::string text;
    for (const std::string& framed : {kStart, blockStart(0, R"({"type":"text","text":""})"),
                                      delta(0, R"({"type":"text_delta","text":"x"})"), blockStop(0), kPing,
                                      messageDelta("end_turn"), kStop}) {
        text += framed.substr(framed.find('\n') + 1); // drop the event: line
    }
    const auto events = anthropic(text);
    EXPECT_TRUE(fixture::sameEvents(anthropic(kStart + blockStart(0, R"({"type":"text","text":""})") +
                                              delta(0, R"({"type":"text_delta","text":"x"})") + blockStop(0) +
                                              kPing + messageDelta("end_turn") + kStop),
                                    events));
}

TEST(AnthropicDecoder, DeltaForUnknownIndexPassesThroughAndIsIgnoredByTheTurn) {
    const std::string text = kStart + blockStart(0, R"({"type":"text","text":""})") +
                             delta(7, R"({"type":"text_delta","text":"stray"})") +
                             delta(0, R"({"type":"text_delta","text":"ok"})") +
                             delta(0, R"({"type":"thinking_delta","thinking":"wrong kind"})") + blockStop(0) +
                             kStop;
    const auto events = anthropic(text);
    EXPECT_EQ(fixture::count(events, T::Error), 0);
    const Turn turn = fixture::accumulate(events);
    ASSERT_EQ(turn.blocks.size(), 1u);
    EXPECT_EQ(turn.blocks[0].text, "ok");
    EXPECT_EQ(turn.thinkingText(), "");
}

TEST(AnthropicDecoder, PartialJsonSplitAnywhere) {
    const std::string json = R"({"location": "San Francisco, CA", "unit": "fahrenheit"})";
    for (std::size_t a = 0; a <= json.size(); a += 3) {
        for (std::size_t b = a; b <= json.size(); b += 5) {
            const auto frag = [](std::string_view s) {
                return delta(1, R"({"type":"input_json_delta","partial_json":)" + nlohmann::json(s).dump() +
                                    "}");
            };
            const std::string text = kStart +
                                     blockStart(1, R"({"type":"tool_use","id":"t","name":"w","input":{}})") +
                                     frag("") + frag(json.substr(0, a)) + frag(json.substr(a, b - a)) +
                                     frag(json.substr(b)) + blockStop(1) + messageDelta("tool_use") + kStop;
            const Turn turn = fixture::accumulate(anthropic(text));
            ASSERT_EQ(turn.blocks.size(), 1u);
            EXPECT_EQ(turn.blocks[0].kind, BlockKind::ToolUse);
            EXPECT_EQ(turn.blocks[0].text, json); // replaces the "input":{} placeholder
            EXPECT_EQ(nlohmann::json::parse(turn.blocks[0].text), nlohmann::json::parse(json));
        }
    }
}

TEST(AnthropicDecoder, LongSignatureAndText) {
    std::string sig(300'000, 'A');
    for (std::size_t i = 0; i < sig.size(); i += 13) {
        sig[i] = static_cast<char>('a' + i % 26);
    }
    const std::string text = kStart + blockStart(0, R"({"type":"thinking","thinking":"","signature":""})") +
                             delta(0, R"({"type":"signature_delta","signature":"old"})") +
                             delta(0, R"({"type":"signature_delta","signature":")" + sig + R"("})") +
                             blockStop(0) + kStop;
    std::mt19937 rng(3);
    const auto whole = anthropic(text);
    EXPECT_TRUE(fixture::sameEvents(whole, anthropic(text, fixture::randomCuts(text.size(), rng, 16'384))));
    const Turn turn = fixture::accumulate(whole);
    ASSERT_EQ(turn.blocks.size(), 1u);
    EXPECT_EQ(turn.blocks[0].signature, sig); // replaced, not appended
}

TEST(AnthropicDecoder, IncompleteStreams) {
    const std::string body = kStart + blockStart(0, R"({"type":"text","text":""})") +
                             delta(0, R"({"type":"text_delta","text":"partial"})");
    // Stopped between events.
    const StreamEvent clean = lastError(anthropic(body));
    EXPECT_EQ(clean.error_type, "incomplete_stream");
    EXPECT_NE(clean.text.find("message_stop"), std::string::npos) << clean.text;
    EXPECT_EQ(clean.text.find("cut"), std::string::npos) << clean.text;
    // Cut inside an event.
    const std::string cut_text = body + "event: content_block_delta\ndata: {\"type\":\"content_bl";
    const StreamEvent cut = lastError(anthropic(cut_text));
    EXPECT_EQ(cut.error_type, "incomplete_stream");
    EXPECT_NE(cut.text.find("cut"), std::string::npos) << cut.text;
    // Empty body.
    const auto empty = anthropic("");
    ASSERT_EQ(empty.size(), 1u);
    EXPECT_EQ(empty[0].error_type, "incomplete_stream");
    // A complete stream gets no error; finish() twice adds nothing.
    AnthropicDecoder d;
    std::vector<StreamEvent> events;
    d.feed(kStart + kStop, events);
    EXPECT_TRUE(d.ended());
    d.finish(events);
    d.finish(events);
    d.feed(kStart, events);
    EXPECT_EQ(events.size(), 2u);
}

TEST(AnthropicDecoder, FeedEventBypassesFraming) {
    AnthropicDecoder d;
    std::vector<StreamEvent> events;
    SseEvent e;
    e.event = "message_start";
    e.data = R"({"type":"message_start","message":{"id":"a","model":"b"}})";
    d.feedEvent(e, events);
    e.event = "message_stop";
    e.data = R"({"type":"message_stop"})";
    d.feedEvent(e, events);
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].type, T::Done);
}

} // namespace
} // namespace kf::teacher
