// SPDX-License-Identifier: MIT
#include "spec/suggest.h"

#include <gtest/gtest.h>

using kf::spec::closestMatch;
using kf::spec::editDistance;

TEST(Suggest, EditDistanceCountsTranspositionsAsOne) {
    EXPECT_EQ(editDistance("title", "title"), 0u);
    EXPECT_EQ(editDistance("tilte", "title"), 1u);
    EXPECT_EQ(editDistance("colz", "cols"), 1u);
    EXPECT_EQ(editDistance("", "abc"), 3u);
}

TEST(Suggest, SuggestsOnlyPlausibleTypos) {
    const std::vector<std::string> keys = {"id", "title", "description", "params", "reference"};
    EXPECT_EQ(closestMatch("titel", keys), "title");
    EXPECT_EQ(closestMatch("refrence", keys), "reference");
    EXPECT_EQ(closestMatch("param", keys), "params");
    EXPECT_EQ(closestMatch("foo", keys), std::nullopt);
    EXPECT_EQ(closestMatch("x", keys), std::nullopt);
    EXPECT_EQ(closestMatch("fp32", {"f64", "f32", "f16"}), "f32");
}
