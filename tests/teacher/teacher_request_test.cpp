// SPDX-License-Identifier: MIT
#include "teacher/request_builder.h"

#include <gtest/gtest.h>

using namespace kf::teacher;

namespace {

TeacherSettings anthropic() {
    TeacherSettings s;
    s.provider = Provider::Anthropic;
    s.model = "claude-opus-4-7";
    s.base_url = "http://127.0.0.1:9";
    s.api_key = "sk-ant-secret";
    return s;
}

nlohmann::json body(const HttpRequest& r) {
    return nlohmann::json::parse(r.body);
}

Conversation firstTurn() {
    Conversation c;
    c.addUser("Write a kernel.");
    return c;
}

TEST(Request, AnthropicAdaptiveSummarizedNoSampling) {
    ModelCapabilities caps = parseModelCapabilities(nlohmann::json::parse(
        R"({"id":"claude-opus-4-7","max_tokens":128000,"capabilities":{"thinking":{"types":{"adaptive":{"supported":true},
        "enabled":{"supported":false}}},"effort":{"low":{"supported":true},"xhigh":{"supported":true}}}})"));
    ASSERT_TRUE(caps.known);
    EXPECT_TRUE(caps.adaptive);
    EXPECT_FALSE(caps.enabled);
    EXPECT_EQ(caps.efforts, (std::vector<std::string>{"low", "xhigh"}));
    auto s = anthropic();
    s.effort = "xhigh";
    const auto r = buildRequest(s, caps, firstTurn());
    EXPECT_EQ(r.url, "http://127.0.0.1:9/v1/messages");
    const auto b = body(r);
    EXPECT_EQ(b["thinking"], nlohmann::json::parse(R"({"type":"adaptive","display":"summarized"})"));
    EXPECT_EQ(b["output_config"]["effort"], "xhigh");
    EXPECT_EQ(b["stream"], true);
    EXPECT_FALSE(b.contains("temperature"));
    EXPECT_FALSE(b.contains("top_p"));
    EXPECT_FALSE(b.contains("top_k"));
    EXPECT_EQ(
        b["messages"][0],
        nlohmann::json::parse(R"({"role":"user","content":[{"type":"text","text":"Write a kernel."}]})"));
    bool version = false;
    for (const auto& [k, v] : r.headers) {
        version = version || (k == "anthropic-version" && v == "2023-06-01");
    }
    EXPECT_TRUE(version);
}

TEST(Request, AnthropicBudgetOnAdaptiveOnlyModelIsRefusedWithAReason) {
    ModelCapabilities caps;
    caps.known = true;
    caps.adaptive = true;
    auto s = anthropic();
    s.budget_tokens = 8000;
    try {
        (void)buildRequest(s, caps, firstTurn());
        FAIL();
    } catch (const std::invalid_argument& e) {
        EXPECT_STREQ(e.what(),
                     "model claude-opus-4-7 takes adaptive thinking only: use --effort instead of --budget");
    }
}

TEST(Request, AnthropicManualBudgetWhenAskedOrWhenTheModelOnlyKnowsManual) {
    auto s = anthropic();
    s.model = "claude-sonnet-4-5";
    s.budget_tokens = 4096;
    s.max_tokens = 16000;
    auto b = body(buildRequest(s, ModelCapabilities{}, firstTurn()));
    EXPECT_EQ(b["thinking"],
              nlohmann::json::parse(R"({"type":"enabled","budget_tokens":4096,"display":"summarized"})"));
    s.budget_tokens = 0;
    ModelCapabilities old;
    old.known = true;
    old.enabled = true;
    old.max_tokens = 8000; // caps max_tokens too
    b = body(buildRequest(s, old, firstTurn()));
    EXPECT_EQ(b["max_tokens"], 8000);
    EXPECT_EQ(b["thinking"]["type"], "enabled");
    EXPECT_EQ(b["thinking"]["budget_tokens"], 7999);
}

