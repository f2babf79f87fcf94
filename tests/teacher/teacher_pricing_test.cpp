// SPDX-License-Identifier: MIT
#include "teacher/pricing.h"

#include <gtest/gtest.h>

using namespace kf::teacher;

TEST(Pricing, BuiltinTableMatchesByLongestPrefix) {
    const auto& t = PriceTable::builtin();
    EXPECT_EQ(t.asOf(), "2026-11");
    ASSERT_TRUE(t.find("claude-opus-4-7").has_value());
    EXPECT_DOUBLE_EQ(t.find("claude-opus-4-7")->input, 5.0);
    EXPECT_DOUBLE_EQ(t.find("claude-opus-4-20250514")->input, 15.0);
    EXPECT_DOUBLE_EQ(t.find("claude-sonnet-4-20250514")->output, 15.0);
    EXPECT_FALSE(t.find("qwen3:32b").has_value());
}

TEST(Pricing, CostCountsCacheWritesAndReads) {
    const Price p{"m", 3.0, 15.0, 1.25, 0.1};
    Usage u;
    u.input_tokens = 1000000;
    u.output_tokens = 100000;
    u.cache_write_tokens = 1000000;
    u.cache_read_tokens = 1000000;
    EXPECT_NEAR(*turnCost(u, p), 3.0 + 1.5 + 3.75 + 0.3, 1e-12);
    u.output_tokens = -1; // cancelled: no final usage
    EXPECT_FALSE(turnCost(u, p).has_value());
}

TEST(Pricing, BadTablesNameTheEntry) {
    try {
        (void)PriceTable::parse(
            nlohmann::json::parse(R"({"format":"kernelforge.prices/1","models":[{"match":"a"}]})"));
        FAIL();
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(), "models[0]: needs \"match\" (string), \"input\" and \"output\" (numbers)");
    }
    EXPECT_THROW((void)PriceTable::parse(nlohmann::json::object()), std::runtime_error);
}
