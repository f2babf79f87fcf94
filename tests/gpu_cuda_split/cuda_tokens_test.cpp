// SPDX-License-Identifier: MIT
#include "gpu/cuda_split/cuda_tokens.h"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace kf::gpu::cuda_split {
namespace {

struct Tok {
    TokenKind kind;
    std::string text;
    bool operator==(const Tok&) const = default;
};

std::vector<Tok> lex(std::string_view src) {
    std::vector<Tok> out;
    for (const Token& t : tokenizeCuda(src))
        out.push_back({t.kind, std::string(t.text(src))});
    return out;
}

constexpr auto I = TokenKind::Identifier;
constexpr auto P = TokenKind::Punct;
constexpr auto S = TokenKind::String;
constexpr auto C = TokenKind::Char;
constexpr auto D = TokenKind::Directive;
constexpr auto K = TokenKind::Comment;
constexpr auto N = TokenKind::Number;

TEST(CudaTokens, CommentsHideBraces) {
    EXPECT_EQ(lex("a // { <<<\n/* } */ b"),
              (std::vector<Tok>{{I, "a"}, {K, "// { <<<"}, {K, "/* } */"}, {I, "b"}}));
}

TEST(CudaTokens, StringsHideLaunchBrackets) {
    EXPECT_EQ(lex(R"(f("<<<\"}", 'x'))"),
              (std::vector<Tok>{{I, "f"}, {P, "("}, {S, R"("<<<\"}")"}, {P, ","}, {C, "'x'"}, {P, ")"}}));
}

TEST(CudaTokens, RawStringsAndPrefixes) {
    const std::string src = "R\"x(a)\" }\n)x\" u8\"s\" L'w' U\"t\" u'c' LR\"(q)\"";
    EXPECT_EQ(lex(src), (std::vector<Tok>{{S, "R\"x(a)\" }\n)x\""},
                                          {S, "u8\"s\""},
                                          {C, "L'w'"},
                                          {S, "U\"t\""},
                                          {C, "u'c'"},
                                          {S, "LR\"(q)\""}}));
}

TEST(CudaTokens, CharLiteralBraces) {
    EXPECT_EQ(
        lex("c == '}' || c == '\\''"),
        (std::vector<Tok>{{I, "c"}, {P, "=="}, {C, "'}'"}, {P, "||"}, {I, "c"}, {P, "=="}, {C, "'\\''"}}));
}

TEST(CudaTokens, DirectiveWithContinuation) {
    const std::string src = "#define HD \\\n  __host__ __device__ { \n  x\n#pragma unroll\nint y;";
    EXPECT_EQ(lex(src), (std::vector<Tok>{{D, "#define HD \\\n  __host__ __device__ { "},
                                          {I, "x"},
                                          {D, "#pragma unroll"},
                                          {I, "int"},
                                          {I, "y"},
                                          {P, ";"}}));
}

TEST(CudaTokens, HashInsideALineIsNoDirective) {
    EXPECT_EQ(lex("a # b")[1], (Tok{P, "#"}));
    EXPECT_EQ(lex("  \t# if X\n")[0], (Tok{D, "# if X"}));
}

TEST(CudaTokens, ShiftsAndLaunchBrackets) {
    EXPECT_EQ(lex("a >> b << c"), (std::vector<Tok>{{I, "a"}, {P, ">>"}, {I, "b"}, {P, "<<"}, {I, "c"}}));
    EXPECT_EQ(
        lex("k<<<g, b>>>(x)"),
        (std::vector<Tok>{
            {I, "k"}, {P, "<<<"}, {I, "g"}, {P, ","}, {I, "b"}, {P, ">>>"}, {P, "("}, {I, "x"}, {P, ")"}}));
    EXPECT_EQ(lex("a::b->c >>= d"),
              (std::vector<Tok>{{I, "a"}, {P, "::"}, {I, "b"}, {P, "->"}, {I, "c"}, {P, ">>="}, {I, "d"}}));
}

TEST(CudaTokens, Numbers) {
    EXPECT_EQ(lex("0x1fu 1.5e-3f 1'000 .5"),
              (std::vector<Tok>{{N, "0x1fu"}, {N, "1.5e-3f"}, {N, "1'000"}, {N, ".5"}}));
}

TEST(CudaTokens, UnterminatedLiteralsAreMarked) {
    const std::string src = "\"abc\nx /* never closed";
    const std::vector<Token> toks = tokenizeCuda(src);
    ASSERT_EQ(toks.size(), 3u);
    EXPECT_FALSE(toks[0].complete);
    EXPECT_TRUE(toks[1].complete);
    EXPECT_FALSE(toks[2].complete);
}

TEST(CudaTokens, OffsetsAreIntoTheSource) {
    const std::string src = "  ab  ;";
    const std::vector<Token> toks = tokenizeCuda(src);
    ASSERT_EQ(toks.size(), 2u);
    EXPECT_EQ(toks[0].begin, 2u);
    EXPECT_EQ(toks[0].end, 4u);
    EXPECT_EQ(toks[1].begin, 6u);
    const std::vector<Token> inner = tokenizeRange(src, 2, 7);
    EXPECT_EQ(inner.size(), 2u);
}

} // namespace
} // namespace kf::gpu::cuda_split
