// SPDX-License-Identifier: MIT
#include "spec/formula.h"

#include <gtest/gtest.h>

using kf::spec::Formula;

TEST(Formula, EvaluatesOverParams) {
    const Formula f("2 * m * n * k", {"m", "n", "k"});
    ASSERT_TRUE(f.ok());
    EXPECT_DOUBLE_EQ(*f.evaluate({8192, 8192, 8192}), 2.0 * 8192.0 * 8192.0 * 8192.0);
    EXPECT_DOUBLE_EQ(*f.evaluate({1, 2, 3}), 12.0);
}

TEST(Formula, PlainNumbersAndFunctions) {
    EXPECT_DOUBLE_EQ(*Formula("0", {"n"}).evaluate({5}), 0.0);
    EXPECT_DOUBLE_EQ(*Formula("max(n, 4) + min(n, 2)", {"n"}).evaluate({3}), 6.0);
    EXPECT_DOUBLE_EQ(*Formula("n^2", {"n"}).evaluate({7}), 49.0);
}

TEST(Formula, ReportsUnknownNamesWithoutFailingToParse) {
    const Formula f("4 * rowz * cols", {"rows", "cols"});
    EXPECT_FALSE(f.syntaxError().has_value());
    ASSERT_EQ(f.unknownNames().size(), 1u);
    EXPECT_EQ(f.unknownNames()[0], "rowz");
    EXPECT_FALSE(f.ok());
    EXPECT_FALSE(f.evaluate({1, 2}).has_value());
    EXPECT_EQ(kf::spec::findIdentifier(f.text(), "rowz"), 4u);
}

TEST(Formula, ReportsSyntaxErrorsWithOffset) {
    const Formula f("4 * * rows", {"rows"});
    ASSERT_TRUE(f.syntaxError().has_value());
    EXPECT_EQ(f.syntaxError()->offset, 4u);
    EXPECT_FALSE(f.syntaxError()->message.empty());
    EXPECT_TRUE(Formula("  ", {"n"}).syntaxError().has_value());
    EXPECT_TRUE(Formula("(n + 1", {"n"}).syntaxError().has_value());
}

TEST(Formula, NonFiniteResultsAreRefused) {
    std::string why;
    EXPECT_FALSE(Formula("1 / (n - n)", {"n"}).evaluate({3}, &why).has_value());
    EXPECT_EQ(why, "it evaluates to infinity");
}

TEST(Formula, FindIdentifierMatchesWholeWordsOnly) {
    EXPECT_EQ(kf::spec::findIdentifier("rows2 * rows", "rows"), 8u);
}
