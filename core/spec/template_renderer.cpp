// SPDX-License-Identifier: MIT
#include "template_renderer.h"

#include <algorithm>

namespace kf::spec {

std::string renderTemplate(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    out.reserve(text.size() * 2);
    std::size_t pos = 0;
    const auto line_of = [&text](std::size_t at) {
        return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
    };
    while (pos < text.size()) {
        const auto open = text.find("{{", pos);
        if (open == std::string_view::npos) {
            out.append(text.substr(pos));
            break;
        }
        out.append(text.substr(pos, open - pos));
        const auto close = text.find("}}", open + 2);
        if (close == std::string_view::npos) {
            throw TemplateError("template line " + std::to_string(line_of(open)) + ": '{{' is never closed");
        }
        std::string_view name = text.substr(open + 2, close - open - 2);
        pos = close + 2;
        if (!name.empty() && name.front() == '!') {
            // A comment alone on its line takes the line with it.
            const bool line_start = out.empty() || out.back() == '\n';
            if (line_start && pos < text.size() && text[pos] == '\n') {
                ++pos;
            }
            continue;
        }
        while (!name.empty() && name.front() == ' ') {
            name.remove_prefix(1);
        }
        while (!name.empty() && name.back() == ' ') {
            name.remove_suffix(1);
        }
        const auto it = values.find(std::string(name));
        if (it == values.end()) {
            std::string known;
            for (const auto& [k, v] : values) {
                known += (known.empty() ? "" : ", ") + k;
            }
            throw TemplateError("template line " + std::to_string(line_of(open)) + ": unknown placeholder {{" +
                                std::string(name) + "}} (known: " + known + ")");
        }
        out += it->second;
    }
    return out;
}

} // namespace kf::spec
