// SPDX-License-Identifier: MIT
// Every recorded fixture through its decoder (conformance items 1, 8-19): the numbers each sidecar states,
// and identical event sequences however the bytes are split.

#include "support/fixture_streams.h"

#include <cctype>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace kf::teacher {
namespace {

using fixture::count;
using fixture::Cuts;
using fixture::joined;
using fixture::ofType;
using fixture::utf8Length;
using T = StreamEvent::Type;

// ---------------------------------------------------------------------------------------------------------
// Split invariance for every fixture.

class DecoderFixtureSplits : public ::testing::TestWithParam<std::string> {};

TEST_P(DecoderFixtureSplits, WholeBytewiseAndRandomSplitsAgree) {
    const std::string& name = GetParam();
    const std::string bytes = fixture::streamBytes(name);
    ASSERT_FALSE(bytes.empty());
    const auto whole = fixture::decodeFixture(name);
    ASSERT_FALSE(whole.empty());
    // Every stream ends in exactly one terminal event (Done or Error), and nothing follows it.
    EXPECT_EQ(count(whole, T::Done) + count(whole, T::Error), 1) << fixture::describe(whole);
    EXPECT_TRUE(whole.back().type == T::Done || whole.back().type == T::Error);

    EXPECT_TRUE(fixture::sameEvents(whole, fixture::decodeFixture(name, fixture::everyByte(bytes.size()))))
        << "1-byte chunks";
    std::mt19937 rng(99);
    if (bytes.size() <= 5'000) {
        for (std::size_t at = 1; at < bytes.size(); ++at) {
            ASSERT_TRUE(fixture::sameEvents(whole, fixture::decodeFixture(name, Cuts{at})))
                << "cut at " << at;
        }
    } else {
        std::uniform_int_distribution<std::size_t> pos(1, bytes.size() - 1);
        for (int i = 0; i < 500; ++i) {
            const std::size_t at = pos(rng);
            ASSERT_TRUE(fixture::sameEvents(whole, fixture::decodeFixture(name, Cuts{at})))
                << "cut at " << at;
        }
    }
    for (int i = 0; i < 100; ++i) {
        const Cuts cuts = fixture::randomCuts(bytes.size(), rng, i % 3 == 0 ? 5 : 700);
        ASSERT_TRUE(fixture::sameEvents(whole, fixture::decodeFixture(name, cuts))) << "random split #" << i;
    }
}

TEST_P(DecoderFixtureSplits, CrlfAndCrVariantsAgree) {
    const std::string& name = GetParam();
    const std::string lf = fixture::streamBytes(name);
    const auto expected = fixture::decode(fixture::providerFor(name), lf);
    // SSE allows lone CR line ends; NDJSON does not (only LF, optionally preceded by CR).
    const bool ndjson = fixture::providerFor(name) == Provider::Ollama;
    for (const char* eol : {"\r\n", "\r"}) {
        if (ndjson && std::string_view(eol) == "\r") {
            continue;
        }
        const std::string variant = fixture::withLineEnds(lf, eol);
        EXPECT_TRUE(fixture::sameEvents(expected, fixture::decode(fixture::providerFor(name), variant)));
        EXPECT_TRUE(fixture::sameEvents(expected, fixture::decode(fixture::providerFor(name), variant,
                                                                  fixture::everyByte(variant.size()))));
    }
}

std::string paramName(const ::testing::TestParamInfo<std::string>& info) {
    std::string name;
    for (const char c : info.param) {
        name += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, DecoderFixtureSplits, ::testing::ValuesIn(fixture::allStreamFixtures()),
                         paramName);

TEST(DecoderFixtures, AllEighteenArePresent) {
    EXPECT_EQ(fixture::allStreamFixtures().size(), 18u);
}

// ---------------------------------------------------------------------------------------------------------
// Per-fixture numbers (from each sidecar .md).

// SSE-level event counts by name.
void expectSseCounts(const std::string& name, const std::vector<std::pair<std::string, int>>& counts,
                     bool pending = false) {
    const auto sse = fixture::parseSse(fixture::streamBytes(name));
    int total = 0;
    for (const auto& [event, n] : counts) {
        EXPECT_EQ(fixture::countNamed(sse.events, event), n) << name << ": " << event;
        total += n;
    }
    EXPECT_EQ(static_cast<int>(sse.events.size()), total) << name;
    EXPECT_EQ(sse.pending, pending) << name;
}

const StreamEvent& single(const std::vector<StreamEvent>& events, T type) {
    static const StreamEvent none;
    const auto it =
        std::find_if(events.begin(), events.end(), [&](const StreamEvent& e) { return e.type == type; });
    EXPECT_EQ(count(events, type), 1) << typeName(type) << "\n" << fixture::describe(events);
    return it == events.end() ? none : *it;
}

// Text of the deltas of one type for one block index.
std::string blockText(const std::vector<StreamEvent>& events, T type, int index) {
    std::string out;
    for (const auto& e : events) {
        if (e.type == type && e.index == index) {
            out += e.text;
        }
    }
    return out;
}

bool startsWith(std::string_view s, std::string_view prefix) {
    return s.substr(0, prefix.size()) == prefix;
}

TEST(DecoderFixtures, AnthropicThinkingRecorded) {
    const std::string name = "anthropic-thinking-recorded.sse";
    expectSseCounts(name, {{"message_start", 1},
                           {"content_block_start", 2},
                           {"ping", 1},
                           {"content_block_delta", 110},
                           {"content_block_stop", 2},
                           {"message_delta", 1},
                           {"message_stop", 1}});
    const auto ev = fixture::decodeFixture(name);
    EXPECT_EQ(ev.size(), 118u);
    const StreamEvent& start = single(ev, T::MessageStart);
    EXPECT_EQ(start.model, "claude-sonnet-4-20250514"); // resolved from the alias claude-sonnet-4-0
    EXPECT_EQ(start.message_id, "msg_01ALwQ87pTS7hH1PjSdC9wJD");
    EXPECT_EQ(start.input_tokens, 43);
    EXPECT_EQ(start.cache_read_tokens, 0);
    EXPECT_EQ(start.cache_write_tokens, 0);
    EXPECT_EQ(start.output_tokens, 1);
    EXPECT_EQ(count(ev, T::BlockStart), 2);
    EXPECT_EQ(count(ev, T::BlockStop), 2);
    const auto thinking = ofType(ev, T::ThinkingDelta);
    ASSERT_EQ(thinking.size(), 14u);
    EXPECT_EQ(thinking.back().text, ""); // the empty delta right before the signature
    EXPECT_EQ(count(ev, T::TextDelta), 95);
    const std::string think = blockText(ev, T::ThinkingDelta, 0);
    EXPECT_EQ(utf8Length(think), 202u);
    EXPECT_TRUE(startsWith(think, "This is a straightforward question about pedestrian safety.")) << think;
    EXPECT_EQ(single(ev, T::SignatureDelta).text.size(), 504u);
    const std::string text = blockText(ev, T::TextDelta, 1);
    EXPECT_EQ(utf8Length(text), 1021u);
    EXPECT_TRUE(startsWith(text, "Here are the basic steps for safely crossing the street:"));
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "end_turn");
    const StreamEvent& usage = single(ev, T::Usage);
    EXPECT_EQ(usage.output_tokens, 282);
    EXPECT_EQ(usage.input_tokens, 43); // message_delta repeats the cumulative input counters
    EXPECT_EQ(ev.back().type, T::Done);
    // The order: thinking block entirely before the text block.
    EXPECT_EQ(ev[1].type, T::BlockStart);
    EXPECT_EQ(ev[1].block_kind, BlockKind::Thinking);
    EXPECT_EQ(ev[1].raw, R"({"type":"thinking","thinking":"","signature":""})");
}

TEST(DecoderFixtures, AnthropicRedactedThinkingRecorded) {
    const std::string name = "anthropic-redacted-thinking-recorded.sse";
    expectSseCounts(name, {{"message_start", 1},
                           {"content_block_start", 3},
                           {"ping", 3},
                           {"content_block_delta", 15},
                           {"content_block_stop", 3},
                           {"message_delta", 1},
                           {"message_stop", 1}});
    const auto ev = fixture::decodeFixture(name);
    const StreamEvent& start = single(ev, T::MessageStart);
    EXPECT_EQ(start.input_tokens, 92);
    EXPECT_EQ(start.output_tokens, 88); // already non-trivial in message_start
    EXPECT_EQ(start.model, "claude-sonnet-4-5-20250929");
    const auto starts = ofType(ev, T::BlockStart);
    ASSERT_EQ(starts.size(), 3u);
    EXPECT_EQ(starts[0].block_kind, BlockKind::RedactedThinking);
    EXPECT_EQ(starts[1].block_kind, BlockKind::RedactedThinking);
    EXPECT_EQ(starts[2].block_kind, BlockKind::Text);
    const auto data0 = nlohmann::json::parse(starts[0].raw)["data"].get<std::string>();
    const auto data1 = nlohmann::json::parse(starts[1].raw)["data"].get<std::string>();
    EXPECT_TRUE(startsWith(data0, "EqkECkYIBxgCKkA8"));
    EXPECT_TRUE(startsWith(data1, "EtgBCkYIBxgCKkDQ"));
    EXPECT_EQ(data0.size(), 744u);
    EXPECT_EQ(data1.size(), 296u);
    EXPECT_EQ(count(ev, T::ThinkingDelta), 0); // redacted blocks have no deltas
    EXPECT_EQ(count(ev, T::TextDelta), 15);
    const std::string text = blockText(ev, T::TextDelta, 2);
    EXPECT_EQ(utf8Length(text), 359u);
    EXPECT_TRUE(startsWith(text, "I notice that you've sent what appears to be"));
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "end_turn");
    EXPECT_EQ(single(ev, T::Usage).output_tokens, 189);
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, AnthropicThinkingOmittedUnknownBlockRecorded) {
    const std::string name = "anthropic-thinking-omitted-unknown-block-recorded.sse";
    expectSseCounts(name, {{"message_start", 1},
                           {"content_block_start", 5},
                           {"ping", 1},
                           {"content_block_delta", 7},
                           {"content_block_stop", 5},
                           {"message_delta", 1},
                           {"message_stop", 1}});
    const auto ev = fixture::decodeFixture(name);
    EXPECT_EQ(count(ev, T::Error), 0);
    const auto starts = ofType(ev, T::BlockStart);
    ASSERT_EQ(starts.size(), 5u);
    const BlockKind kinds[] = {BlockKind::Thinking, BlockKind::Text, BlockKind::Other, BlockKind::Other,
                               BlockKind::Text};
    const char* types[] = {"thinking", "text", "server_tool_use", "advisor_tool_result", "text"};
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(starts[i].index, static_cast<int>(i));
        EXPECT_EQ(starts[i].block_kind, kinds[i]);
        EXPECT_EQ(nlohmann::json::parse(starts[i].raw)["type"], types[i]);
    }
    EXPECT_EQ(count(ev, T::ThinkingDelta), 0); // display omitted: start, one signature, stop
    EXPECT_EQ(blockText(ev, T::SignatureDelta, 0).size(), 540u);
    EXPECT_EQ(utf8Length(blockText(ev, T::TextDelta, 1)), 170u);
    EXPECT_EQ(blockText(ev, T::ToolInputDelta, 2), "");
    EXPECT_EQ(count(ev, T::ToolInputDelta), 1);
    EXPECT_EQ(blockText(ev, T::TextDelta, 4), "The answer is **4**.");
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "end_turn");
    EXPECT_EQ(single(ev, T::MessageStart).input_tokens, 1128);
    const StreamEvent& usage = single(ev, T::Usage);
    EXPECT_EQ(usage.input_tokens, 2411); // message_delta's cumulative counter (advisor sub-call included)
    EXPECT_EQ(usage.output_tokens, 145);
    EXPECT_EQ(usage.thinking_tokens, 47);
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, AnthropicToolUseRecorded) {
    const std::string name = "anthropic-tool-use-recorded.sse";
    expectSseCounts(name, {{"message_start", 1},
                           {"content_block_start", 2},
                           {"content_block_delta", 16},
                           {"ping", 1},
                           {"content_block_stop", 2},
                           {"message_delta", 1},
                           {"message_stop", 1}});
    const auto ev = fixture::decodeFixture(name);
    EXPECT_EQ(blockText(ev, T::TextDelta, 0),
              "I'll get the current weather in San Francisco for you in Fahrenheit.");
    const std::string input = blockText(ev, T::ToolInputDelta, 1);
    EXPECT_EQ(nlohmann::json::parse(input),
              nlohmann::json::parse(R"({"city": "San Francisco", "units": "fahrenheit"})"));
    const auto starts = ofType(ev, T::BlockStart);
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[1].block_kind, BlockKind::ToolUse);
    EXPECT_EQ(nlohmann::json::parse(starts[1].raw)["id"], "toolu_01RaX2WYWRWCbaeFHssmGJXG");
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "tool_use");
    EXPECT_EQ(single(ev, T::MessageStart).input_tokens, 397);
    EXPECT_EQ(single(ev, T::Usage).output_tokens, 89);
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, AnthropicThinkingDocsEndsWithoutBlankLine) {
    const std::string name = "anthropic-thinking-docs.sse";
    expectSseCounts(name,
                    {{"message_start", 1},
                     {"content_block_start", 2},
                     {"content_block_delta", 8},
                     {"content_block_stop", 2},
                     {"message_delta", 1}},
                    true);
    const auto ev = fixture::decodeFixture(name);
    const StreamEvent& start = single(ev, T::MessageStart);
    EXPECT_EQ(start.input_tokens, -1); // docs example: no usage at all
    EXPECT_EQ(count(ev, T::Usage), 0);
    EXPECT_EQ(count(ev, T::ThinkingDelta), 6);
    const std::string think = blockText(ev, T::ThinkingDelta, 0);
    EXPECT_EQ(utf8Length(think), 170u);
    EXPECT_TRUE(startsWith(think, "Let me solve this step by step:\n\n1. First break down 27 * 453"));
    EXPECT_TRUE(think.ends_with("\n6. 10,800 + 1,350 + 81 = 12,231"));
    const std::string sig = single(ev, T::SignatureDelta).text;
    EXPECT_EQ(sig.size(), 56u);
    EXPECT_TRUE(startsWith(sig, "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds"));
    EXPECT_EQ(blockText(ev, T::TextDelta, 1), "27 * 453 = 12,231");
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "end_turn");
    // message_stop never dispatched -> incomplete.
    EXPECT_EQ(count(ev, T::Done), 0);
    EXPECT_EQ(ev.back().type, T::Error);
    EXPECT_EQ(ev.back().error_type, "incomplete_stream");
    EXPECT_NE(ev.back().text.find("message_stop"), std::string::npos);
    // With the blank line the harness appends: the happy path.
    const auto fixed = fixture::decode(Provider::Anthropic, fixture::readFixture(name) + "\n");
    EXPECT_EQ(fixed.back().type, T::Done);
    EXPECT_EQ(count(fixed, T::Error), 0);
    EXPECT_EQ(fixed.size(), ev.size());
}

