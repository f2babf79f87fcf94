// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

// Incremental newline-delimited JSON framing (Ollama): any split of the bytes; LF or CRLF; blank lines
// skipped. Lines are returned as text; parsing the JSON is the decoder's job.
class NdjsonParser {
public:
    void feed(std::string_view bytes, std::vector<std::string>& lines);

    // A last line without its newline. At end of stream Ollama's final object always ends with '\n', so a
    // pending line means the stream was cut.
    bool hasPendingLine() const { return m_line.find_first_not_of(" \t\r") != std::string::npos; }
    const std::string& pendingLine() const { return m_line; }

private:
    std::string m_line;
};

} // namespace kf::teacher
