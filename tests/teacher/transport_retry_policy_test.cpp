// SPDX-License-Identifier: MIT
// decideRetry (docs/teacher-protocols.md §1.7 table and §1.8 rules) and describeHttpError.

#include "teacher/retry_policy.h"

#include <gtest/gtest.h>
#include <set>

using namespace std::chrono_literals;
using kf::teacher::decideRetry;
using kf::teacher::describeHttpError;
using kf::teacher::HttpHead;
using kf::teacher::RetryDecision;

namespace {

HttpHead head(std::vector<std::pair<std::string, std::string>> h = {}) {
    HttpHead out;
    out.status = 0;
    out.headers = std::move(h);
    return out;
}

std::string anthropicError(const std::string& type, const std::string& message,
                           const std::string& extra = "") {
    return R"({"type":"error","error":{"type":")" + type + R"(","message":")" + message + "\"" + extra +
           R"(},"request_id":"req_011CTest"})";
}

const std::string kSpendCap =
    R"({"type":"error","error":{"type":"rate_limit_error","message":"You have reached your specified workspace API )"
    R"(usage limits.","details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_cap"})";

// A fixed "now" for HTTP-date arithmetic: Sun, 06 Nov 1994 08:49:37 GMT.
const auto kNow = std::chrono::system_clock::from_time_t(784111777);

RetryDecision decide(int status, const HttpHead& h = head(), std::string_view body = "", int retries = 0) {
    std::mt19937 rng(12345);
    return decideRetry(status, h, body, retries, rng, kNow);
}

bool inBackoff(std::chrono::milliseconds d, int retries) {
    const double base = std::min(500.0 * (1 << retries), 8000.0);
    return d.count() > static_cast<long long>(base * 0.75) - 1 && d.count() <= static_cast<long long>(base);
}

} // namespace

// §1.7: the status table, with the JSON bodies the service sends.
TEST(DecideRetry, StatusTableOfSection17) {
    struct Row {
        int status;
        const char* type;
        bool retry;
    };
    const Row rows[] = {
        {400, "invalid_request_error", false},
        {401, "authentication_error", false},
        {402, "billing_error", false},
        {403, "permission_error", false},
        {404, "not_found_error", false},
        {409, "conflict_error", true},
        {413, "request_too_large", false},
        {429, "rate_limit_error", true},
        {500, "api_error", true},
        {504, "timeout_error", true},
        {529, "overloaded_error", true},
    };
    for (const Row& row : rows) {
        const auto d = decide(row.status, head(), anthropicError(row.type, "x"));
        EXPECT_EQ(d.retry, row.retry) << row.status << " " << d.reason;
        EXPECT_FALSE(d.reason.empty());
        if (d.retry) {
            EXPECT_TRUE(inBackoff(d.delay, 0)) << row.status << " " << d.delay.count();
        } else {
            EXPECT_EQ(d.delay, 0ms);
        }
    }
}

// §1.8: connection errors and timeouts (status 0), 408, and every status >= 500 retry; other 4xx do not.
TEST(DecideRetry, StatusRulesOfSection18) {
    for (int s : {0, 408, 409, 429, 500, 501, 502, 503, 504, 529, 599})
        EXPECT_TRUE(decide(s).retry) << s;
    for (int s : {300, 302, 400, 401, 402, 403, 404, 405, 410, 413, 415, 422, 451})
        EXPECT_FALSE(decide(s).retry) << s;
    EXPECT_FALSE(decide(200).retry);
    EXPECT_FALSE(decide(0, head(), "", 0).reason.empty());
}

TEST(DecideRetry, AtMostTwoRetries) {
    EXPECT_TRUE(decide(529, head(), "", 0).retry);
    EXPECT_TRUE(decide(529, head(), "", 1).retry);
    EXPECT_FALSE(decide(529, head(), "", 2).retry);
    EXPECT_FALSE(decide(0, head(), "", 2).retry);
    EXPECT_FALSE(decide(500, head({{"x-should-retry", "true"}}), "", 2).retry); // the budget beats the header
    EXPECT_FALSE(decide(429, head({{"retry-after", "1"}}), "", 3).retry);
}