TEST(DecoderFixtures, AnthropicTextBasicDocs) {
    const std::string name = "anthropic-text-basic-docs.sse";
    expectSseCounts(name, {{"message_start", 1},
                           {"content_block_start", 1},
                           {"ping", 1},
                           {"content_block_delta", 2},
                           {"content_block_stop", 1},
                           {"message_delta", 1},
                           {"message_stop", 1}});
    const auto ev = fixture::decodeFixture(name);
    const auto texts = ofType(ev, T::TextDelta);
    ASSERT_EQ(texts.size(), 2u);
    EXPECT_EQ(texts[0].text, "Hello");
    EXPECT_EQ(texts[1].text, "!");
    EXPECT_EQ(single(ev, T::MessageStart).input_tokens, 25);
    EXPECT_EQ(single(ev, T::MessageStart).output_tokens, 1);
    EXPECT_EQ(single(ev, T::Usage).output_tokens, 15);
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "end_turn");
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, AnthropicToolUseDocs) {
    const std::string name = "anthropic-tool-use-docs.sse";
    const auto sse = fixture::parseSse(fixture::streamBytes(name));
    EXPECT_EQ(sse.events.size(), 29u); // 29 of 30
    EXPECT_TRUE(sse.pending);
    const auto ev = fixture::decodeFixture(name);
    EXPECT_EQ(blockText(ev, T::TextDelta, 0), "Okay, let's check the weather for San Francisco, CA:");
    const auto fragments = ofType(ev, T::ToolInputDelta);
    ASSERT_FALSE(fragments.empty());
    EXPECT_EQ(fragments[0].text, ""); // the first partial_json is empty
    EXPECT_EQ(nlohmann::json::parse(blockText(ev, T::ToolInputDelta, 1)),
              nlohmann::json::parse(R"({"location": "San Francisco, CA", "unit": "fahrenheit"})"));
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "tool_use");
    EXPECT_EQ(single(ev, T::Usage).output_tokens, 89);
    EXPECT_EQ(ev.back().error_type, "incomplete_stream");
    EXPECT_EQ(fixture::decode(Provider::Anthropic, fixture::readFixture(name) + "\n").back().type, T::Done);
}