TEST(Request, ThinkingBlocksGoBackExactlyAndInOrder) {
    Conversation c = firstTurn();
    Turn t;
    t.blocks.push_back({BlockKind::Thinking, "Let me think", "EqQBCgIYAh+sig/==", "", ""});
    t.blocks.push_back({BlockKind::RedactedThinking, "", "", "EmwKAhgBEgy3va3pzix/LafPsn4a", ""});
    t.blocks.push_back({BlockKind::Thinking, "", "sig2", "", ""}); // display omitted: empty text, kept
    t.blocks.push_back({BlockKind::Text, "```cuda\n...\n```", "", "", ""});
    c.addAssistant(t);
    c.addUser("It failed.");
    const auto b = body(buildRequest(anthropic(), ModelCapabilities{}, c));
    ASSERT_EQ(b["messages"].size(), 3u);
    EXPECT_EQ(b["messages"][1], nlohmann::json::parse(R"({"role":"assistant","content":[
        {"type":"thinking","thinking":"Let me think","signature":"EqQBCgIYAh+sig/=="},
        {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4a"},
        {"type":"thinking","thinking":"","signature":"sig2"},
        {"type":"text","text":"```cuda\n...\n```"}]})"));
}

TEST(Request, OpenAiCompatibleAsksForUsageAndSendsNoReasoningBack) {
    TeacherSettings s;
    s.provider = Provider::OpenAi;
    s.model = "deepseek-reasoner";
    s.base_url = "http://127.0.0.1:9/v1";
    s.api_key = "sk-x";
    Conversation c = firstTurn();
    Turn t;
    t.blocks.push_back({BlockKind::Thinking, "hmm", "", "", ""});
    t.blocks.push_back({BlockKind::Text, "answer", "", "", ""});
    c.addAssistant(t);
    const auto r = buildRequest(s, {}, c);
    EXPECT_EQ(r.url, "http://127.0.0.1:9/v1/chat/completions");
    const auto b = body(r);
    EXPECT_EQ(b["stream_options"]["include_usage"], true);
    EXPECT_EQ(b["messages"][1], nlohmann::json::parse(R"({"role":"assistant","content":"answer"})"));
}

TEST(Request, OllamaThinksAndReplaysThinking) {
    TeacherSettings s;
    s.provider = Provider::Ollama;
    s.model = "qwen3";
    applyEnvironment(s, [](const std::string& n) -> std::optional<std::string> {
        return n == "OLLAMA_HOST" ? std::optional<std::string>("0.0.0.0:11434") : std::nullopt;
    });
    EXPECT_EQ(s.base_url, "http://0.0.0.0:11434");
    Conversation c = firstTurn();
    Turn t;
    t.blocks.push_back({BlockKind::Thinking, "hmm", "", "", ""});
    t.blocks.push_back({BlockKind::Text, "answer", "", "", ""});
    c.addAssistant(t);
    const auto b = body(buildRequest(s, {}, c));
    EXPECT_EQ(b["think"], true);
    EXPECT_EQ(b["messages"][1],
              nlohmann::json::parse(R"({"role":"assistant","content":"answer","thinking":"hmm"})"));
}

TEST(Request, KeysAreRedactedForTranscripts) {
    const auto r = buildRequest(anthropic(), {}, firstTurn());
    for (const auto& [k, v] : redactHeaders(r.headers)) {
        EXPECT_EQ(v.find("secret"), std::string::npos) << k;
    }
    EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST(Request, CredentialsInUrlsAreRedacted) {
    EXPECT_EQ(redactUrl("https://user:sk-secret@proxy.local:8443/v1?x=1"),
              "https://<redacted>@proxy.local:8443/v1?x=1");
    EXPECT_EQ(redactUrl("http://127.0.0.1:11434"), "http://127.0.0.1:11434");
    EXPECT_EQ(redactUrl("http://host/path@not-userinfo"), "http://host/path@not-userinfo");
}

TEST(Settings, EnvironmentAndValidation) {
    TeacherSettings s;
    applyEnvironment(s, [](const std::string& n) -> std::optional<std::string> {
        if (n == "ANTHROPIC_BASE_URL") {
            return "http://proxy.local/";
        }
        return std::nullopt;
    });
    EXPECT_EQ(s.base_url, "http://proxy.local");
    EXPECT_EQ(s.model, "claude-sonnet-4-6");
    EXPECT_EQ(validateSettings(s), "no API key: set ANTHROPIC_API_KEY");
    s.api_key = "k";
    s.effort = "high";
    s.budget_tokens = 2000;
    EXPECT_NE(validateSettings(s).find("exclude each other"), std::string::npos);
    TeacherSettings o;
    o.provider = Provider::OpenAi;
    applyEnvironment(o, [](const std::string&) { return std::nullopt; });
    EXPECT_EQ(validateSettings(o), "no model: pass --model (openai has no default)");
}

} // namespace