TEST(DecideRetry, ShouldRetryHeaderOverridesTheStatus) {
    EXPECT_FALSE(decide(500, head({{"x-should-retry", "false"}})).retry);
    EXPECT_FALSE(decide(529, head({{"X-Should-Retry", "false"}})).retry);
    EXPECT_FALSE(decide(429, head({{"x-should-retry", "false"}, {"retry-after", "1"}})).retry);
    EXPECT_TRUE(decide(404, head({{"x-should-retry", "true"}})).retry);
    EXPECT_TRUE(decide(403, head({{"x-should-retry", "true"}})).retry);
    // Any other value leaves the status decision alone.
    EXPECT_TRUE(decide(500, head({{"x-should-retry", "maybe"}})).retry);
    EXPECT_FALSE(decide(404, head({{"x-should-retry", ""}})).retry);
}

TEST(DecideRetry, KernelForgeNeverRetriesA400OrTheSpendCap) {
    EXPECT_FALSE(decide(400, head({{"x-should-retry", "true"}})).retry);
    const auto cap = decide(429, head(), kSpendCap);
    EXPECT_FALSE(cap.retry);
    EXPECT_NE(cap.reason.find("spend"), std::string::npos) << cap.reason;
    EXPECT_FALSE(decide(429, head({{"x-should-retry", "true"}, {"retry-after", "5"}}), kSpendCap).retry);
    // An ordinary rate limit with a details object is retried.
    EXPECT_TRUE(
        decide(429, head(), anthropicError("rate_limit_error", "slow down", R"(,"details":null)")).retry);
    EXPECT_TRUE(kf::teacher::isSpendCapError(kSpendCap));
    EXPECT_FALSE(kf::teacher::isSpendCapError("<html>429</html>"));
}

TEST(DecideRetry, RetryAfterMsComesFirst) {
    EXPECT_EQ(decide(429, head({{"retry-after-ms", "1500"}, {"retry-after", "9"}})).delay, 1500ms);
    EXPECT_EQ(decide(429, head({{"retry-after-ms", "1500.2"}})).delay, 1501ms); // never earlier than asked
    EXPECT_EQ(decide(429, head({{"retry-after-ms", " 250 "}})).delay, 250ms);
    EXPECT_EQ(decide(429, head({{"retry-after-ms", "60000"}})).delay, 60000ms);
    // A parseable value out of (0, 60 s] means backoff, not the retry-after header (the Python SDK's order).
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after-ms", "0"}, {"retry-after", "3"}})).delay, 0));
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after-ms", "60001"}})).delay, 0));
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after-ms", "-5"}})).delay, 0));
    // An unparseable one falls through to retry-after.
    EXPECT_EQ(decide(429, head({{"retry-after-ms", "soon"}, {"retry-after", "2"}})).delay, 2000ms);
}

TEST(DecideRetry, RetryAfterSecondsAndHttpDate) {
    EXPECT_EQ(decide(429, head({{"retry-after", "1"}})).delay, 1000ms);
    EXPECT_EQ(decide(429, head({{"Retry-After", "1.5"}})).delay, 1500ms);
    EXPECT_EQ(decide(503, head({{"retry-after", "60"}})).delay, 60000ms);
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after", "0"}})).delay, 0));
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after", "61"}})).delay, 0));
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after", "3600"}})).delay, 0));
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after", "nan"}})).delay, 0));
    EXPECT_TRUE(inBackoff(decide(429, head({{"retry-after", "soon"}})).delay, 0));
    // HTTP-dates relative to kNow (08:49:37).
    EXPECT_EQ(decide(429, head({{"retry-after", "Sun, 06 Nov 1994 08:49:42 GMT"}})).delay, 5000ms);
    EXPECT_EQ(decide(429, head({{"retry-after", "Sunday, 06-Nov-94 08:49:47 GMT"}})).delay,
              10000ms);                                                                         // RFC 850
    EXPECT_EQ(decide(429, head({{"retry-after", "Sun Nov  6 08:50:37 1994"}})).delay, 60000ms); // asctime
    EXPECT_TRUE(
        inBackoff(decide(429, head({{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}})).delay, 0)); // now
    EXPECT_TRUE(
        inBackoff(decide(429, head({{"retry-after", "Sun, 06 Nov 1994 08:40:00 GMT"}})).delay, 0)); // past
    EXPECT_TRUE(
        inBackoff(decide(429, head({{"retry-after", "Sun, 06 Nov 1994 09:49:37 GMT"}})).delay, 0)); // 1 h
}

