// SPDX-License-Identifier: MIT
// The small text tools of the compile stage: sha256, demangling, caret columns, bounded and valid logs.
#include "gpu/compile/demangle.h"
#include "gpu/compile/log_text.h"
#include "gpu/compile/sha256.h"
#include "gpu/compile/source_column.h"

#include <gtest/gtest.h>

namespace kf::gpu::compile {
namespace {

TEST(Sha256, KnownVectors) {
    EXPECT_EQ(sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    EXPECT_EQ(sha256Hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, IncrementalEqualsWhole) {
    const std::string text(1000, 'x');
    Sha256 h;
    for (std::size_t i = 0; i < text.size(); i += 7) {
        h.update(std::string_view(text).substr(i, 7));
    }
    EXPECT_EQ(h.hexDigest(), sha256Hex(text));
}

TEST(Demangle, NamesSignaturesAndShortNames) {
    EXPECT_EQ(demangle("_Z3bigPKfPfl"), "big(float const*, float*, long)");
    EXPECT_EQ(demangle("plain_c_kernel"), "plain_c_kernel");
    EXPECT_EQ(demangle("_Zgarbage"), "_Zgarbage");
    EXPECT_EQ(kernelShortName("void heavy<48>(float const*, float*, int)"), "heavy<48>");
    EXPECT_EQ(kernelShortName("(anonymous namespace)::k<(anonymous namespace)::Op>(int)"),
              "(anonymous namespace)::k<(anonymous namespace)::Op>");
    EXPECT_EQ(kernelShortName("plain_c_kernel"), "plain_c_kernel");
    EXPECT_EQ(demangleQuotedNames("in function '_Z3bigPKfPfl', 16 bytes; 'x' and '_Z"),
              "in function 'big(float const*, float*, long)', 16 bytes; 'x' and '_Z");
}

TEST(CaretColumn, WalksPastSqueezedWhitespaceAndComments) {
    // As the front end prints `\tint a;  /* c */ b = zz;` and points at zz.
    EXPECT_EQ(caretColumn("int a; b = zz;", 11, "\tint a;  /* c */ b = zz;"), 22);
    EXPECT_EQ(caretColumn("s = \"a  b\" + q;", 13, "s = \"a  b\"   + q;"),
              16);                                                       // spaces inside literals count
    EXPECT_EQ(caretColumn("x = 1'000 + q;", 12, "x = 1'000 +  q;"), 14); // a digit separator is no quote
}

TEST(CaretColumn, FindsTheTokenWhereMacrosWereExpanded) {
    EXPECT_EQ(caretColumn("y = ((foo) * 2);", 6, "y = TWICE(foo);"), 11);
    // Two candidates: the one at the caret's place among the significant characters wins.
    EXPECT_EQ(caretColumn("f(((a) * 2), a);", 13, "f(TWICE(a), a);"), 13);
}

TEST(CaretColumn, FallsBackToTheCaretOffset) {
    EXPECT_EQ(caretColumn("abc", 1, ""), 2);                     // source unknown
    EXPECT_EQ(caretColumn("M(zz)", 2, "nothing alike here"), 3); // token not found
}

TEST(PlausibleColumn, DropsColumnsThatCannotBeInTheLine) {
    EXPECT_EQ(plausibleColumn(10, "#include \"nonexistent.h\""), 10);
    EXPECT_EQ(plausibleColumn(47, "    asm(\"x\");"), 0);
    EXPECT_EQ(plausibleColumn(1, "    asm(\"x\");"), 0);
    EXPECT_EQ(plausibleColumn(0, "abc"), 0);
}

TEST(LogText, InvalidUtf8BecomesReplacementCharacters) {
    EXPECT_EQ(validUtf8("caf\xc3\xa9"), "caf\xc3\xa9");
    EXPECT_EQ(validUtf8("caf\xe9!"), "caf\xef\xbf\xbd!");                         // Latin-1
    EXPECT_EQ(validUtf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");                 // overlong
    EXPECT_EQ(validUtf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"); // surrogate
    EXPECT_EQ(validUtf8("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");
}

TEST(LogText, BoundedLogKeepsHeadAndTail) {
    std::string log;
    for (int i = 0; i < 10000; ++i) {
        log += "line " + std::to_string(i) + "\n";
    }
    const auto bounded = boundedLog(log, 4096);
    EXPECT_LT(bounded.size(), 4096u + 100u);
    EXPECT_TRUE(bounded.starts_with("line 0\n"));
    EXPECT_TRUE(bounded.ends_with("line 9999\n"));
    EXPECT_NE(bounded.find("bytes of compiler output left out"), std::string::npos);
    EXPECT_EQ(boundedLog("short", 4096), "short");
}

} // namespace
} // namespace kf::gpu::compile
