// SPDX-License-Identifier: MIT
#include "source_map.h"

namespace kf::spec {

SourcePos SourceMap::find(const std::string& path) const {
    std::string p = path;
    while (!p.empty()) {
        if (const auto it = m_entries.find(p); it != m_entries.end()) {
            return it->second.pos;
        }
        const auto cut = p.find_last_of(".[");
        if (cut == std::string::npos) {
            break;
        }
        p.resize(cut);
    }
    return {1, 1};
}

SourcePos SourceMap::findOffset(const std::string& path, std::size_t offset) const {
    const auto it = m_entries.find(path);
    if (it == m_entries.end()) {
        return find(path);
    }
    SourcePos pos = it->second.pos;
    if (it->second.single_line) {
        pos.col += static_cast<int>(offset);
    }
    return pos;
}

} // namespace kf::spec
