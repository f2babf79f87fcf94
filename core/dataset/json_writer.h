// SPDX-License-Identifier: MIT
#pragma once

// Writing the export's JSON text straight into a buffer, byte for byte as
// nlohmann::json::dump(-1, ' ', false, error_handler_t::replace) writes the same values: compact, UTF-8 kept
// as is, control characters escaped (\b \f \n \r \t, else \u00xx), invalid UTF-8 replaced by U+FFFD the way
// nlohmann replaces it, doubles in nlohmann's shortest round-trip form. The rows of an export are about 130
// KB each; building an nlohmann DOM per row and dumping it cost more than the rest of the export together.
// Internal to kf_dataset.

#include <cstdint>
#include <string>
#include <string_view>

namespace kf::dataset::detail {

// Appends the escaped body of `s` (without the quotes).
void appendEscaped(std::string& out, std::string_view s);

// The escaped body of `s`.
std::string escaped(std::string_view s);

// The length of the run at p..end that a JSON string holds as is: no control character, quote, backslash or
// non-ASCII byte (vectorized: most of a conversation's text is such runs).
std::size_t plainRunLength(const char* p, const char* end);

// The length of the well-formed UTF-8 sequence at p (whose first byte is >= 0x80); 0 when it is ill-formed.
std::size_t utf8Length(const char* p, const char* end);

// Appends a double as nlohmann dumps it ("-1.0", "1e-05", "20971520.0"; "null" when not finite).
void appendDouble(std::string& out, double v);

// A JSON writer for one value at a time, in document order. Commas are placed by the writer; keys are
// escaped like values. Nothing checks that containers are closed: the callers are the row writers, whose
// shape is fixed.
class JsonWriter {
public:
    explicit JsonWriter(std::string& out)
        : m_out(out) {}

    JsonWriter& beginObject() {
        separate();
        m_out += '{';
        m_comma = false;
        return *this;
    }
    JsonWriter& endObject() {
        m_out += '}';
        m_comma = true;
        return *this;
    }
    JsonWriter& beginArray() {
        separate();
        m_out += '[';
        m_comma = false;
        return *this;
    }
    JsonWriter& endArray() {
        m_out += ']';
        m_comma = true;
        return *this;
    }
    JsonWriter& key(std::string_view k) {
        separate();
        m_out += '"';
        appendEscaped(m_out, k);
        m_out += "\":";
        m_comma = false;
        return *this;
    }
    JsonWriter& str(std::string_view s) {
        separate();
        m_out += '"';
        appendEscaped(m_out, s);
        m_out += '"';
        m_comma = true;
        return *this;
    }
    // A string whose escaped body is already known (appendEscaped's output, or text known to be in that
    // form).
    JsonWriter& escapedStr(std::string_view body) {
        separate();
        m_out += '"';
        m_out += body;
        m_out += '"';
        m_comma = true;
        return *this;
    }
    JsonWriter& integer(int64_t v);
    JsonWriter& real(double v) {
        separate();
        appendDouble(m_out, v);
        m_comma = true;
        return *this;
    }
    JsonWriter& boolean(bool v) {
        separate();
        m_out += v ? "true" : "false";
        m_comma = true;
        return *this;
    }
    // A value already serialized in the same form.
    JsonWriter& raw(std::string_view json) {
        separate();
        m_out += json;
        m_comma = true;
        return *this;
    }

    // Members of an object: key, then value.
    JsonWriter& member(std::string_view k, std::string_view s) { return key(k).str(s); }
    JsonWriter& member(std::string_view k, const char* s) { return key(k).str(s); }
    JsonWriter& memberEscaped(std::string_view k, std::string_view body) { return key(k).escapedStr(body); }
    JsonWriter& memberInt(std::string_view k, int64_t v) { return key(k).integer(v); }
    JsonWriter& memberReal(std::string_view k, double v) { return key(k).real(v); }
    JsonWriter& memberBool(std::string_view k, bool v) { return key(k).boolean(v); }
    JsonWriter& memberRaw(std::string_view k, std::string_view json) { return key(k).raw(json); }

private:
    void separate() {
        if (m_comma) {
            m_out += ',';
        }
    }

    std::string& m_out;
    bool m_comma = false;
};

} // namespace kf::dataset::detail
