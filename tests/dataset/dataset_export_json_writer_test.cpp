// SPDX-License-Identifier: MIT
// The export's JSON writer against nlohmann's dump, which the export used to build its rows with: the bytes
// must be the same for every string (control characters, quotes, UTF-8 of every length, invalid UTF-8 of
// every kind, replaced by U+FFFD as nlohmann's replace handler does) and every number.
#include "dataset/json_writer.h"

#include <cmath>
#include <cstring>
#include <gtest/gtest.h>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace {

using kf::dataset::detail::appendDouble;
using kf::dataset::detail::escaped;
using kf::dataset::detail::JsonWriter;
using ojson = nlohmann::ordered_json;

std::string nlohmannString(const std::string& s) {
    return ojson(s).dump(-1, ' ', false, ojson::error_handler_t::replace);
}

std::string ours(const std::string& s) {
    return "\"" + escaped(s) + "\"";
}

std::string hex(const std::string& s) {
    static const char* const digits = "0123456789abcdef";
    std::string out;
    for (const unsigned char c : s) {
        out += digits[c >> 4];
        out += digits[c & 0xF];
        out += ' ';
    }
    return out;
}

#define EXPECT_SAME_AS_NLOHMANN(s) EXPECT_EQ(ours(s), nlohmannString(s)) << "input bytes: " << hex(s)

TEST(ExportJsonWriter, EveryOneAndTwoByteStringEscapesAsNlohmann) {
    for (int a = 0; a < 256; ++a) {
        const std::string one(1, static_cast<char>(a));
        EXPECT_SAME_AS_NLOHMANN(one);
        for (int b = 0; b < 256; ++b) {
            std::string two = one;
            two += static_cast<char>(b);
            ASSERT_EQ(ours(two), nlohmannString(two)) << "input bytes: " << hex(two);
        }
    }
}

TEST(ExportJsonWriter, ThreeAndFourByteSequencesAroundTheirLimits) {
    // Lead bytes of every class and the bytes at the edges of the continuation ranges.
    const std::vector<unsigned char> bytes = {0x00, 0x1F, 0x20, 0x22, 0x41, 0x5C, 0x7F, 0x80, 0x8F, 0x90,
                                              0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xE1, 0xEC,
                                              0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF};
    for (const auto a : bytes) {
        for (const auto b : bytes) {
            for (const auto c : bytes) {
                for (const auto d : bytes) {
                    const std::string s{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c),
                                        static_cast<char>(d)};
                    ASSERT_EQ(ours(s), nlohmannString(s)) << "input bytes: " << hex(s);
                    ASSERT_EQ(ours(s.substr(0, 3)), nlohmannString(s.substr(0, 3)))
                        << "input bytes: " << hex(s);
                }
            }
        }
    }
}

TEST(ExportJsonWriter, LongMixedStringsEscapeAsNlohmann) {
    // Long runs take the vectorized path; random bytes drawn mostly from text, some from the awkward ones.
    std::mt19937_64 rng(7);
    const std::string pieces[] = {"plain ascii text ",
                                  "line\nbreak\ttab\r",
                                  "quote \" backslash \\ slash /",
                                  std::string("nul \0 and \x01\x1f\x7f", 13),
                                  "\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xe2\x80\xa8",
                                  "\xff\xfe odd",
                                  "\xed\xa0\x80 surrogate",
                                  "\xc0\xaf overlong",
                                  "\xe2\x82 truncated",
                                  "\xf4\x90\x80\x80 too high",
                                  "0123456789abcdef0123456789abcdef"};
    for (int i = 0; i < 3000; ++i) {
        std::string s;
        const int n = static_cast<int>(rng() % 40);
        for (int k = 0; k < n; ++k) {
            s += pieces[rng() % std::size(pieces)];
            if (rng() % 4 == 0) {
                s += static_cast<char>(rng() % 256);
            }
        }
        ASSERT_EQ(ours(s), nlohmannString(s)) << "input bytes: " << hex(s);
    }
    std::string truncated_at_end = std::string(40, 'x') + "\xf0\x9f\x98";
    EXPECT_SAME_AS_NLOHMANN(truncated_at_end);
    EXPECT_EQ(ours("\xf0\x9f\x98"), "\"\xEF\xBF\xBD\"");
    EXPECT_EQ(ours("a\x01"
                   "b"),
              "\"a\\u0001b\"");
}

TEST(ExportJsonWriter, NumbersAsNlohmann) {
    const double doubles[] = {-1.0,
                              0.0,
                              -0.0,
                              1.0,
                              0.1,
                              1e-5,
                              1e-4,
                              1e-6,
                              20971520.0,
                              33554432.0,
                              1.0 / 3.0,
                              1.5,
                              123456789012345678.0,
                              1e21,
                              1e300,
                              5e-324,
                              std::numeric_limits<double>::max(),
                              std::numeric_limits<double>::infinity(),
                              -std::numeric_limits<double>::infinity(),
                              std::nan("")};
    for (const double d : doubles) {
        std::string out;
        appendDouble(out, d);
        EXPECT_EQ(out, ojson(d).dump()) << d;
    }
    std::mt19937_64 rng(11);
    for (int i = 0; i < 20000; ++i) {
        const uint64_t bits = rng();
        double d = 0;
        std::memcpy(&d, &bits, sizeof d);
        std::string out;
        appendDouble(out, d);
        ASSERT_EQ(out, ojson(d).dump()) << bits;
    }
    for (const int64_t v : {int64_t{0}, int64_t{-1}, int64_t{42}, std::numeric_limits<int64_t>::min(),
                            std::numeric_limits<int64_t>::max()}) {
        std::string out;
        JsonWriter(out).integer(v);
        EXPECT_EQ(out, ojson(v).dump());
    }
}

TEST(ExportJsonWriter, DocumentsAsNlohmann) {
    ojson expected = ojson::object();
    expected["id"] = "a\"b";
    expected["list"] = ojson::array({ojson{{"role", "user"}, {"content", "x\ny"}}, ojson{{"n", -1.0}}});
    expected["empty"] = ojson::array();
    expected["obj"] = ojson::object();
    expected["flag"] = true;
    expected["count"] = int64_t{-7};
    expected["k\x01"] = "v";

    std::string out;
    JsonWriter w(out);
    w.beginObject().member("id", "a\"b").key("list").beginArray();
    w.beginObject().member("role", "user").member("content", "x\ny").endObject();
    w.beginObject().memberReal("n", -1.0).endObject();
    w.endArray();
    w.key("empty").beginArray().endArray();
    w.key("obj").beginObject().endObject();
    w.memberBool("flag", true).memberInt("count", -7).memberEscaped("k\x01", "v");
    w.endObject();
    EXPECT_EQ(out, expected.dump(-1, ' ', false, ojson::error_handler_t::replace));
}

} // namespace