TEST(DecoderFixtures, AnthropicErrorOverloadedDocs) {
    const std::string name = "anthropic-error-overloaded-docs.sse";
    const auto ev = fixture::decodeFixture(name);
    ASSERT_EQ(ev.size(), 1u) << fixture::describe(ev);
    EXPECT_EQ(ev[0].error_type, "incomplete_stream"); // the error event itself was never dispatched
    const auto fixed = fixture::decode(Provider::Anthropic, fixture::readFixture(name) + "\n");
    ASSERT_EQ(fixed.size(), 1u) << fixture::describe(fixed);
    EXPECT_EQ(fixed[0].type, T::Error);
    EXPECT_EQ(fixed[0].error_type, "overloaded_error");
    EXPECT_EQ(fixed[0].text, "Overloaded");
    EXPECT_EQ(fixed[0].http_status, 200);
}

TEST(DecoderFixtures, AnthropicErrorOverloadedSdkTest) {
    const std::string name = "anthropic-error-overloaded-sdk-test.sse";
    expectSseCounts(name, {{"error", 1}});
    const auto ev = fixture::decodeFixture(name);
    ASSERT_EQ(ev.size(), 1u) << fixture::describe(ev);
    EXPECT_EQ(ev[0].type, T::Error);
    EXPECT_EQ(ev[0].error_type, "overloaded_error");
    EXPECT_EQ(ev[0].text, "Overloaded");
    EXPECT_EQ(ev[0].http_status, 200);
}

