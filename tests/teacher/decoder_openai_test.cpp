// SPDX-License-Identifier: MIT
// OpenAI-compatible decoder on synthetic streams (conformance items 17-18).

#include "support/fixture_streams.h"
#include "teacher/openai_decoder.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace kf::teacher {
namespace {

using fixture::Cuts;
using fixture::dataLine;
using T = StreamEvent::Type;

std::string chunk(std::string_view delta, std::string_view finish = "null", std::string_view extra = "") {
    return dataLine(
        R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":)" +
        std::string(delta) + R"(,"finish_reason":)" + std::string(finish) + "}]" + std::string(extra) + "}");
}
const std::string kDone = dataLine("[DONE]");

std::vector<StreamEvent> openai(std::string_view text, const Cuts& cuts = {}) {
    return fixture::decode(Provider::OpenAi, text, cuts);
}

std::vector<StreamEvent> openaiAllSplits(const std::string& text) {
    const auto whole = openai(text);
    EXPECT_TRUE(fixture::sameEvents(whole, openai(text, fixture::everyByte(text.size()))));
    for (std::size_t at = 1; at < text.size(); ++at) {
        EXPECT_TRUE(fixture::sameEvents(whole, openai(text, Cuts{at}))) << "cut at " << at;
    }
    return whole;
}

TEST(OpenAiDecoder, ReasoningFieldChoice) {
    struct Case {
        const char* delta;
        const char* thinking;
    };
    const Case cases[] = {
        {R"({"reasoning_content":"rc"})", "rc"},
        {R"({"reasoning":"r"})", "r"},
        {R"({"reasoning_content":"same","reasoning":"same"})", "same"}, // vLLM #29408: counted once
        {R"({"reasoning":"r","reasoning_content":"rc"})", "rc"},        // reasoning_content is read first
        {R"({"reasoning_content":null,"reasoning":"r"})", "r"},         // null is skipped
        {R"({"reasoning_content":"","reasoning":"r"})", ""}, // "" is a non-null string: chosen, empty
        {R"({"reasoning_content":null,"reasoning":null})", ""},
        {R"({"reasoning_content":5,"reasoning":"r"})", "r"}, // not a string
        {R"({"content":null})", ""},
        {R"({})", ""},
    };
    for (const Case& c : cases) {
        const auto events = openai(chunk(c.delta) + kDone);
        EXPECT_EQ(fixture::joined(events, T::ThinkingDelta), c.thinking) << c.delta;
        EXPECT_EQ(fixture::count(events, T::BlockStart), *c.thinking != '\0' ? 1 : 0) << c.delta;
        EXPECT_EQ(fixture::count(events, T::Error), 0);
    }
}

TEST(OpenAiDecoder, NullAndAbsentAreAlike) {
    const std::string with_nulls = chunk(R"({"role":"assistant","content":null,"reasoning_content":""})") +
                                   chunk(R"({"content":null,"reasoning_content":"think"})") +
                                   chunk(R"({"content":"answer","reasoning_content":null})") +
                                   chunk("{}", "\"stop\"") + kDone;
    const std::string absent = chunk(R"({"role":"assistant"})") + chunk(R"({"reasoning_content":"think"})") +
                               chunk(R"({"content":"answer"})") + chunk("{}", "\"stop\"") + kDone;
    EXPECT_TRUE(fixture::sameEvents(openai(with_nulls), openai(absent)));
}

TEST(OpenAiDecoder, BlockSwitching) {
    const std::string text = chunk(R"({"role":"assistant","content":""})") + chunk(R"({"reasoning":"a"})") +
                             chunk(R"({"reasoning":"b"})") + chunk(R"({"content":"X"})") +
                             chunk(R"({"reasoning":"c"})") + chunk(R"({"reasoning":"d","content":"Y"})") +
                             chunk("{}", "\"stop\"") + kDone;
    const auto events = openaiAllSplits(text);
    std::vector<std::string> seq;
    for (const auto& e : events) {
        seq.push_back(std::string(typeName(e.type)) + (e.index >= 0 ? std::to_string(e.index) : "") +
                      (e.type == T::BlockStart ? std::string(":") + blockKindName(e.block_kind) : "") +
                      e.text);
    }
    const std::vector<std::string> expected{"MessageStart",
                                            "BlockStart0:thinking",
                                            "ThinkingDelta0a",
                                            "ThinkingDelta0b",
                                            "BlockStop0",
                                            "BlockStart1:text",
                                            "TextDelta1X",
                                            "BlockStop1",
                                            "BlockStart2:thinking",
                                            "ThinkingDelta2c",
                                            "ThinkingDelta2d",
                                            "BlockStop2",
                                            "BlockStart3:text",
                                            "TextDelta3Y",
                                            "BlockStop3",
                                            "Stop",
                                            "Done"};
    EXPECT_EQ(seq, expected) << fixture::describe(events);
    EXPECT_EQ(events[0].model, "m");
    EXPECT_EQ(events[0].message_id, "chatcmpl-1");
    const Turn turn = fixture::accumulate(events);
    EXPECT_EQ(turn.thinkingText(), "ab\n\ncd");
    EXPECT_EQ(turn.answerText(), "X\n\nY");
    EXPECT_EQ(turn.status, TurnStatus::Complete);
    EXPECT_EQ(turn.stop_reason, "stop");
}

TEST(OpenAiDecoder, FinishReasonAndUsagePlacements) {
    const std::string usage =
        R"(,"usage":{"prompt_tokens":6,"completion_tokens":212,"total_tokens":218,"completion_tokens_details":{"reasoning_tokens":198}})";
    // DeepSeek: usage on the last content chunk, together with finish_reason.
    const auto deepseek =
        openai(chunk(R"({"content":"hi"})") + chunk(R"({"content":""})", "\"stop\"", usage) + kDone);
    // OpenAI / vLLM: a final choices:[] chunk.
    const auto openai_style =
        openai(chunk(R"({"content":"hi"})") + chunk(R"({})", "\"stop\"", R"(,"usage":null)") +
               dataLine(R"({"id":"chatcmpl-1","object":"chat.completion.chunk","model":"m","choices":[])" +
                        usage + "}") +
               kDone);
    for (const auto* events : {&deepseek, &openai_style}) {
        const auto u = fixture::ofType(*events, T::Usage);
        ASSERT_EQ(u.size(), 1u) << fixture::describe(*events);
        EXPECT_EQ(u[0].input_tokens, 6);
        EXPECT_EQ(u[0].output_tokens, 212);
        EXPECT_EQ(u[0].thinking_tokens, 198);
        EXPECT_EQ(u[0].cache_read_tokens, -1);
        EXPECT_EQ(fixture::ofType(*events, T::Stop).at(0).stop_reason, "stop");
        EXPECT_EQ(events->back().type, T::Done);
    }
    // Each finish reason; a repeated identical reason is reported once.
    for (const char* reason : {"stop", "length", "tool_calls", "content_filter"}) {
        const std::string f = std::string("\"") + reason + "\"";
        const auto events = openai(chunk(R"({"content":"x"})", f) + chunk(R"({})", f) + kDone);
        const auto stops = fixture::ofType(events, T::Stop);
        ASSERT_EQ(stops.size(), 1u) << reason;
        EXPECT_EQ(stops[0].stop_reason, reason);
    }
}

TEST(OpenAiDecoder, DoneEndsTheStream) {
    OpenAiDecoder d;
    std::vector<StreamEvent> events;
    d.feed(chunk(R"({"content":"x"})") + kDone + chunk(R"({"content":"late"})"), events);
    EXPECT_TRUE(d.ended());
    d.finish(events);
    EXPECT_EQ(events.back().type, T::Done);
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "x");
    // " [DONE] " with padding is still the terminator.
    EXPECT_EQ(openai("data:  [DONE] \n\n").back().type, T::Done);
}

