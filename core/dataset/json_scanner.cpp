// SPDX-License-Identifier: MIT
#include "json_scanner.h"

#include "conversation_parts.h"
#include "json_writer.h"

namespace kf::dataset::detail {

namespace {

// The length of the escape at p when it is one the writer produces (\" \\ \b \f \n \r \t, \u00xx in lower
// case for the other control characters); 0 for any other escape, valid or not.
std::size_t writerEscape(const char* p, const char* end) {
    if (end - p < 2) {
        return 0;
    }
    switch (p[1]) {
    case '"':
    case '\\':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
        return 2;
    case 'u': {
        if (end - p < 6 || p[2] != '0' || p[3] != '0' || (p[4] != '0' && p[4] != '1')) {
            return 0;
        }
        int v = 0;
        if (p[5] >= '0' && p[5] <= '9') {
            v = p[5] - '0';
        } else if (p[5] >= 'a' && p[5] <= 'f') {
            v = p[5] - 'a' + 10;
        } else {
            return 0;
        }
        v += (p[4] - '0') * 16;
        return v == 0x08 || v == 0x09 || v == 0x0A || v == 0x0C || v == 0x0D ? 0 : 6;
    }
    default:
        return 0;
    }
}

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}

} // namespace

bool JsonScanner::string(std::string_view& body, std::size_t& bytes) {
    if (!consume('"')) {
        return false;
    }
    const char* const start = m_p;
    std::size_t saved = 0; // bytes that unescaping removes
    for (;;) {
        m_p += plainRunLength(m_p, m_end);
        if (m_p == m_end) {
            return false;
        }
        const auto c = static_cast<unsigned char>(*m_p);
        if (c == '"') {
            body = std::string_view(start, static_cast<std::size_t>(m_p - start));
            bytes = body.size() - saved;
            ++m_p;
            return true;
        }
        std::size_t n = 0;
        if (c == '\\') {
            n = writerEscape(m_p, m_end);
            saved += n == 0 ? 0 : n - 1;
        } else if (c >= 0x80) {
            n = utf8Length(m_p, m_end);
        }
        if (n == 0) {
            return false; // a control character, invalid UTF-8, or an escape of another form
        }
        m_p += n;
    }
}

bool JsonScanner::key(std::string_view& k) {
    std::size_t n = 0;
    return string(k, n) && k.find('\\') == std::string_view::npos && consume(':');
}

bool JsonScanner::stringOrEmpty(std::string& out, int depth) {
    out.clear();
    if (!next('"')) {
        return skipValue(depth);
    }
    std::string_view body;
    std::size_t n = 0;
    if (!string(body, n)) {
        return false;
    }
    out = unescape(body);
    return true;
}

bool JsonScanner::skipValue(int depth) {
    ws();
    if (depth > kMaxDepth || m_p == m_end) {
        return false;
    }
    switch (*m_p) {
    case '"': {
        std::string_view body;
        std::size_t n = 0;
        return string(body, n);
    }
    case '{': {
        ++m_p;
        if (consume('}')) {
            return true;
        }
        do {
            std::string_view k;
            if (!key(k) || !skipValue(depth + 1)) {
                return false;
            }
        } while (consume(','));
        return consume('}');
    }
    case '[': {
        ++m_p;
        if (consume(']')) {
            return true;
        }
        do {
            if (!skipValue(depth + 1)) {
                return false;
            }
        } while (consume(','));
        return consume(']');
    }
    case 't':
        return word("true");
    case 'f':
        return word("false");
    case 'n':
        return word("null");
    default:
        return number();
    }
}

bool JsonScanner::word(std::string_view w) {
    if (static_cast<std::size_t>(m_end - m_p) < w.size() || std::string_view(m_p, w.size()) != w) {
        return false;
    }
    m_p += w.size();
    return true;
}

bool JsonScanner::number() {
    if (m_p < m_end && *m_p == '-') {
        ++m_p;
    }
    if (m_p == m_end) {
        return false;
    }
    long magnitude = 0; // digits before the point, plus the exponent
    if (*m_p == '0') {
        ++m_p;
    } else if (*m_p >= '1' && *m_p <= '9') {
        while (m_p < m_end && isDigit(*m_p)) {
            ++m_p;
            ++magnitude;
        }
    } else {
        return false;
    }
    if (m_p < m_end && *m_p == '.') {
        ++m_p;
        if (m_p == m_end || !isDigit(*m_p)) {
            return false;
        }
        while (m_p < m_end && isDigit(*m_p)) {
            ++m_p;
        }
    }
    if (m_p < m_end && (*m_p == 'e' || *m_p == 'E')) {
        ++m_p;
        bool negative = false;
        if (m_p < m_end && (*m_p == '+' || *m_p == '-')) {
            negative = *m_p == '-';
            ++m_p;
        }
        if (m_p == m_end || !isDigit(*m_p)) {
            return false;
        }
        long e = 0;
        for (int n = 0; m_p < m_end && isDigit(*m_p); ++n, ++m_p) {
            if (n == 4) {
                return false;
            }
            e = e * 10 + (*m_p - '0');
        }
        magnitude += negative ? -e : e;
    }
    return magnitude <= 300;
}

} // namespace kf::dataset::detail
