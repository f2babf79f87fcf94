// SPDX-License-Identifier: MIT
// The export's two ways of reading a stored conversation: the scan that keeps the stored escapes and the
// nlohmann parse it falls back on. On every text both read, the parts must be the same; on a conversation
// that nlohmann wrote, the scan must not fall back (that is what keeps the export fast).
#include "dataset/conversation_parts.h"
#include "dataset/json_writer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

using kf::dataset::detail::ConversationParts;
using kf::dataset::detail::ConversationReader;
using ojson = nlohmann::ordered_json;

std::string block(const std::string& kind, const std::string& text) {
    return R"({"kind":")" + kind + R"(","text":")" + text + R"(","signature":"","data":"","raw":""})";
}

std::string conversation(const std::string& user_text, const std::string& assistant_blocks,
                         const std::string& extra = "") {
    return R"({"format":"kernelforge.conversation/1",)" + extra + R"("turns":[{"role":"user","blocks":[)" +
           block("text", user_text) + R"(]},{"role":"assistant","blocks":[)" + assistant_blocks +
           R"(],"stop_reason":"end_turn","request_id":"req_1","usage":{"input_tokens":12}}]})";
}

void expectSame(const ConversationParts& a, const ConversationParts& b, const std::string& text) {
    ASSERT_EQ(a.prompt.size(), b.prompt.size()) << text;
    for (std::size_t i = 0; i < a.prompt.size(); ++i) {
        EXPECT_STREQ(a.prompt[i].role, b.prompt[i].role) << text;
        EXPECT_EQ(a.prompt[i].content, b.prompt[i].content) << text;
    }
    EXPECT_EQ(a.task_prompt, b.task_prompt) << text;
    EXPECT_EQ(a.reasoning, b.reasoning) << text;
    EXPECT_EQ(a.reasoning_bytes, b.reasoning_bytes) << text;
    EXPECT_EQ(a.redacted, b.redacted) << text;
    EXPECT_EQ(a.answer, b.answer) << text;
    EXPECT_EQ(a.stop_reason, b.stop_reason) << text;
    EXPECT_EQ(a.request_id, b.request_id) << text;
}

// Both paths on `text`: when the scan reads it, the parts agree; read() gives the parse's parts either way.
// Returns whether the scan read it.
bool check(const std::string& text) {
    ConversationReader reader;
    ConversationParts scanned;
    ConversationParts parsed;
    ConversationParts read;
    const bool fast = reader.scan(text, scanned);
    reader.parse(text, parsed);
    reader.read(text, read);
    if (fast) {
        expectSame(scanned, parsed, text);
    }
    expectSame(read, parsed, text);
    for (const bool prompt_only : {true, false}) {
        ConversationParts p;
        reader.read(text, p, prompt_only);
        EXPECT_EQ(p.prompt.size(), parsed.prompt.size()) << text;
    }
    return fast;
}

TEST(ExportConversation, NlohmannWrittenConversationsTakeTheScan) {
    std::mt19937_64 rng(3);
    const std::string pieces[] = {"plain ",
                                  "line\n",
                                  "tab\t",
                                  "quote \" ",
                                  "backslash \\ ",
                                  "nul \x01 ",
                                  "\xc3\xa9t\xc3\xa9 ",
                                  "\xf0\x9f\x98\x80 ",
                                  "slash / ",
                                  "\x7f"};
    for (int i = 0; i < 300; ++i) {
        auto text = [&] {
            std::string s;
            for (int k = static_cast<int>(rng() % 30); k > 0; --k) {
                s += pieces[rng() % std::size(pieces)];
            }
            return s;
        };
        ojson blocks = ojson::array();
        if (rng() % 3 == 0) {
            blocks.push_back(ojson{{"kind", "redacted_thinking"}, {"text", ""}, {"data", "opaque"}});
        }
        for (int k = static_cast<int>(rng() % 3); k > 0; --k) {
            blocks.push_back(ojson{{"kind", "thinking"}, {"text", text()}, {"signature", "sig"}});
        }
        blocks.push_back(ojson{{"kind", "text"}, {"text", text()}});
        ojson turns = ojson::array();
        turns.push_back(
            ojson{{"role", "system"}, {"blocks", ojson::array({ojson{{"kind", "text"}, {"text", text()}}})}});
        turns.push_back(
            ojson{{"role", "user"}, {"blocks", ojson::array({ojson{{"kind", "text"}, {"text", text()}}})}});
        turns.push_back(ojson{{"role", "assistant"},
                              {"blocks", blocks},
                              {"stop_reason", "end_turn"},
                              {"usage", {{"input_tokens", 1500}, {"cost", 0.25}, {"x", -1e-7}}}});
        const auto dumped = ojson{{"format", "kernelforge.conversation/1"}, {"turns", turns}}.dump();
        EXPECT_TRUE(check(dumped)) << "the scan fell back on nlohmann's own output: " << dumped;
    }
}