TEST(DecoderFixtures, AnthropicSdkThinkingRefusal) {
    const std::string name = "anthropic-sdk-thinking-refusal-fixture.sse";
    expectSseCounts(name, {{"message_start", 1},
                           {"content_block_start", 2},
                           {"ping", 1},
                           {"content_block_delta", 6},
                           {"content_block_stop", 2},
                           {"message_delta", 1},
                           {"message_stop", 1}});
    const auto ev = fixture::decodeFixture(name);
    EXPECT_EQ(single(ev, T::MessageStart).model, "claude-fable-5");
    const auto thinking = ofType(ev, T::ThinkingDelta);
    ASSERT_EQ(thinking.size(), 4u);
    EXPECT_EQ(thinking.back().text, "");
    const std::string think = blockText(ev, T::ThinkingDelta, 0);
    EXPECT_EQ(utf8Length(think), 212u);
    EXPECT_TRUE(startsWith(think, "Simple educational question about what a solar eclipse is."));
    EXPECT_EQ(single(ev, T::SignatureDelta).text.size(), 68u); // base64 of the 50-byte synthetic signature
    EXPECT_EQ(blockText(ev, T::TextDelta, 1), "Hi");
    const StreamEvent& stop = single(ev, T::Stop);
    EXPECT_EQ(stop.stop_reason, "refusal");
    const auto details = nlohmann::json::parse(stop.raw);
    EXPECT_EQ(details["type"], "refusal");
    EXPECT_TRUE(details["category"].is_null());
    EXPECT_EQ(details["fallback_credit_token"], "tok_synthetic_fixture_a");
    EXPECT_EQ(details["fallback_has_prefill_claim"], true);
    const StreamEvent& usage = single(ev, T::Usage);
    EXPECT_EQ(usage.thinking_tokens, 67);
    EXPECT_EQ(usage.output_tokens, 106);
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, AnthropicThinkingVercelChunks) {
    const std::string name = "anthropic-thinking-vercel-chunks.jsonl";
    expectSseCounts(name, {{"message_start", 1},
                           {"content_block_start", 2},
                           {"ping", 1},
                           {"content_block_delta", 14},
                           {"content_block_stop", 2},
                           {"message_delta", 1},
                           {"message_stop", 1}}); // 22 payloads
    const auto ev = fixture::decodeFixture(name);
    EXPECT_EQ(count(ev, T::ThinkingDelta), 10);
    EXPECT_EQ(count(ev, T::SignatureDelta), 1);
    EXPECT_EQ(count(ev, T::TextDelta), 3);
    EXPECT_EQ(blockText(ev, T::ThinkingDelta, 0),
              "The previous result was 925. Now I need to divide that by 5.\n\n925 \xC3\xB7 5 = 185");
    EXPECT_EQ(blockText(ev, T::TextDelta, 1), "925 \xC3\xB7 5 = 185");
    EXPECT_GT(single(ev, T::SignatureDelta).text.size(), 100u); // a real signature
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "end_turn");
    EXPECT_EQ(single(ev, T::Usage).output_tokens, 53);
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, AnthropicSplicedMessageStart) {
    const std::string name = "anthropic-spliced-message-start-vercel-chunks.jsonl";
    const auto ev = fixture::decodeFixture(name);
    // Everything of the first generation up to the second message_start, then a protocol error.
    const std::vector<T> types{T::MessageStart, T::BlockStart, T::ThinkingDelta,  T::SignatureDelta,
                               T::BlockStop,    T::BlockStart, T::ToolInputDelta, T::Error};
    ASSERT_EQ(ev.size(), types.size()) << fixture::describe(ev);
    for (std::size_t i = 0; i < types.size(); ++i) {
        EXPECT_EQ(ev[i].type, types[i]) << i;
    }
    EXPECT_EQ(ev[0].message_id, "msg_first");
    EXPECT_EQ(ev.back().error_type, "protocol_error");
    EXPECT_NE(ev.back().text.find("event 8"), std::string::npos) << ev.back().text;
    for (const auto& e : ev) {
        EXPECT_EQ(e.text.find("second\""), std::string::npos);
        EXPECT_NE(e.message_id, "msg_second");
        EXPECT_NE(e.text, "sig-second");
    }
}

