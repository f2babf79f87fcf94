// SPDX-License-Identifier: MIT
#include "json_writer.h"

#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kf::dataset::detail {

namespace {

// Bytes that end a run copied as is: control characters, '"', '\\' and every non-ASCII byte.
constexpr bool isPlain(unsigned char c) {
    return c >= 0x20 && c != '"' && c != '\\' && c < 0x80;
}

// The first byte at or after p that is not plain.
const unsigned char* plainRun(const unsigned char* p, const unsigned char* end) {
#if defined(__SSE2__)
    const __m128i quote = _mm_set1_epi8('"');
    const __m128i backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (end - p >= 16) {
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
        // Signed compare: bytes >= 0x80 are negative, so "< 0x20" catches them with the control characters.
        const __m128i special = _mm_or_si128(
            _mm_cmplt_epi8(v, space), _mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)));
        const int mask = _mm_movemask_epi8(special);
        if (mask != 0) {
            return p + __builtin_ctz(static_cast<unsigned>(mask));
        }
        p += 16;
    }
#endif
    while (p < end && isPlain(*p)) {
        ++p;
    }
    return p;
}

bool isContinuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

// The length of the well-formed UTF-8 sequence that starts at p (lead byte >= 0x80), or, when there is none,
// how many bytes nlohmann's decoder (Hoehrmann's DFA) consumes before it rejects: 1 for a byte that cannot
// start a sequence, else the lead and the continuation bytes it accepted (the rejected byte is read again as
// the start of what follows). `valid` says which.
std::size_t utf8Sequence(const unsigned char* p, const unsigned char* end, bool& valid) {
    const unsigned char c = *p;
    std::size_t need = 0;
    unsigned char lo = 0x80; // allowed range of the second byte
    unsigned char hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2;
        if (c == 0xE0) {
            lo = 0xA0; // overlong
        } else if (c == 0xED) {
            hi = 0x9F; // surrogates
        }
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3;
        if (c == 0xF0) {
            lo = 0x90; // overlong
        } else if (c == 0xF4) {
            hi = 0x8F; // above U+10FFFF
        }
    } else {
        valid = false; // 0x80-0xC1, 0xF5-0xFF
        return 1;
    }
    std::size_t n = 1;
    for (; n <= need; ++n) {
        if (p + n >= end) {
            valid = false; // the string ends inside the sequence
            return n;
        }
        const unsigned char b = p[n];
        const bool ok = n == 1 ? (b >= lo && b <= hi) : isContinuation(b);
        if (!ok) {
            valid = false;
            return n;
        }
    }
    valid = true;
    return n;
}

constexpr char kHex[] = "0123456789abcdef";

} // namespace

std::size_t plainRunLength(const char* p, const char* end) {
    const auto* b = reinterpret_cast<const unsigned char*>(p);
    return static_cast<std::size_t>(plainRun(b, reinterpret_cast<const unsigned char*>(end)) - b);
}

std::size_t utf8Length(const char* p, const char* end) {
    bool valid = false;
    const std::size_t n = utf8Sequence(reinterpret_cast<const unsigned char*>(p),
                                       reinterpret_cast<const unsigned char*>(end), valid);
    return valid ? n : 0;
}

void appendEscaped(std::string& out, std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* const end = p + s.size();
    while (p < end) {
        const auto* run = plainRun(p, end);
        out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(run - p));
        p = run;
        if (p == end) {
            break;
        }
        const unsigned char c = *p;
        if (c >= 0x80) {
            bool valid = false;
            const std::size_t n = utf8Sequence(p, end, valid);
            if (valid) {
                out.append(reinterpret_cast<const char*>(p), n);
            } else {
                out += "\xEF\xBF\xBD"; // U+FFFD for the ill-formed sequence, as nlohmann's replace handler
            }
            p += n;
            continue;
        }
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default: {
            const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
            out.append(u, sizeof u);
            break;
        }
        }
        ++p;
    }
}

std::string escaped(std::string_view s) {
    std::string out;
    out.reserve(s.size() + 8);
    appendEscaped(out, s);
    return out;
}

void appendDouble(std::string& out, double v) {
    if (!std::isfinite(v)) {
        out += "null";
        return;
    }
    char buf[64];
    char* const end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, static_cast<std::size_t>(end - buf));
}

JsonWriter& JsonWriter::integer(int64_t v) {
    separate();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    m_out.append(buf, static_cast<std::size_t>(r.ptr - buf));
    m_comma = true;
    return *this;
}

} // namespace kf::dataset::detail