TEST(ExportConversation, AwkwardTextsReadAsNlohmannReadsThem) {
    const std::string user = R"({"role":"user","blocks":[)" + block("text", "Write it.\\nNow") + "]}";
    const std::vector<std::string> texts = {
        conversation("hi", block("thinking", "t \\\"q\\\" \\\\ \\u0001 \\u001f") + "," + block("text", "a")),
        // escapes nlohmann does not write: the parse path reads them
        conversation("a\\/b", block("text", "\\u00e9 \\ud83d\\ude00 \\u001F \\u0041")),
        conversation("x", block("text", "\\u0008")),
        // duplicate keys: nlohmann keeps the last
        R"({"turns":[],"turns":[)" + user + R"(,{"role":"user","role":"assistant","blocks":[)" +
            block("text", "dup") + R"(]}]})",
        R"({"turns":[)" + user +
            R"(,{"role":"assistant","blocks":[{"kind":"text","kind":"thinking","text":"k"}]}]})",
        // not JSON, or JSON nlohmann refuses: empty parts
        "\xEF\xBB\xBF" + conversation("bom", block("text", "t")),
        conversation("x", block("text", "t")) + " x",
        conversation("x", block("text", "t"), R"("n":1e400,)"),
        conversation("x", block("text", "t"), R"("n":123456789012345678901234567890e280,)"),
        conversation("x", block("text", "\\ud800")),
        conversation("x", block("text", "a\x01z")),
        conversation("x", block("text", "a\xff")),
        conversation("x", block("text", "a\xed\xa0\x80")),
        conversation("x", block("text", "t"), R"("n":01,)"),
        conversation("x", block("text", "t"), R"("n":1.,)"),
        conversation("x", block("text", "t"), R"("n":-,)"),
        conversation("x", block("text", "t"), R"("n":tru,)"),
        R"({"turns":[)" + user + "]",
        "",
        "[1,2]",
        "null",
        R"({"turns":{}})",
        R"({"turns":"no"})",
        // shapes: non-object turns and blocks, non-string fields, several blocks, no assistant turn
        R"({"turns":[5,null,)" + user + R"(,{"role":"system","blocks":{}},{"role":"assistant","blocks":[1,)" +
            R"({"kind":7,"text":"x"},{"kind":"text","text":9},)" + block("thinking", "one ") + "," +
            block("redacted_thinking", "") + "," + block("thinking", "two") + "," + block("text", "A") + "," +
            block("text", "B") + R"(],"stop_reason":5,"request_id":"\u00e9"},{"role":"tool"}]})",
        R"({"turns":[)" + user + "," + user + "]}",
        R"({"turns":[{"role":"user","blocks":[)" + block("text", "") + R"(]},{"role":"user","blocks":[)" +
            block("text", "second") + R"(]},{"role":"assistant","blocks":[]}]})",
        R"({"ro\u006ce":"x","turns":[)" + user + "]}",
        conversation(
            "deep", block("text", "t"),
            R"("d":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],)"),
        conversation("n", block("text", "t"),
                     R"("a":-0.0e-5,"b":1E+300,"c":true,"d":false,"e":null,"f":{},"g":[],)"),
        " \n\t" + conversation("ws", block("text", "t")) + " \r\n",
    };
    int fast = 0;
    for (const auto& t : texts) {
        fast += check(t) ? 1 : 0;
    }
    EXPECT_GT(fast, 5); // the scan reads the plain ones
    EXPECT_LT(fast, static_cast<int>(texts.size()));
}

TEST(ExportConversation, ReasoningBytesAreUnescapedBytes) {
    ConversationReader reader;
    ConversationParts parts;
    ASSERT_TRUE(reader.scan(
        conversation("u", block("thinking", "a\\nb\\u0001\xc3\xa9") + "," + block("text", "x")), parts));
    EXPECT_EQ(parts.reasoning, "a\\nb\\u0001\xc3\xa9");
    EXPECT_EQ(parts.reasoning_bytes, 6u); // a, newline, b, U+0001, and two bytes of é
    EXPECT_EQ(kf::dataset::detail::unescape(parts.reasoning), "a\nb\x01\xc3\xa9");
    EXPECT_EQ(reader.fallbacks(), 0);
}

} // namespace
