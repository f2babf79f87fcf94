// SPDX-License-Identifier: MIT
#include "text/line_diff.h"

#include <gtest/gtest.h>
#include <random>

namespace kf::text {
namespace {

// Rebuilds both versions from a diff: every line of each must come back, in order.
void expectReconstructs(const std::vector<std::string>& a, const std::vector<std::string>& b,
                        const std::vector<DiffLine>& diff) {
    std::vector<std::string> old_back;
    std::vector<std::string> new_back;
    for (const auto& line : diff) {
        if (line.op != DiffOp::Inserted) {
            EXPECT_EQ(line.old_line, static_cast<int>(old_back.size()) + 1);
            old_back.push_back(line.text);
        }
        if (line.op != DiffOp::Deleted) {
            EXPECT_EQ(line.new_line, static_cast<int>(new_back.size()) + 1);
            new_back.push_back(line.text);
        }
    }
    EXPECT_EQ(old_back, a);
    EXPECT_EQ(new_back, b);
}

// Length of a longest common subsequence, by dynamic programming: a shortest edit script keeps exactly that
// many.
int lcsLength(const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::vector<int>> t(a.size() + 1, std::vector<int>(b.size() + 1, 0));
    for (std::size_t i = 1; i <= a.size(); ++i) {
        for (std::size_t j = 1; j <= b.size(); ++j) {
            t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
        }
    }
    return t[a.size()][b.size()];
}

TEST(SplitLines, HandlesTrailingNewlineCrLfAndEmpty) {
    EXPECT_TRUE(splitLines("").empty());
    EXPECT_EQ(splitLines("a\nb\n"), (std::vector<std::string>{"a", "b"}));
    EXPECT_EQ(splitLines("a\r\n\nb"), (std::vector<std::string>{"a", "", "b"}));
}

TEST(LineDiff, TwoVersionsOfAKernel) {
    const std::string before = "__global__ void k(float* y) {\n"
                               "    int i = threadIdx.x;\n"
                               "    y[i] = 1.0f;\n"
                               "}\n";
    const std::string after = "__global__ void k(float* y, int n) {\n"
                              "    int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                              "    if (i < n) y[i] = 1.0f;\n"
                              "}\n";
    const auto diff = diffText(before, after);
    const std::vector<DiffLine> want = {
        {DiffOp::Deleted, 1, 0, "__global__ void k(float* y) {"},
        {DiffOp::Deleted, 2, 0, "    int i = threadIdx.x;"},
        {DiffOp::Deleted, 3, 0, "    y[i] = 1.0f;"},
        {DiffOp::Inserted, 0, 1, "__global__ void k(float* y, int n) {"},
        {DiffOp::Inserted, 0, 2, "    int i = blockIdx.x * blockDim.x + threadIdx.x;"},
        {DiffOp::Inserted, 0, 3, "    if (i < n) y[i] = 1.0f;"},
        {DiffOp::Equal, 4, 4, "}"},
    };
    EXPECT_EQ(diff, want);
    const auto stats = diffStats(diff);
    EXPECT_EQ(stats.inserted, 3);
    EXPECT_EQ(stats.deleted, 3);
    EXPECT_EQ(stats.equal, 1);
}

TEST(LineDiff, InsertionInTheMiddleKeepsTheRest) {
    const std::vector<std::string> a = {"a", "b", "c", "d"};
    const std::vector<std::string> b = {"a", "b", "x", "c", "d"};
    const auto diff = diffLines(a, b);
    ASSERT_EQ(diff.size(), 5u);
    EXPECT_EQ(diff[2], (DiffLine{DiffOp::Inserted, 0, 3, "x"}));
    EXPECT_EQ(diff[3], (DiffLine{DiffOp::Equal, 3, 4, "c"}));
}

TEST(LineDiff, EmptySides) {
    const std::vector<std::string> some = {"a", "b"};
    EXPECT_TRUE(diffLines({}, {}).empty());
    EXPECT_EQ(diffStats(diffLines({}, some)).inserted, 2);
    EXPECT_EQ(diffStats(diffLines(some, {})).deleted, 2);
    EXPECT_EQ(diffStats(diffLines(some, some)).equal, 2);
}

TEST(LineDiff, RandomEditsAreShortestAndReconstruct) {
    std::mt19937 rng(1234);
    for (int round = 0; round < 300; ++round) {
        std::uniform_int_distribution<int> len(0, 30);
        std::uniform_int_distribution<int> letter(0, 3); // few distinct lines: many matches, many ties
        std::vector<std::string> a(static_cast<std::size_t>(len(rng)));
        std::vector<std::string> b(static_cast<std::size_t>(len(rng)));
        for (auto& s : a)
            s = std::string(1, static_cast<char>('a' + letter(rng)));
        for (auto& s : b)
            s = std::string(1, static_cast<char>('a' + letter(rng)));
        const auto diff = diffLines(a, b);
        expectReconstructs(a, b, diff);
        EXPECT_EQ(diffStats(diff).equal, lcsLength(a, b)) << "round " << round;
    }
}

TEST(LineDiff, AWholesaleRewriteIsDeletedThenInserted) {
    // 3000 lines against 3000 others: past the edit cap, the middle reads as replaced, quickly and in bounded
    // memory.
    std::vector<std::string> a;
    std::vector<std::string> b;
    for (int i = 0; i < 3000; ++i) {
        a.push_back("old " + std::to_string(i));
        b.push_back("new " + std::to_string(i));
    }
    a.insert(a.begin(), "same");
    b.insert(b.begin(), "same");
    const auto diff = diffLines(a, b);
    expectReconstructs(a, b, diff);
    EXPECT_EQ(diff[0].op, DiffOp::Equal);
    EXPECT_EQ(diff[1].op, DiffOp::Deleted);
    EXPECT_EQ(diff[3001].op, DiffOp::Inserted);
}

} // namespace
} // namespace kf::text