TEST(DecoderFixtures, DeepSeekReasoningContent) {
    const std::string name = "deepseek-reasoning-content-recorded.sse";
    const auto sse = fixture::parseSse(fixture::streamBytes(name));
    ASSERT_EQ(sse.events.size(), 212u); // 211 chunks + [DONE]
    EXPECT_EQ(sse.events.back().data, "[DONE]");
    const auto ev = fixture::decodeFixture(name);
    const StreamEvent& start = single(ev, T::MessageStart);
    EXPECT_EQ(start.model, "deepseek-reasoner");
    EXPECT_EQ(start.message_id, "33be18fc-3842-486c-8c29-dd8e578f7f20");
    const auto starts = ofType(ev, T::BlockStart);
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0].block_kind, BlockKind::Thinking);
    EXPECT_EQ(starts[0].index, 0);
    EXPECT_EQ(starts[1].block_kind, BlockKind::Text);
    EXPECT_EQ(starts[1].index, 1);
    const std::string reasoning = joined(ev, T::ThinkingDelta);
    EXPECT_EQ(utf8Length(reasoning), 882u);
    EXPECT_TRUE(startsWith(reasoning, "Hmm, the user just said \"Hello\"."));
    const std::string content = joined(ev, T::TextDelta);
    EXPECT_EQ(utf8Length(content), 40u);
    EXPECT_EQ(content, "Hello there! \xF0\x9F\x98\x8A How can I help you today?");
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "stop");
    const StreamEvent& usage = single(ev, T::Usage);
    EXPECT_EQ(usage.input_tokens, 6);
    EXPECT_EQ(usage.output_tokens, 212);
    EXPECT_EQ(usage.thinking_tokens, 198);
    EXPECT_EQ(ev.back().type, T::Done);
}

