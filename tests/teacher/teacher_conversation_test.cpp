// SPDX-License-Identifier: MIT
#include "teacher/conversation.h"

#include <gtest/gtest.h>

using namespace kf::teacher;

TEST(Conversation, TranscriptRoundTripKeepsEveryByte) {
    Conversation c;
    c.addUser("Write ÷ a kernel");
    Turn t;
    t.model = "claude-sonnet-4-20250514";
    t.stop_reason = "end_turn";
    t.request_id = "req_1";
    t.usage.input_tokens = 43;
    t.usage.output_tokens = 282;
    t.blocks.push_back({BlockKind::Thinking, "think\n\u2028 here", "sig==", "", R"({"type":"thinking"})"});
    t.blocks.push_back({BlockKind::RedactedThinking, "", "", "opaque+/=", ""});
    t.blocks.push_back({BlockKind::Other, "", "", "", R"({"type":"advisor_tool_result","x":1})"});
    c.addAssistant(t);
    const auto back = Conversation::fromJson(nlohmann::json::parse(c.toJson().dump()));
    ASSERT_EQ(back.turns().size(), 2u);
    EXPECT_EQ(back.turns()[1], c.turns()[1]);
    EXPECT_EQ(back.turns()[0].blocks[0].text, "Write ÷ a kernel");
    EXPECT_EQ(anthropicBlockJson(back.turns()[1].blocks[2]).dump(),
              R"({"type":"advisor_tool_result","x":1})");
}

TEST(Conversation, BadTranscriptsNameThePath) {
    auto j = Conversation().toJson();
    j["turns"] = nlohmann::json::array({{{"role", "user"}, {"blocks", {{{"kind", "text"}}}}}});
    try {
        (void)Conversation::fromJson(j);
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "turns[0].blocks[0].text: missing");
    }
}
