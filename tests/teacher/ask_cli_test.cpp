// SPDX-License-Identifier: MIT
// `kforge ask` end to end: the real binary streams from a loopback server speaking each protocol.
#include "support/loopback_server.h"
#include "support/synthetic_streams.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using kf::test::LoopbackServer;
using kf::test::ScriptedResponse;

const char* kSecret = "sk-ant-test-SECRET-0123456789";

std::string readFile(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct CliRun {
    int status = -1;
    std::string out;
    std::string err;
};

class AskCli : public ::testing::Test {
protected:
    void SetUp() override {
        m_dir = fs::temp_directory_path() / ("kf-ask-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(m_dir);
        m_kernel = readFile(fs::path(KF_SOURCE_DIR) / "resources/specs/softmax-rows-f32.gold.cu");
        m_answer = "Here is the kernel.\n\n```cuda\n" + m_kernel + "```\n\nIt reads each row once.";
    }
    void TearDown() override { fs::remove_all(m_dir); }

    CliRun ask(const std::string& args, const std::string& env = "") const {
        const auto out = m_dir / "stdout.txt";
        const auto err = m_dir / "stderr.txt";
        const std::string cmd =
            "cd " + std::string(KF_SOURCE_DIR) +
            " && env -u ANTHROPIC_API_KEY -u OPENAI_API_KEY XDG_DATA_HOME=" + m_dir.string() + " " + env +
            " " + KF_KFORGE + " ask resources/specs/softmax-rows-f32.kspec.yaml --db " +
            (m_dir / "kf.db").string() + " " + args + " > " + out.string() + " 2> " + err.string() +
            " < /dev/null";
        const int raw = std::system(cmd.c_str());
        return {WIFEXITED(raw) ? WEXITSTATUS(raw) : -1, readFile(out), readFile(err)};
    }

    void expectNoSecret(const CliRun& r) const {
        EXPECT_EQ(r.out.find(kSecret), std::string::npos);
        EXPECT_EQ(r.err.find(kSecret), std::string::npos);
        for (const auto& e : fs::directory_iterator(m_dir)) {
            EXPECT_EQ(readFile(e.path()).find(kSecret), std::string::npos) << e.path();
        }
    }

    fs::path m_dir;
    std::string m_kernel;
    std::string m_answer;
    const std::string m_thinking =
        "The row fits in registers, so one pass: max, then sum of exp, then scale.";
};

TEST_F(AskCli, AnthropicStreamsReasoningAndAnswerAndSavesTheKernel) {
    const auto caps = R"({"id":"claude-test-1","max_tokens":64000,"capabilities":{"thinking":{"types":
        {"adaptive":{"supported":true},"enabled":{"supported":true}}},"effort":{"high":{"supported":true}}}})";
    LoopbackServer server({ScriptedResponse::json(200, caps),
                           ScriptedResponse::stream(kf::teacher::test::anthropicStream(m_thinking, m_answer),
                                                    512, std::chrono::milliseconds(1))});
    const auto kernel = m_dir / "k.cu";
    const auto r =
        ask("--model claude-test-1 --effort high --base-url " + server.url("") + " --out " + kernel.string(),
            std::string("ANTHROPIC_API_KEY=") + kSecret);
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find(m_thinking), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(m_thinking), std::string::npos) << "reasoning goes to stderr only";
    EXPECT_NE(r.out.find("Here is the kernel."), std::string::npos);
    EXPECT_EQ(readFile(kernel), m_kernel);
    EXPECT_NE(r.err.find("end_turn · claude-test-1 · 1,200 in / 2,345 out tokens"), std::string::npos)
        << r.err;

    const auto requests = server.requests();
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].method, "GET");
    EXPECT_EQ(requests[0].target, "/v1/models/claude-test-1");
    EXPECT_EQ(requests[1].target, "/v1/messages");
    EXPECT_EQ(requests[1].header("x-api-key"), kSecret);
    const auto body = nlohmann::json::parse(requests[1].body);
    EXPECT_EQ(body["thinking"]["type"], "adaptive");
    EXPECT_EQ(body["thinking"]["display"], "summarized");
    EXPECT_NE(body["messages"][0]["content"][0]["text"].get<std::string>().find("kf_launch(const float* x"),
              std::string::npos);

    const auto transcript = nlohmann::json::parse(readFile(m_dir / "k.cu.transcript.json"));
    EXPECT_EQ(transcript["request"]["headers"]["x-api-key"], "<redacted>");
    const auto& turn = transcript["conversation"]["turns"][1];
    EXPECT_EQ(turn["blocks"][0]["kind"], "thinking");
    EXPECT_EQ(turn["blocks"][0]["text"], m_thinking);
    EXPECT_EQ(turn["blocks"][0]["signature"], "c2lnbmF0dXJl");
    EXPECT_EQ(transcript["raw_stream"], kf::teacher::test::anthropicStream(m_thinking, m_answer));
    EXPECT_NE(r.err.find("kforge: attempt 1 recorded in " + (m_dir / "kf.db").string()), std::string::npos)
        << r.err;

    // The attempt is in the dataset with its kernel, and the key is nowhere in the database either.
    const auto listed = std::system((std::string(KF_KFORGE) + " dataset --db " + (m_dir / "kf.db").string() +
                                     " list > " + (m_dir / "list.txt").string() + " 2>&1")
                                        .c_str());
    EXPECT_EQ(listed, 0);
    const auto list = readFile(m_dir / "list.txt");
    EXPECT_NE(list.find("softmax-rows-f32"), std::string::npos) << list;
    EXPECT_NE(list.find("anthropic/claude-test-1"), std::string::npos) << list;
    expectNoSecret(r);
}