int commentLines(const std::string& text) {
    int n = 0;
    for (std::size_t at = 0; at < text.size(); at = text.find('\n', at) + 1) {
        n += text[at] == ':' ? 1 : 0;
        if (text.find('\n', at) == std::string::npos) {
            break;
        }
    }
    return n;
}

TEST(DecoderFixtures, OpenRouterReasoningComments) {
    const std::string name = "openrouter-reasoning-comments-recorded.sse";
    const std::string bytes = fixture::streamBytes(name);
    EXPECT_EQ(commentLines(bytes), 4);
    const auto sse = fixture::parseSse(bytes);
    EXPECT_EQ(sse.events.size(), 15u); // 14 chunks + [DONE]; the comments form no events
    const auto ev = fixture::decodeFixture(name);
    const std::string reasoning = joined(ev, T::ThinkingDelta);
    EXPECT_EQ(reasoning, "This is a simple arithmetic question. 2+2 equals 4.");
    EXPECT_EQ(utf8Length(reasoning), 51u);
    EXPECT_EQ(joined(ev, T::TextDelta), "2 + 2 = 4");
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "stop");
    const StreamEvent& usage = single(ev, T::Usage);
    EXPECT_EQ(usage.input_tokens, 43);
    EXPECT_EQ(usage.output_tokens, 36);
    EXPECT_EQ(usage.thinking_tokens, 13);
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, OpenRouterErrorInChunk) {
    const std::string name = "openrouter-error-in-chunk-recorded.sse";
    const std::string bytes = fixture::streamBytes(name);
    EXPECT_EQ(commentLines(bytes), 17);
    EXPECT_EQ(fixture::parseSse(bytes).events.size(), 5u); // 4 chunks + [DONE]
    const auto ev = fixture::decodeFixture(name);
    const std::string reasoning = joined(ev, T::ThinkingDelta);
    EXPECT_EQ(reasoning, "We need to respond to a greeting. The user");
    EXPECT_EQ(utf8Length(reasoning), 42u);
    EXPECT_EQ(count(ev, T::TextDelta), 0);
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "length"); // sent on two chunks, reported once
    const StreamEvent& usage = single(ev, T::Usage);
    EXPECT_EQ(usage.input_tokens, 43);
    EXPECT_EQ(usage.output_tokens, 10);
    EXPECT_EQ(usage.thinking_tokens, 11);
    const StreamEvent& err = single(ev, T::Error);
    EXPECT_EQ(err.text, "Token limit reached");
    EXPECT_EQ(err.error_type, "400");
    EXPECT_EQ(err.http_status, 200);
    EXPECT_EQ(nlohmann::json::parse(err.raw)["code"], 400);
    EXPECT_EQ(ev.back().type, T::Error);
    EXPECT_EQ(count(ev, T::Done), 0);
}

