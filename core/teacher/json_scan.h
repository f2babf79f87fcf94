// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace kf::teacher::detail {

// A strict, allocation-free reader for the small JSON objects of hot stream events (a thinking or text delta
// arrives every few milliseconds, ~15,000 in a 2 MB stream). It accepts a subset of what a full parser
// accepts: whenever it meets anything it is not sure about (an escape in a key, a duplicate key, deep
// nesting) it fails, and the caller parses the event with nlohmann::json instead. It never accepts text that
// the full parser rejects: strings are checked for control characters, escapes and UTF-8 exactly as RFC 8259
// requires.
class JsonScan {
public:
    explicit JsonScan(std::string_view text)
        : m_p(text.data())
        , m_end(text.data() + text.size()) {}

    bool atEnd();                            // only whitespace left
    bool consume(char c);                    // skips whitespace, then `c`
    bool key(std::string_view& out);         // "name" followed by ':' (no escapes: fails on one)
    bool string(std::string& out);           // a string value, unescaped and UTF-8-checked, into out
    bool plainString(std::string_view& out); // a string value without escapes, UTF-8-checked
    bool integer(int64_t& out);              // an integer value (no fraction or exponent)
    bool skipValue(int depth = 0);           // any value, checked
    bool nextMember(bool& done);             // after a member: ',' (done = false) or '}' (done = true)

private:
    void ws();
    bool stringBody(std::string* out, bool allow_escapes);

    const char* m_p;
    const char* m_end;
};

} // namespace kf::teacher::detail
