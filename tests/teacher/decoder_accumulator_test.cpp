// SPDX-License-Identifier: MIT
// TurnAccumulator: the SDK accumulation rules (docs §1.4) and the Turn each fixture accumulates to, with
// thinking, signatures and redacted data kept byte for byte for replay (conformance items 9-12, 14-16).

#include "support/fixture_streams.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace kf::teacher {
namespace {

using T = StreamEvent::Type;

StreamEvent make(T type, int index = -1, std::string text = {}) {
    StreamEvent e;
    e.type = type;
    e.index = index;
    e.text = std::move(text);
    return e;
}

StreamEvent blockStart(int index, BlockKind kind, std::string raw = {}) {
    StreamEvent e = make(T::BlockStart, index);
    e.block_kind = kind;
    e.raw = std::move(raw);
    return e;
}

// The content_block objects of a fixture's content_block_start events, parsed independently of the decoder.
std::vector<nlohmann::json> contentBlocks(const std::string& name) {
    std::vector<nlohmann::json> blocks;
    for (const SseEvent& e : fixture::parseSse(fixture::streamBytes(name)).events) {
        const auto j = nlohmann::json::parse(e.data, nullptr, false);
        if (j.is_object() && j.value("type", "") == "content_block_start") {
            blocks.push_back(j["content_block"]);
        }
    }
    return blocks;
}

TEST(TurnAccumulator, StartsStreamingAsAssistant) {
    TurnAccumulator acc;
    EXPECT_EQ(acc.turn().status, TurnStatus::Streaming);
    EXPECT_EQ(acc.turn().role, "assistant");
    EXPECT_TRUE(acc.turn().blocks.empty());
    EXPECT_EQ(acc.turn().usage, Usage{});
}

TEST(TurnAccumulator, DeltasAppendSignatureReplaces) {
    TurnAccumulator acc;
    acc.apply(blockStart(0, BlockKind::Thinking, R"({"type":"thinking","thinking":"","signature":""})"));
    acc.apply(make(T::ThinkingDelta, 0, "Let "));
    acc.apply(make(T::ThinkingDelta, 0, "me"));
    acc.apply(make(T::ThinkingDelta, 0, ""));
    acc.apply(make(T::SignatureDelta, 0, "first"));
    acc.apply(make(T::SignatureDelta, 0, "second"));
    acc.apply(make(T::BlockStop, 0));
    ASSERT_EQ(acc.turn().blocks.size(), 1u);
    EXPECT_EQ(acc.turn().blocks[0].text, "Let me");
    EXPECT_EQ(acc.turn().blocks[0].signature, "second");
    EXPECT_EQ(acc.turn().thinkingText(), "Let me");
}

TEST(TurnAccumulator, DeltaOfTheWrongKindIsIgnored) {
    TurnAccumulator acc;
    acc.apply(blockStart(0, BlockKind::Text));
    acc.apply(blockStart(1, BlockKind::Thinking));
    acc.apply(blockStart(2, BlockKind::ToolUse, R"({"type":"tool_use","id":"t","name":"n","input":{}})"));
    acc.apply(blockStart(3, BlockKind::RedactedThinking, R"({"type":"redacted_thinking","data":"OPAQUE"})"));
    acc.apply(blockStart(4, BlockKind::Other, R"({"type":"server_tool_use","id":"s","input":{}})"));
    acc.apply(make(T::ThinkingDelta, 0, "no"));
    acc.apply(make(T::SignatureDelta, 0, "no"));
    acc.apply(make(T::TextDelta, 1, "no"));
    acc.apply(make(T::ToolInputDelta, 1, "no"));
    acc.apply(make(T::TextDelta, 2, "no"));
    acc.apply(make(T::ThinkingDelta, 3, "no"));
    acc.apply(make(T::SignatureDelta, 3, "no"));
    acc.apply(make(T::ToolInputDelta, 4, "{}"));
    acc.apply(make(T::TextDelta, 0, "yes"));
    acc.apply(make(T::ToolInputDelta, 2, "{\"a\":1}"));
    acc.apply(make(T::TextDelta, 9, "unknown index"));
    acc.apply(make(T::TextDelta, -1, "no index"));
    const auto& b = acc.turn().blocks;
    ASSERT_EQ(b.size(), 5u);
    EXPECT_EQ(b[0].text, "yes");
    EXPECT_EQ(b[0].signature, "");
    EXPECT_EQ(b[1].text, "");
    EXPECT_EQ(b[2].text, "{\"a\":1}"); // the input:{} placeholder is not merged
    EXPECT_EQ(b[3].data, "OPAQUE");
    EXPECT_EQ(b[3].text, "");
    EXPECT_EQ(b[3].signature, "");
    EXPECT_EQ(b[4].text, "");
    EXPECT_EQ(b[4].raw, R"({"type":"server_tool_use","id":"s","input":{}})");
}

TEST(TurnAccumulator, SecondStartForAnOpenIndexIsIgnored) {
    TurnAccumulator acc;
    acc.apply(blockStart(0, BlockKind::Text));
    acc.apply(make(T::TextDelta, 0, "a"));
    acc.apply(blockStart(0, BlockKind::Thinking));
    acc.apply(make(T::TextDelta, 0, "b"));
    ASSERT_EQ(acc.turn().blocks.size(), 1u);
    EXPECT_EQ(acc.turn().blocks[0].text, "ab");
    // Sparse indices map to positions in arrival order.
    acc.apply(blockStart(5, BlockKind::Text));
    acc.apply(make(T::TextDelta, 5, "c"));
    ASSERT_EQ(acc.turn().blocks.size(), 2u);
    EXPECT_EQ(acc.turn().blocks[1].text, "c");
    // Absurd indices are ignored rather than allocated.
    acc.apply(blockStart(2'000'000'000, BlockKind::Text));
    acc.apply(blockStart(-3, BlockKind::Text));
    EXPECT_EQ(acc.turn().blocks.size(), 2u);
}

TEST(TurnAccumulator, InitialValuesOfTheStartEventAreKept) {
    TurnAccumulator acc;
    acc.apply(blockStart(0, BlockKind::Thinking, R"({"type":"thinking","thinking":"pre","signature":"s0"})"));
    acc.apply(blockStart(1, BlockKind::Text, R"({"type":"text","text":"T"})"));
    acc.apply(make(T::ThinkingDelta, 0, "+"));
    acc.apply(make(T::TextDelta, 1, "+"));
    EXPECT_EQ(acc.turn().blocks[0].text, "pre+");
    EXPECT_EQ(acc.turn().blocks[0].signature, "s0");
    EXPECT_EQ(acc.turn().blocks[1].text, "T+");
}

TEST(TurnAccumulator, UsageOverwritesPresentCounters) {
    TurnAccumulator acc;
    StreamEvent start = make(T::MessageStart);
    start.model = "m";
    start.message_id = "id";
    start.input_tokens = 10;
    start.cache_read_tokens = 4;
    start.cache_write_tokens = 3;
    start.output_tokens = 1;
    acc.apply(start);
    StreamEvent u = make(T::Usage);
    u.output_tokens = 20;
    acc.apply(u);
    u.output_tokens = 15; // overwritten, not summed, even when smaller
    u.thinking_tokens = 7;
    acc.apply(u);
    const Usage& usage = acc.turn().usage;
    EXPECT_EQ(usage.input_tokens, 10);
    EXPECT_EQ(usage.cache_read_tokens, 4);
    EXPECT_EQ(usage.cache_write_tokens, 3);
    EXPECT_EQ(usage.output_tokens, 15);
    EXPECT_EQ(usage.thinking_tokens, 7);
    EXPECT_EQ(acc.turn().model, "m");
    EXPECT_EQ(acc.turn().message_id, "id");
}

TEST(TurnAccumulator, StopErrorAndDone) {
    TurnAccumulator acc;
    StreamEvent stop = make(T::Stop);
    stop.stop_reason = "max_tokens";
    acc.apply(stop);
    stop.stop_reason = "refusal";
    stop.raw = R"({"type":"refusal"})";
    acc.apply(stop);
    EXPECT_EQ(acc.turn().stop_reason, "refusal");
    EXPECT_EQ(acc.turn().stop_details, R"({"type":"refusal"})");
    acc.apply(make(T::Done));
    EXPECT_EQ(acc.turn().status, TurnStatus::Complete);

    TurnAccumulator failed;
    StreamEvent err = make(T::Error, -1, "Overloaded");
    err.error_type = "overloaded_error";
    err.request_id = "req_1";
    failed.apply(err);
    failed.apply(make(T::Done)); // Done after an error does not un-fail the turn
    EXPECT_EQ(failed.turn().status, TurnStatus::Failed);
    EXPECT_EQ(failed.turn().error_type, "overloaded_error");
    EXPECT_EQ(failed.turn().error, "Overloaded");
    EXPECT_EQ(failed.turn().request_id, "req_1");
}

TEST(TurnAccumulator, JoinedTextsSkipOtherKindsAndEmptyBlocks) {
    Turn t;
    t.blocks.push_back({BlockKind::Thinking, "", "sig", "", ""});
    t.blocks.push_back({BlockKind::Thinking, "a", "", "", ""});
    t.blocks.push_back({BlockKind::RedactedThinking, "", "", "X", ""});
    t.blocks.push_back({BlockKind::Text, "one", "", "", ""});
    t.blocks.push_back({BlockKind::ToolUse, "{}", "", "", ""});
    t.blocks.push_back({BlockKind::Text, "two", "", "", ""});
    t.blocks.push_back({BlockKind::Thinking, "b", "", "", ""});
    EXPECT_EQ(t.thinkingText(), "a\n\nb");
    EXPECT_EQ(t.answerText(), "one\n\ntwo");
}

// ---------------------------------------------------------------------------------------------------------
// The Turn of every fixture.

TEST(FixtureTurns, AnthropicThinkingRecorded) {
    const std::string name = "anthropic-thinking-recorded.sse";
    const Turn t = fixture::accumulate(fixture::decodeFixture(name));
    EXPECT_EQ(t.status, TurnStatus::Complete);
    ASSERT_EQ(t.blocks.size(), 2u);
    EXPECT_EQ(t.blocks[0].kind, BlockKind::Thinking);
    EXPECT_EQ(fixture::utf8Length(t.blocks[0].text), 202u);
    EXPECT_EQ(t.blocks[0].signature.size(), 504u);
    EXPECT_EQ(t.blocks[1].kind, BlockKind::Text);
    EXPECT_EQ(fixture::utf8Length(t.answerText()), 1021u);
    EXPECT_EQ(t.thinkingText(), t.blocks[0].text);
    EXPECT_EQ(t.model, "claude-sonnet-4-20250514");
    EXPECT_EQ(t.message_id, "msg_01ALwQ87pTS7hH1PjSdC9wJD");
    EXPECT_EQ(t.stop_reason, "end_turn");
    EXPECT_EQ(t.stop_details, "");
    EXPECT_EQ(t.usage.input_tokens, 43);
    EXPECT_EQ(t.usage.output_tokens, 282);
    EXPECT_EQ(t.usage.cache_read_tokens, 0);
    EXPECT_EQ(t.usage.cache_write_tokens, 0);
    EXPECT_EQ(t.usage.thinking_tokens, -1);
    // Signature byte-equal to the one in the stream.
    for (const SseEvent& e : fixture::parseSse(fixture::streamBytes(name)).events) {
        const auto j = nlohmann::json::parse(e.data, nullptr, false);
        if (j.is_object() && j.contains("delta") && j["delta"].value("type", "") == "signature_delta") {
            EXPECT_EQ(t.blocks[0].signature, j["delta"]["signature"].get<std::string>());
        }
    }
}

TEST(FixtureTurns, AnthropicRedactedThinkingKeptVerbatim) {
    const std::string name = "anthropic-redacted-thinking-recorded.sse";
    const Turn t = fixture::accumulate(fixture::decodeFixture(name));
    const auto expected = contentBlocks(name);
    ASSERT_EQ(t.blocks.size(), 3u);
    ASSERT_EQ(expected.size(), 3u);
    for (std::size_t i = 0; i < 2; ++i) {
        EXPECT_EQ(t.blocks[i].kind, BlockKind::RedactedThinking);
        EXPECT_EQ(t.blocks[i].data, expected[i]["data"].get<std::string>()); // byte for byte
        EXPECT_EQ(nlohmann::json::parse(t.blocks[i].raw), expected[i]);      // the whole block, for replay
        EXPECT_EQ(t.blocks[i].text, "");
    }
    EXPECT_TRUE(t.blocks[0].data.starts_with("EqkECkYIBxgCKkA8"));
    EXPECT_TRUE(t.blocks[1].data.starts_with("EtgBCkYIBxgCKkDQ"));
    EXPECT_EQ(t.thinkingText(), ""); // the UI shows a placeholder; nothing decodes `data`
    EXPECT_EQ(fixture::utf8Length(t.answerText()), 359u);
    EXPECT_EQ(t.usage.input_tokens, 92);
    EXPECT_EQ(t.usage.output_tokens, 189);
    EXPECT_EQ(t.status, TurnStatus::Complete);
}

TEST(FixtureTurns, AnthropicThinkingOmittedUnknownBlock) {
    const std::string name = "anthropic-thinking-omitted-unknown-block-recorded.sse";
    const Turn t = fixture::accumulate(fixture::decodeFixture(name));
    const auto expected = contentBlocks(name);
    ASSERT_EQ(t.blocks.size(), 5u);
    for (std::size_t i = 0; i < 5; ++i) {
        EXPECT_EQ(nlohmann::json::parse(t.blocks[i].raw), expected[i])
            << i; // unknown blocks kept as received
    }
    EXPECT_EQ(t.blocks[0].kind, BlockKind::Thinking);
    EXPECT_EQ(t.blocks[0].text, ""); // empty-text block with a signature: still replayed
    EXPECT_EQ(t.blocks[0].signature.size(), 540u);
    EXPECT_EQ(t.blocks[2].kind, BlockKind::Other);
    EXPECT_EQ(t.blocks[3].kind, BlockKind::Other);
    EXPECT_EQ(t.blocks[4].text, "The answer is **4**.");
    EXPECT_EQ(t.thinkingText(), "");
    EXPECT_EQ(fixture::utf8Length(t.blocks[1].text), 170u);
    EXPECT_EQ(t.answerText(), t.blocks[1].text + "\n\n" + "The answer is **4**.");
    EXPECT_EQ(t.usage.input_tokens, 2411);
    EXPECT_EQ(t.usage.output_tokens, 145);
    EXPECT_EQ(t.usage.thinking_tokens, 47);
    EXPECT_EQ(t.status, TurnStatus::Complete);
}

TEST(FixtureTurns, AnthropicToolUse) {
    for (const auto& [name, input] : std::vector<std::pair<std::string, std::string>>{
             {"anthropic-tool-use-recorded.sse", R"({"city": "San Francisco", "units": "fahrenheit"})"},
             {"anthropic-tool-use-docs.sse", R"({"location": "San Francisco, CA", "unit": "fahrenheit"})"}}) {
        const Turn t = fixture::accumulate(fixture::decodeFixture(name));
        ASSERT_EQ(t.blocks.size(), 2u) << name;
        EXPECT_EQ(t.blocks[1].kind, BlockKind::ToolUse);
        EXPECT_EQ(nlohmann::json::parse(t.blocks[1].text), nlohmann::json::parse(input)) << name;
        EXPECT_EQ(nlohmann::json::parse(t.blocks[1].raw)["input"], nlohmann::json::object()); // placeholder
        EXPECT_EQ(t.stop_reason, "tool_use");
        EXPECT_EQ(t.usage.output_tokens, 89);
    }
    const Turn recorded = fixture::accumulate(fixture::decodeFixture("anthropic-tool-use-recorded.sse"));
    EXPECT_EQ(recorded.status, TurnStatus::Complete);
    EXPECT_EQ(recorded.answerText(), "I'll get the current weather in San Francisco for you in Fahrenheit.");
    const Turn docs = fixture::accumulate(fixture::decodeFixture("anthropic-tool-use-docs.sse"));
    EXPECT_EQ(docs.status, TurnStatus::Failed); // message_stop lost at EOF
    EXPECT_EQ(docs.error_type, "incomplete_stream");
    EXPECT_EQ(docs.answerText(), "Okay, let's check the weather for San Francisco, CA:"); // partial kept
}

TEST(FixtureTurns, AnthropicThinkingDocs) {
    const Turn cut = fixture::accumulate(fixture::decodeFixture("anthropic-thinking-docs.sse"));
    EXPECT_EQ(cut.status, TurnStatus::Failed);
    EXPECT_EQ(cut.error_type, "incomplete_stream");
    EXPECT_EQ(fixture::utf8Length(cut.thinkingText()), 170u);
    EXPECT_EQ(cut.answerText(), "27 * 453 = 12,231");
    const Turn whole = fixture::accumulate(
        fixture::decode(Provider::Anthropic, fixture::readFixture("anthropic-thinking-docs.sse") + "\n"));
    EXPECT_EQ(whole.status, TurnStatus::Complete);
    ASSERT_EQ(whole.blocks.size(), 2u);
    EXPECT_EQ(whole.blocks[0].signature.size(), 56u);
    EXPECT_EQ(whole.usage, Usage{}); // the docs example reports no usage
    // The same blocks either way; only the status differs.
    EXPECT_EQ(whole.blocks, cut.blocks);
}

TEST(FixtureTurns, AnthropicTextBasicDocs) {
    const Turn t = fixture::accumulate(fixture::decodeFixture("anthropic-text-basic-docs.sse"));
    EXPECT_EQ(t.answerText(), "Hello!");
    EXPECT_EQ(t.usage.input_tokens, 25);
    EXPECT_EQ(t.usage.output_tokens, 15);
    EXPECT_EQ(t.status, TurnStatus::Complete);
}

TEST(FixtureTurns, AnthropicErrors) {
    const Turn sdk = fixture::accumulate(fixture::decodeFixture("anthropic-error-overloaded-sdk-test.sse"));
    EXPECT_EQ(sdk.status, TurnStatus::Failed);
    EXPECT_EQ(sdk.error_type, "overloaded_error");
    EXPECT_EQ(sdk.error, "Overloaded");
    EXPECT_TRUE(sdk.blocks.empty());
    const Turn docs = fixture::accumulate(fixture::decodeFixture("anthropic-error-overloaded-docs.sse"));
    EXPECT_EQ(docs.status, TurnStatus::Failed);
    EXPECT_EQ(docs.error_type, "incomplete_stream");
}

TEST(FixtureTurns, AnthropicRefusal) {
    const Turn t = fixture::accumulate(fixture::decodeFixture("anthropic-sdk-thinking-refusal-fixture.sse"));
    EXPECT_EQ(t.status, TurnStatus::Complete);
    EXPECT_EQ(t.stop_reason, "refusal");
    EXPECT_EQ(nlohmann::json::parse(t.stop_details)["fallback_credit_token"], "tok_synthetic_fixture_a");
    EXPECT_EQ(fixture::utf8Length(t.thinkingText()), 212u);
    EXPECT_EQ(t.blocks[0].signature.size(), 68u);
    EXPECT_EQ(t.answerText(), "Hi");
    EXPECT_EQ(t.usage.thinking_tokens, 67);
}

TEST(FixtureTurns, AnthropicVercelChunks) {
    const Turn t = fixture::accumulate(fixture::decodeFixture("anthropic-thinking-vercel-chunks.jsonl"));
    EXPECT_EQ(t.status, TurnStatus::Complete);
    EXPECT_EQ(t.thinkingText(),
              "The previous result was 925. Now I need to divide that by 5.\n\n925 \xC3\xB7 5 = 185");
    EXPECT_EQ(t.answerText(), "925 \xC3\xB7 5 = 185");
    EXPECT_FALSE(t.blocks[0].signature.empty());
    EXPECT_EQ(t.usage.output_tokens, 53);
}

TEST(FixtureTurns, AnthropicSplicedNeverMerges) {
    const Turn t =
        fixture::accumulate(fixture::decodeFixture("anthropic-spliced-message-start-vercel-chunks.jsonl"));
    EXPECT_EQ(t.status, TurnStatus::Failed);
    EXPECT_EQ(t.error_type, "protocol_error");
    EXPECT_EQ(t.message_id, "msg_first");
    ASSERT_EQ(t.blocks.size(), 2u); // the first generation only, partial, marked failed
    EXPECT_EQ(t.blocks[0].text, "I will call the tool.");
    EXPECT_EQ(t.blocks[0].signature, "sig-first");
    EXPECT_EQ(t.blocks[1].text, "{\"value\":\"Spark");
}

TEST(FixtureTurns, OpenAiCompatible) {
    const Turn ds = fixture::accumulate(fixture::decodeFixture("deepseek-reasoning-content-recorded.sse"));
    EXPECT_EQ(ds.status, TurnStatus::Complete);
    EXPECT_EQ(fixture::utf8Length(ds.thinkingText()), 882u);
    EXPECT_EQ(ds.answerText(), "Hello there! \xF0\x9F\x98\x8A How can I help you today?");
    EXPECT_EQ(ds.usage.input_tokens, 6);
    EXPECT_EQ(ds.usage.output_tokens, 212);
    EXPECT_EQ(ds.usage.thinking_tokens, 198);
    EXPECT_EQ(ds.model, "deepseek-reasoner");
    EXPECT_EQ(ds.stop_reason, "stop");
    ASSERT_EQ(ds.blocks.size(), 2u);
    EXPECT_EQ(ds.blocks[0].raw, ""); // synthesized blocks have no raw JSON

    const Turn orr =
        fixture::accumulate(fixture::decodeFixture("openrouter-reasoning-comments-recorded.sse"));
    EXPECT_EQ(orr.status, TurnStatus::Complete);
    EXPECT_EQ(orr.thinkingText(), "This is a simple arithmetic question. 2+2 equals 4.");
    EXPECT_EQ(orr.answerText(), "2 + 2 = 4");
    EXPECT_EQ(orr.usage.output_tokens, 36);

    const Turn ore = fixture::accumulate(fixture::decodeFixture("openrouter-error-in-chunk-recorded.sse"));
    EXPECT_EQ(ore.status, TurnStatus::Failed);
    EXPECT_EQ(ore.error, "Token limit reached");
    EXPECT_EQ(ore.thinkingText(), "We need to respond to a greeting. The user");
    EXPECT_EQ(ore.stop_reason, "length");
    EXPECT_EQ(ore.usage.input_tokens, 43);

    const Turn groq = fixture::accumulate(fixture::decodeFixture("groq-reasoning-event-error-recorded.sse"));
    EXPECT_EQ(groq.status, TurnStatus::Failed);
    EXPECT_EQ(groq.error_type, "invalid_request_error");
    EXPECT_EQ(fixture::utf8Length(groq.thinkingText()), 412u); // partial reasoning kept
}

TEST(FixtureTurns, Ollama) {
    const Turn chat = fixture::accumulate(fixture::decodeFixture("ollama-chat-thinking-recorded.ndjson"));
    EXPECT_EQ(chat.status, TurnStatus::Complete);
    EXPECT_EQ(chat.thinkingText(), "Okay, the");
    EXPECT_EQ(chat.answerText(), "2 + 3 = 5.");
    EXPECT_EQ(chat.stop_reason, "stop");
    EXPECT_EQ(chat.usage.input_tokens, 20);
    EXPECT_EQ(chat.usage.output_tokens, 137);
    EXPECT_EQ(chat.model, "qwen3:0.6b");

    const Turn gen =
        fixture::accumulate(fixture::decodeFixture("ollama-generate-error-midstream-docs.ndjson"));
    EXPECT_EQ(gen.status, TurnStatus::Failed);
    EXPECT_EQ(gen.error, "an error was encountered while running the model");
    EXPECT_EQ(gen.answerText(), " Yes.Ican"); // partial text kept
}

} // namespace
} // namespace kf::teacher
