// SPDX-License-Identifier: MIT
#pragma once

// A reader of RFC 8259 JSON that builds nothing, for the export's conversation scan
// (conversation_parts.h). It reads strings only in the form json_writer.h writes them (and nlohmann's dump
// writes them), keeping their escaped bodies as they are. Every method returns false when the text is not
// what it expects, valid JSON or not; the caller then gives the text to nlohmann. Internal to kf_dataset.

#include <cstddef>
#include <string>
#include <string_view>

namespace kf::dataset::detail {

class JsonScanner {
public:
    // Deeper than any conversation goes; beyond it the caller's fallback decides.
    static constexpr int kMaxDepth = 64;

    explicit JsonScanner(std::string_view s)
        : m_p(s.data())
        , m_end(s.data() + s.size()) {}

    void ws() {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t')) {
            ++m_p;
        }
    }
    bool atEnd() {
        ws();
        return m_p == m_end;
    }
    // After whitespace, the next character is `c`.
    bool next(char c) {
        ws();
        return m_p < m_end && *m_p == c;
    }
    bool consume(char c) {
        if (!next(c)) {
            return false;
        }
        ++m_p;
        return true;
    }

    // A string: its escaped body and its size unescaped.
    bool string(std::string_view& body, std::size_t& bytes);
    // A member's key and its ':'. Escaped keys are left to the fallback.
    bool key(std::string_view& k);
    // A string value, unescaped; "" (and the value skipped) when it is not a string, as a lookup of a string
    // member reads it.
    bool stringOrEmpty(std::string& out, int depth);
    // Any value, checked.
    bool skipValue(int depth);

private:
    bool word(std::string_view w);
    // A number that is certainly finite as a double (nlohmann refuses one that overflows): below 10^300.
    bool number();

    const char* m_p;
    const char* m_end;
};

} // namespace kf::dataset::detail
