// SPDX-License-Identifier: MIT
#include "json_scan.h"

#include <cstring>

namespace kf::teacher::detail {
namespace {

void appendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

bool hex4(const char* p, uint32_t& v) {
    v = 0;
    for (int i = 0; i < 4; ++i) {
        const char c = p[i];
        v <<= 4;
        if (c >= '0' && c <= '9') {
            v |= static_cast<uint32_t>(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            v |= static_cast<uint32_t>(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            v |= static_cast<uint32_t>(c - 'A' + 10);
        } else {
            return false;
        }
    }
    return true;
}

// Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no surrogates, <= U+10FFFF), or 0.
std::size_t utf8Length(const unsigned char* p, const unsigned char* end) {
    const unsigned char c = p[0];
    const auto cont = [&](std::size_t i) { return p + i < end && (p[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) {
        return cont(1) ? 2 : 0;
    }
    if (c >= 0xE0 && c <= 0xEF) {
        if (!cont(1) || !cont(2)) {
            return 0;
        }
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)) {
            return 0;
        }
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (!cont(1) || !cont(2) || !cont(3)) {
            return 0;
        }
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)) {
            return 0;
        }
        return 4;
    }
    return 0;
}

// True when none of the 8 bytes of `x` is '"', '\\', a control character or non-ASCII: the whole word can be
// copied as is. Each test flags a byte by its high bit; a flag can spill only above a byte that is flagged
// itself, so "any flag" is exact.
bool plainWord(uint64_t x) {
    constexpr uint64_t ones = 0x0101010101010101ULL;
    constexpr uint64_t highs = 0x8080808080808080ULL;
    const uint64_t quote = x ^ (ones * '"');
    const uint64_t backslash = x ^ (ones * '\\');
    const uint64_t special =
        ((quote - ones) & ~quote) | ((backslash - ones) & ~backslash) | ((x - ones * 0x20) & ~x) | x;
    return (special & highs) == 0;
}

} // namespace

void JsonScan::ws() {
    while (m_p < m_end && (*m_p == ' ' || *m_p == '\t' || *m_p == '\n' || *m_p == '\r')) {
        ++m_p;
    }
}

bool JsonScan::atEnd() {
    ws();
    return m_p == m_end;
}

bool JsonScan::consume(char c) {
    ws();
    if (m_p < m_end && *m_p == c) {
        ++m_p;
        return true;
    }
    return false;
}

// After the opening quote: up to and including the closing quote.
bool JsonScan::stringBody(std::string* out, bool allow_escapes) {
    const auto* p = reinterpret_cast<const unsigned char*>(m_p);
    const auto* const end = reinterpret_cast<const unsigned char*>(m_end);
    const unsigned char* run = p;
    const auto flush = [&](const unsigned char* to) {
        if (out != nullptr && to > run) {
            out->append(reinterpret_cast<const char*>(run), static_cast<std::size_t>(to - run));
        }
    };
    while (p < end) {
        while (end - p >= 8) {
            uint64_t word = 0;
            std::memcpy(&word, p, 8);
            if (!plainWord(word)) {
                break;
            }
            p += 8;
        }
        if (p >= end) {
            break;
        }
        const unsigned char c = *p;
        if (c == '"') {
            flush(p);
            m_p = reinterpret_cast<const char*>(p + 1);
            return true;
        }
        if (c < 0x20) {
            return false;
        }
        if (c < 0x80 && c != '\\') {
            ++p;
            continue;
        }
        if (c >= 0x80) {
            const std::size_t n = utf8Length(p, end);
            if (n == 0) {
                return false;
            }
            p += n;
            continue;
        }
        // An escape.
        if (!allow_escapes || p + 1 >= end) {
            return false;
        }
        flush(p);
        const unsigned char e = p[1];
        static const char kSimple[] = "\"\\/bfnrt";
        static const char kValue[] = "\"\\/\b\f\n\r\t";
        if (const char* at = std::strchr(kSimple, e); at != nullptr && e != 0) {
            if (out != nullptr) {
                *out += kValue[at - kSimple];
            }
            p += 2;
        } else if (e == 'u') {
            uint32_t cp = 0;
            if (end - p < 6 || !hex4(reinterpret_cast<const char*>(p + 2), cp)) {
                return false;
            }
            p += 6;
            if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return false; // a lone low surrogate
            }
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                uint32_t low = 0;
                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                    !hex4(reinterpret_cast<const char*>(p + 2), low) || low < 0xDC00 || low > 0xDFFF) {
                    return false;
                }
                p += 6;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            if (out != nullptr) {
                appendUtf8(*out, cp);
            }
        } else {
            return false;
        }
        run = p;
    }
    return false; // unterminated
}