TEST(DecoderFixtures, GroqReasoningEventError) {
    const std::string name = "groq-reasoning-event-error-recorded.sse";
    expectSseCounts(name, {{"", 94}, {"error", 1}});
    const auto ev = fixture::decodeFixture(name);
    const std::string reasoning = joined(ev, T::ThinkingDelta);
    EXPECT_EQ(utf8Length(reasoning), 412u);
    EXPECT_TRUE(startsWith(reasoning, "We need to call the tool with invalid parameters first"));
    EXPECT_EQ(single(ev, T::MessageStart).model, "openai/gpt-oss-120b");
    const StreamEvent& err = single(ev, T::Error);
    EXPECT_EQ(err.error_type, "invalid_request_error");
    EXPECT_TRUE(startsWith(err.text, "Tool call validation failed"));
    EXPECT_EQ(nlohmann::json::parse(err.raw)["code"], "tool_use_failed");
    EXPECT_EQ(ev.back().type, T::Error); // ends the turn; no wait for [DONE], no incomplete_stream
    EXPECT_EQ(count(ev, T::Done), 0);
}

TEST(DecoderFixtures, OllamaChatThinking) {
    const std::string name = "ollama-chat-thinking-recorded.ndjson";
    const auto ev = fixture::decodeFixture(name);
    EXPECT_EQ(single(ev, T::MessageStart).model, "qwen3:0.6b");
    EXPECT_EQ(count(ev, T::ThinkingDelta), 3);
    EXPECT_EQ(count(ev, T::TextDelta), 8);
    EXPECT_EQ(joined(ev, T::ThinkingDelta), "Okay, the");
    EXPECT_EQ(joined(ev, T::TextDelta), "2 + 3 = 5.");
    const auto starts = ofType(ev, T::BlockStart);
    ASSERT_EQ(starts.size(), 2u);
    EXPECT_EQ(starts[0].block_kind, BlockKind::Thinking);
    EXPECT_EQ(starts[1].block_kind, BlockKind::Text);
    EXPECT_EQ(count(ev, T::BlockStop), 2);
    EXPECT_EQ(single(ev, T::Stop).stop_reason, "stop");
    const StreamEvent& usage = single(ev, T::Usage);
    EXPECT_EQ(usage.input_tokens, 20);
    EXPECT_EQ(usage.output_tokens, 137);
    EXPECT_EQ(ev.back().type, T::Done);
}

