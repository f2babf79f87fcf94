// SPDX-License-Identifier: MIT
// The Anthropic decoder reads delta events through a hand-written scanner and everything else through
// nlohmann::json. feedEvent() always takes the full parser, so decoding the same events both ways must agree
// exactly, for well-formed, unusual and malformed deltas alike.
#include "teacher/anthropic_decoder.h"

#include <gtest/gtest.h>

namespace {

using namespace kf::teacher;

const std::string kStart =
    "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"model\":"
    "\"x\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n";

std::vector<StreamEvent> throughFeed(const std::string& delta_json) {
    AnthropicDecoder d;
    std::vector<StreamEvent> out;
    d.feed(kStart + "event: content_block_delta\ndata: " + delta_json + "\n\n", out);
    return out;
}

std::vector<StreamEvent> throughFullParser(const std::string& delta_json) {
    AnthropicDecoder d;
    std::vector<StreamEvent> out;
    std::vector<SseEvent> start;
    SseParser().feed(kStart, start);
    d.feedEvent(start.at(0), out);
    d.feedEvent(SseEvent{"content_block_delta", delta_json, "", ""}, out);
    return out;
}

class FastPath : public ::testing::TestWithParam<std::string> {};

TEST_P(FastPath, AgreesWithTheFullParser) {
    const auto fast = throughFeed(GetParam());
    const auto full = throughFullParser(GetParam());
    ASSERT_EQ(fast.size(), full.size()) << GetParam();
    for (std::size_t i = 0; i < fast.size(); ++i) {
        EXPECT_TRUE(fast[i] == full[i])
            << GetParam() << "\nevent " << i << ": " << typeName(fast[i].type) << " '" << fast[i].text
            << "' vs " << typeName(full[i].type) << " '" << full[i].text << "'";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Deltas, FastPath,
    ::testing::Values(
        R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"plain text"}})",
        R"({"type":"content_block_delta","index":3,"delta":{"type":"text_delta","text":"a\"b\\c\/d\b\f\n\r\t"}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"\u00f7 \u20ac \ud83d\ude00 \u0000"}})",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"raw "
        "\xc3\xb7 "
        "\xf0\x9f\x98\x80 ok\"}}",
        R"({"delta":{"thinking":"keys in another order","type":"thinking_delta"},"index":1,"type":"content_block_delta"})",
        R"( { "type" : "content_block_delta" , "index" : 0 , "delta" : { "type" : "signature_delta" , "signature" : "EqQB+/==" }   }  )",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"a\": [1, 2"}})",
        R"({"type":"content_block_delta","index":0,"extra":{"nested":[1,2.5e3,true,null,{"x":"y"}]},"delta":{"type":"text_delta","text":"t","more":false}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"x":1}}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta"}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","text":"wrong field"}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"a","thinking":"b"}})",
        R"({"type":"content_block_delta","index":0,"index":1,"delta":{"type":"text_delta","text":"dup index"}})",
        R"({"type":"content_block_delta","index":1.0,"delta":{"type":"text_delta","text":"float index"}})",
        R"({"type":"content_block_delta","index":-1,"delta":{"type":"text_delta","text":"negative"}})",
        R"({"type":"content_block_delta","index":99999999999,"delta":{"type":"text_delta","text":"huge"}})",
        R"({"type":"content_block_delta","delta":{"type":"text_delta","text":"no index"}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lone \ud83d surrogate"}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lone \ude00 low"}})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"bad \x escape"}})",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
        "\"tab\there\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"bad "
        "\xc3\x28 utf8\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
        "\"overlong \xc0\xaf\"}}",
        "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":"
        "\"surrogate \xed\xa0\x80\"}}",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"trailing"}} x)",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"unterminated})",
        R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},})",
        R"({"type":"content_block_delta","index":0,"delta":"not an object"})",
        R"({"t\u0079pe":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"escaped key"}})",
        R"([1,2,3])", R"()", R"(null)"));

} // namespace