bool JsonScan::key(std::string_view& out) {
    if (!consume('"')) {
        return false;
    }
    const char* start = m_p;
    if (!stringBody(nullptr, false)) {
        return false;
    }
    out = std::string_view(start, static_cast<std::size_t>(m_p - 1 - start));
    return consume(':');
}

bool JsonScan::string(std::string& out) {
    out.clear();
    return consume('"') && stringBody(&out, true);
}

bool JsonScan::plainString(std::string_view& out) {
    if (!consume('"')) {
        return false;
    }
    const char* start = m_p;
    if (!stringBody(nullptr, false)) {
        return false;
    }
    out = std::string_view(start, static_cast<std::size_t>(m_p - 1 - start));
    return true;
}

bool JsonScan::integer(int64_t& out) {
    ws();
    const char* p = m_p;
    bool negative = false;
    if (p < m_end && *p == '-') {
        negative = true;
        ++p;
    }
    if (p >= m_end || *p < '0' || *p > '9' || (*p == '0' && p + 1 < m_end && p[1] >= '0' && p[1] <= '9')) {
        return false;
    }
    int64_t v = 0;
    int digits = 0;
    while (p < m_end && *p >= '0' && *p <= '9') {
        v = v * 10 + (*p - '0');
        ++p;
        if (++digits > 15) {
            return false; // leave large numbers to the full parser
        }
    }
    if (p < m_end && (*p == '.' || *p == 'e' || *p == 'E')) {
        return false;
    }
    m_p = p;
    out = negative ? -v : v;
    return true;
}

bool JsonScan::skipValue(int depth) {
    if (depth > 16) {
        return false;
    }
    ws();
    if (m_p >= m_end) {
        return false;
    }
    switch (*m_p) {
    case '"':
        ++m_p;
        return stringBody(nullptr, true);
    case '{': {
        ++m_p;
        if (consume('}')) {
            return true;
        }
        for (bool done = false; !done;) {
            std::string_view k;
            if (!key(k) || !skipValue(depth + 1) || !nextMember(done)) {
                return false;
            }
        }
        return true;
    }
    case '[': {
        ++m_p;
        if (consume(']')) {
            return true;
        }
        while (true) {
            if (!skipValue(depth + 1)) {
                return false;
            }
            if (consume(']')) {
                return true;
            }
            if (!consume(',')) {
                return false;
            }
        }
    }
    case 't':
    case 'f':
    case 'n':
        for (const char* lit : {"true", "false", "null"}) {
            const auto n = std::strlen(lit);
            if (static_cast<std::size_t>(m_end - m_p) >= n && std::memcmp(m_p, lit, n) == 0) {
                m_p += n;
                return true;
            }
        }
        return false;
    default: {
        int64_t ignored = 0;
        return integer(ignored); // fractions and exponents go to the full parser
    }
    }
}

bool JsonScan::nextMember(bool& done) {
    if (consume(',')) {
        done = false;
        return true;
    }
    if (consume('}')) {
        done = true;
        return true;
    }
    return false;
}

} // namespace kf::teacher::detail