TEST(OpenAiDecoder, NoDoneIsIncomplete) {
    const auto events = openai(chunk(R"({"content":"x"})", "\"stop\""));
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().type, T::Error);
    EXPECT_EQ(events.back().error_type, "incomplete_stream");
    EXPECT_NE(events.back().text.find("[DONE]"), std::string::npos) << events.back().text;
    const auto cut = openai(chunk(R"({"content":"x"})") + "data: {\"id\":");
    EXPECT_NE(cut.back().text.find("cut"), std::string::npos) << cut.back().text;
}

TEST(OpenAiDecoder, GroqNamedErrorEvent) {
    const std::string err =
        "event: error\n"
        R"(data: {"error":{"message":"Tool call validation failed","type":"invalid_request_error","code":"tool_use_failed","failed_generation":"{}","status_code":400}})"
        "\n\n";
    const auto events = openaiAllSplits(chunk(R"({"reasoning":"We"})") + err);
    ASSERT_FALSE(events.empty());
    const StreamEvent& e = events.back();
    EXPECT_EQ(e.type, T::Error);
    EXPECT_EQ(e.error_type, "invalid_request_error");
    EXPECT_EQ(e.text, "Tool call validation failed");
    EXPECT_EQ(e.http_status, 200);
    EXPECT_NE(e.raw.find("tool_use_failed"), std::string::npos);
    EXPECT_EQ(fixture::count(events, T::Error), 1); // finish() adds no incomplete_stream after it
    // A named error with no usable payload still ends the turn.
    const auto bare = openai("event: error\ndata: upstream exploded\n\n");
    ASSERT_EQ(bare.size(), 1u);
    EXPECT_EQ(bare[0].type, T::Error);
    EXPECT_EQ(bare[0].text, "upstream exploded");
    EXPECT_EQ(openai("event: error\n\n").at(0).type, T::Error);
}

