// SPDX-License-Identifier: MIT
#include "ndjson_parser.h"

namespace kf::teacher {

void NdjsonParser::feed(std::string_view bytes, std::vector<std::string>& lines) {
    std::size_t start = 0;
    for (auto nl = bytes.find('\n'); nl != std::string_view::npos; nl = bytes.find('\n', start)) {
        m_line.append(bytes.substr(start, nl - start));
        if (!m_line.empty() && m_line.back() == '\r') {
            m_line.pop_back();
        }
        if (m_line.find_first_not_of(" \t") != std::string::npos) {
            lines.push_back(std::move(m_line));
        }
        m_line.clear();
        start = nl + 1;
    }
    m_line.append(bytes.substr(start));
}

} // namespace kf::teacher
