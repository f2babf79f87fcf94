// SPDX-License-Identifier: MIT
#include "diagnostic.h"

#include <algorithm>

namespace kf::spec {

std::string formatDiagnostic(const Diagnostic& d) {
    std::string out = d.file;
    if (d.pos.line > 0) {
        out += ":" + std::to_string(d.pos.line) + ":" + std::to_string(std::max(d.pos.col, 1));
    }
    out += d.severity == Severity::Error ? ": error: " : ": warning: ";
    out += d.message;
    return out;
}

void Diagnostics::error(SourcePos pos, std::string message) {
    m_items.push_back({m_file, pos, Severity::Error, std::move(message)});
}

void Diagnostics::warning(SourcePos pos, std::string message) {
    m_items.push_back({m_file, pos, Severity::Warning, std::move(message)});
}

bool Diagnostics::hasErrors() const { return errorCount() > 0; }

int Diagnostics::errorCount() const {
    return static_cast<int>(std::count_if(m_items.begin(), m_items.end(),
                                          [](const Diagnostic& d) { return d.severity == Severity::Error; }));
}

} // namespace kf::spec