TEST(DecoderFixtures, OllamaGenerateErrorMidstream) {
    const std::string name = "ollama-generate-error-midstream-docs.ndjson";
    const auto ev = fixture::decodeFixture(name);
    const auto texts = ofType(ev, T::TextDelta);
    ASSERT_EQ(texts.size(), 4u);
    EXPECT_EQ(texts[0].text, " Yes");
    EXPECT_EQ(texts[3].text, "can");
    const StreamEvent& err = single(ev, T::Error);
    EXPECT_EQ(err.text, "an error was encountered while running the model");
    EXPECT_EQ(err.http_status, 200);
    EXPECT_EQ(ev.back().type, T::Error);
    EXPECT_EQ(count(ev, T::Done), 0);
}

// A fixture cut at every event boundary (and inside every event) fails as incomplete, never as success.
TEST(DecoderFixtures, TruncatedStreamsAreIncomplete) {
    for (const std::string& name : fixture::allStreamFixtures()) {
        const std::string bytes = fixture::streamBytes(name);
        const auto whole = fixture::decodeFixture(name);
        if (whole.back().type != T::Done) {
            continue;
        }
        std::mt19937 rng(5);
        std::uniform_int_distribution<std::size_t> pos(0, bytes.size() - 1);
        for (int i = 0; i < 200; ++i) {
            const std::size_t keep = pos(rng);
            const auto ev =
                fixture::decode(fixture::providerFor(name), std::string_view(bytes).substr(0, keep));
            ASSERT_FALSE(ev.empty());
            // Cut before the terminator: an error. (Cutting right after it in a stream whose terminator is
            // the last event may leave only trailing newlines missing, which is still complete for NDJSON.)
            if (ev.back().type == T::Done) {
                EXPECT_GT(keep, bytes.size() - 4) << name << " kept " << keep;
            } else {
                EXPECT_EQ(ev.back().error_type, "incomplete_stream") << name << " kept " << keep;
            }
        }
    }
}

} // namespace
} // namespace kf::teacher