TEST(DecideRetry, BackoffIsCappedExponentialWithUpTo25PercentJitter) {
    std::mt19937 rng(7);
    for (int retries : {0, 1}) {
        std::set<long long> seen;
        double sum = 0;
        const int n = 400;
        for (int i = 0; i < n; ++i) {
            const auto d = decideRetry(0, head(), "", retries, rng, kNow);
            ASSERT_TRUE(d.retry);
            ASSERT_TRUE(inBackoff(d.delay, retries)) << retries << ": " << d.delay.count();
            seen.insert(d.delay.count());
            sum += static_cast<double>(d.delay.count());
        }
        const double base = 500.0 * (1 << retries);
        EXPECT_GT(seen.size(), 50u); // jittered, not constant
        EXPECT_NEAR(sum / n, base * 0.875, base * 0.03);
    }
    // Seeded: the same sequence every time.
    std::mt19937 a(99), b(99);
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(decideRetry(529, head(), "", i % 2, a, kNow).delay,
                  decideRetry(529, head(), "", i % 2, b, kNow).delay);
}

TEST(DescribeHttpError, AuthenticationNamesTheKeyVariableAndTheRequestId) {
    const auto m =
        describeHttpError(401, anthropicError("authentication_error", "invalid x-api-key"), "anthropic");
    EXPECT_NE(m.find("API key was rejected"), std::string::npos) << m;
    EXPECT_NE(m.find("authentication_error"), std::string::npos) << m;
    EXPECT_NE(m.find("ANTHROPIC_API_KEY"), std::string::npos) << m;
    EXPECT_NE(m.find("invalid x-api-key"), std::string::npos) << m;
    EXPECT_NE(m.find("req_011CTest"), std::string::npos) << m;
    EXPECT_NE(m.find("401"), std::string::npos) << m;

    const auto o = describeHttpError(
        401,
        R"({"error":{"message":"Incorrect API key provided: sk-proj-AbCdEf0123456789xyz. You can find your key.",)"
        R"("type":"invalid_request_error","code":"invalid_api_key"}})",
        "openai");
    EXPECT_NE(o.find("OPENAI_API_KEY"), std::string::npos) << o;
    EXPECT_EQ(o.find("AbCdEf0123456789"), std::string::npos) << o; // the echoed key is scrubbed
    EXPECT_NE(o.find("Incorrect API key provided"), std::string::npos) << o;
}

TEST(DescribeHttpError, EachStatusSaysWhatToDo) {
    struct Row {
        int status;
        std::string body;
        std::vector<std::string> want;
    };
    const std::vector<Row> rows = {
        {402, anthropicError("billing_error", "Payment required"), {"billing", "Payment required"}},
        {403, anthropicError("permission_error", "no access"), {"permission", "no access"}},
        {404,
         anthropicError("not_found_error", "model: claude-nope"),
         {"unknown model or endpoint", "claude-nope"}},
        {409, anthropicError("conflict_error", "conflict"), {"try again"}},
        {413,
         anthropicError("request_too_large", "Request exceeds the maximum allowed number of bytes."),
         {"too large", "32 MB", "maximum allowed"}},
        {429,
         anthropicError("rate_limit_error",
                        "Number of request tokens has exceeded your per-minute rate limit"),
         {"rate limited", "per-minute"}},
        {429, kSpendCap, {"spend limit", "won't help", "req_cap"}},
        {500, anthropicError("api_error", "Internal server error"), {"internal error", "try again later"}},
        {504, anthropicError("timeout_error", "Request timeout"), {"timed out"}},
        {529, anthropicError("overloaded_error", "Overloaded"), {"overloaded", "Overloaded"}},
        {503, "", {"unavailable"}},
        {400,
         anthropicError("invalid_request_error", "prompt is too long: 250000 tokens > 200000 maximum"),
         {"too long", "250000", "200000"}},
        {400,
         R"({"object":"error","message":"This model's maximum context length is 32768 tokens. However, you )"
         R"(requested 33000 tokens (1000 in the messages, 32000 in the completion).","type":"BadRequestError",)"
         R"("param":null,"code":400})",
         {"too long", "32768", "33000"}},
        {400,
         R"({"error":{"code":400,"message":"the request exceeds the available context size","type":)"
         R"("exceed_context_size_error","n_prompt_tokens":9000,"n_ctx":8192}})",
         {"too long", "9000", "8192"}},
        {400,
         anthropicError("invalid_request_error",
                        "Your credit balance is too low to access the Anthropic API."),
         {"credit"}},
        {400,
         anthropicError("invalid_request_error", "max_tokens: must be at most 64000"),
         {"rejected the request", "invalid_request_error", "max_tokens: must be at most 64000"}},
        {301, "", {"redirect", "base URL"}},
    };
    for (const Row& row : rows) {
        const auto m = describeHttpError(row.status, row.body, "anthropic");
        for (const auto& w : row.want)
            EXPECT_NE(m.find(w), std::string::npos) << row.status << ": wanted \"" << w << "\" in: " << m;
        EXPECT_NE(m.find(std::to_string(row.status)), std::string::npos) << m;
    }
}