TEST_F(AskCli, OpenAiCompatibleServer) {
    LoopbackServer server({ScriptedResponse::stream(kf::teacher::test::openaiStream(m_thinking, m_answer),
                                                    300, std::chrono::milliseconds(0))});
    const auto r = ask("--provider openai --model test-reasoner --base-url " + server.url("/v1") + " --out " +
                       (m_dir / "k.cu").string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find(m_thinking), std::string::npos);
    EXPECT_EQ(readFile(m_dir / "k.cu"), m_kernel);
    EXPECT_EQ(server.requests().at(0).target, "/v1/chat/completions");
    EXPECT_NE(r.err.find("900 in / 1,500 out"), std::string::npos) << r.err;
}

TEST_F(AskCli, OllamaServer) {
    LoopbackServer server(
        {ScriptedResponse::stream(kf::teacher::test::ollamaStream(m_thinking, m_answer), 200,
                                  std::chrono::milliseconds(0), "application/x-ndjson")});
    const auto r = ask("--provider ollama --model qwen3 --base-url " + server.url("") + " --out " +
                       (m_dir / "k.cu").string());
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_NE(r.err.find(m_thinking), std::string::npos);
    EXPECT_EQ(readFile(m_dir / "k.cu"), m_kernel);
    EXPECT_EQ(server.requests().at(0).target, "/api/chat");
}

TEST_F(AskCli, RejectedKeyIsAnActionableErrorWithoutTheKey) {
    LoopbackServer server(
        {ScriptedResponse::json(404, R"({"type":"error","error":{"type":"not_found_error"}})"),
         ScriptedResponse::json(401, R"({"type":"error","error":{"type":"authentication_error",
                           "message":"invalid x-api-key"},"request_id":"req_011"})")});
    const auto r = ask("--base-url " + server.url("") + " --out " + (m_dir / "k.cu").string(),
                       std::string("ANTHROPIC_API_KEY=") + kSecret);
    EXPECT_EQ(r.status, 1);
    EXPECT_NE(r.err.find("ANTHROPIC_API_KEY"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("req_011"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(m_dir / "k.cu"));
    EXPECT_TRUE(fs::exists(m_dir / "k.cu.transcript.json")) << "a failed turn is still saved";
    expectNoSecret(r);
}

TEST_F(AskCli, DroppedStreamKeepsThePartialReasoning) {
    const auto stream = kf::teacher::test::anthropicStream(m_thinking, m_answer);
    auto response = ScriptedResponse::stream(stream, 64, std::chrono::milliseconds(0));
    response.drop_after = stream.find("text_delta");
    LoopbackServer server({ScriptedResponse::json(404, "{}"), response});
    const auto r = ask("--base-url " + server.url("") + " --transcript " + (m_dir / "t.json").string(),
                       std::string("ANTHROPIC_API_KEY=") + kSecret);
    EXPECT_EQ(r.status, 1);
    const auto transcript = nlohmann::json::parse(readFile(m_dir / "t.json"));
    const auto& turn = transcript["conversation"]["turns"][1];
    EXPECT_EQ(turn["status"], "failed");
    EXPECT_EQ(turn["blocks"][0]["text"], m_thinking);
    expectNoSecret(r);
}

TEST_F(AskCli, NoSaveLeavesTheDatasetAlone) {
    LoopbackServer server(
        {ScriptedResponse::stream(kf::teacher::test::ollamaStream(m_thinking, m_answer), 200,
                                  std::chrono::milliseconds(0), "application/x-ndjson")});
    const auto r = ask("--provider ollama --model qwen3 --no-save --base-url " + server.url(""));
    ASSERT_EQ(r.status, 0) << r.err;
    EXPECT_FALSE(fs::exists(m_dir / "kf.db"));
    EXPECT_EQ(r.err.find("recorded"), std::string::npos);
}

TEST_F(AskCli, MissingKeyAndBadOptionsAreUsageErrors) {
    auto r = ask("--model m");
    EXPECT_EQ(r.status, 2);
    EXPECT_EQ(r.err, "kforge: no API key: set ANTHROPIC_API_KEY\n");
    r = ask("--provider gemini");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("unknown --provider 'gemini'"), std::string::npos);
    r = ask("--effort high --budget 2000", std::string("ANTHROPIC_API_KEY=") + kSecret);
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("excludes"), std::string::npos) << r.err;
}

} // namespace