TEST(OpenAiDecoder, ErrorInsideAChunk) {
    // OpenRouter: a normal chunk that also carries error (and usage); the chunk is applied, then the error.
    const std::string text =
        chunk(R"({"reasoning":"We need"})") +
        dataLine(
            R"({"id":"gen-1","error":{"code":400,"message":"Token limit reached"},"model":"m","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}],"usage":{"prompt_tokens":43,"completion_tokens":10}})") +
        kDone;
    const auto events = openaiAllSplits(text);
    const StreamEvent& e = events.back();
    EXPECT_EQ(e.type, T::Error) << fixture::describe(events);
    EXPECT_EQ(e.error_type, "400");
    EXPECT_EQ(e.text, "Token limit reached");
    EXPECT_EQ(fixture::count(events, T::Done), 0); // [DONE] after the error is ignored
    EXPECT_EQ(fixture::ofType(events, T::Usage).at(0).output_tokens, 10);
    const Turn turn = fixture::accumulate(events);
    EXPECT_EQ(turn.status, TurnStatus::Failed);
    EXPECT_EQ(turn.thinkingText(), "We need");
}

TEST(OpenAiDecoder, VllmAndLlamaCppErrorChunks) {
    // vLLM / current llama.cpp: data: {"error": {...}} then [DONE]; no MessageStart for an error-only chunk.
    const auto vllm = openai(
        dataLine(
            R"({"error":{"object":"error","message":"max_tokens too large","type":"BadRequestError","param":null,"code":400}})") +
        kDone);
    ASSERT_EQ(vllm.size(), 1u) << fixture::describe(vllm);
    EXPECT_EQ(vllm[0].error_type, "BadRequestError");
    EXPECT_EQ(vllm[0].text, "max_tokens too large");
    // A bare string error.
    const auto str = openai(chunk(R"({"content":"a"})") + dataLine(R"({"error":"boom"})") + kDone);
    EXPECT_EQ(str.back().text, "boom");
    EXPECT_EQ(str.back().error_type, "api_error");
    // "error": null is not an error.
    EXPECT_EQ(openai(dataLine(R"({"error":null,"choices":[]})") + kDone).back().type, T::Done);
}

TEST(OpenAiDecoder, LegacyLlamaCppErrorField) {
    const std::string text =
        chunk(R"({"content":"x"})") +
        "error: {\"code\":500,\"message\":\"slot unavailable\",\"type\":\"server_error\"}\n\n" + kDone;
    const auto events = openaiAllSplits(text);
    const StreamEvent& e = events.back();
    EXPECT_EQ(e.type, T::Error);
    EXPECT_EQ(e.error_type, "server_error");
    EXPECT_EQ(e.text, "slot unavailable");
    // Wrapped in {"error": ...} or plain text.
    EXPECT_EQ(openai("error: {\"error\":{\"message\":\"m\",\"code\":400}}\n\n").at(0).text, "m");
    const auto plain = openai("error: something broke\n\n");
    EXPECT_EQ(plain.at(0).text, "something broke");
    EXPECT_EQ(plain.at(0).error_type, "api_error");
}

TEST(OpenAiDecoder, CommentsAndEmptyDataAreIgnored) {
    const std::string text = ": OPENROUTER PROCESSING\n\n: keep-alive\n\n" + chunk(R"({"content":"x"})") +
                             ": OPENROUTER PROCESSING\n\ndata:\n\n" + kDone;
    const auto events = openaiAllSplits(text);
    EXPECT_EQ(fixture::count(events, T::Error), 0);
    EXPECT_EQ(events.back().type, T::Done);
}

TEST(OpenAiDecoder, NotJsonIsAProtocolError) {
    const auto events = openai(chunk(R"({"content":"x"})") + dataLine("<html>Bad gateway</html>") + kDone);
    EXPECT_EQ(events.back().error_type, "protocol_error");
    EXPECT_NE(events.back().text.find("event 2"), std::string::npos) << events.back().text;
    EXPECT_NE(events.back().text.find("<html>Bad gateway"), std::string::npos) << events.back().text;
    EXPECT_EQ(openai(dataLine("[1,2]")).back().error_type, "protocol_error");
}

TEST(OpenAiDecoder, OnlyTheFirstChoiceIsDecoded) {
    const auto events = openai(
        dataLine(
            R"({"model":"m","choices":[{"index":1,"delta":{"content":"other"}},{"index":0,"delta":{"content":"mine"}}]})") +
        kDone);
    EXPECT_EQ(fixture::joined(events, T::TextDelta), "mine");
}

} // namespace
} // namespace kf::teacher