TEST(DescribeHttpError, NonJsonBodiesAndOtherProviders) {
    const std::string cloudflare =
        "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n"
        "<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>cloudflare"
        "</center>\r\n</body>\r\n</html>\r\n";
    auto m = describeHttpError(413, cloudflare, "anthropic", "req_from_header");
    EXPECT_NE(m.find("too large"), std::string::npos) << m;
    EXPECT_NE(m.find("\"413 Request Entity Too Large\""), std::string::npos) << m;
    EXPECT_EQ(m.find("<"), std::string::npos) << m;
    EXPECT_NE(m.find("req_from_header"), std::string::npos) << m; // no request_id in the body: the header's

    m = describeHttpError(502, "<html><body><h1>Bad gateway</h1>\n<p>upstream   down</p></body></html>",
                          "openai");
    EXPECT_NE(m.find("Bad gateway upstream down"), std::string::npos) << m;

    m = describeHttpError(404, R"({"error":"model \"qwen3:32b\" not found, try pulling it first"})",
                          "ollama");
    EXPECT_NE(m.find("unknown model"), std::string::npos) << m;
    EXPECT_NE(m.find("try pulling it first"), std::string::npos) << m;

    m = describeHttpError(400, R"({"error":"think value \"low\" is not supported for this model"})",
                          "ollama");
    EXPECT_NE(m.find("not supported"), std::string::npos) << m;

    m = describeHttpError(500, "plain text\x01 failure\n", "openai");
    EXPECT_NE(m.find("plain text failure"), std::string::npos) << m;

    m = describeHttpError(422, R"({"detail":[{"loc":["body","model"],"msg":"field required"}]})", "openai");
    EXPECT_NE(m.find("field required"), std::string::npos) << m;

    // Bodies are cut, not copied whole.
    m = describeHttpError(500, std::string(100000, 'x'), "openai");
    EXPECT_LT(m.size(), 700u);

    // The body's request_id wins over the header's.
    m = describeHttpError(500, anthropicError("api_error", "boom"), "anthropic", "req_header");
    EXPECT_NE(m.find("req_011CTest"), std::string::npos) << m;
    EXPECT_EQ(m.find("req_header"), std::string::npos) << m;
}

TEST(ScrubSecrets, KeyLikeTokensGoOthersStay) {
    using kf::teacher::scrubSecrets;
    EXPECT_EQ(scrubSecrets("key sk-ant-api03-abcdefgh1234 rejected"), "key [redacted] rejected");
    EXPECT_EQ(scrubSecrets("Authorization: Bearer abcdefgh12345678."), "Authorization: Bearer [redacted].");
    EXPECT_EQ(scrubSecrets("request req_011CSHoEeqs5C35K2UUqR7FyLongerThanFortyChars1234"),
              "request req_011CSHoEeqs5C35K2UUqR7FyLongerThanFortyChars1234");
    EXPECT_EQ(scrubSecrets("model: claude-sonnet-4-5-20250929 not found"),
              "model: claude-sonnet-4-5-20250929 not found");
    EXPECT_EQ(scrubSecrets(std::string(48, 'Z')), "[redacted]");
}
