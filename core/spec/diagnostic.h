// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace kf::spec {

// 1-based; 0 means "unknown" (the file as a whole).
struct SourcePos {
    int line = 0;
    int col = 0;
    bool operator==(const SourcePos&) const = default;
};

enum class Severity { Error, Warning };

struct Diagnostic {
    std::string file;
    SourcePos pos;
    Severity severity = Severity::Error;
    std::string message;
    bool operator==(const Diagnostic&) const = default;
};

// "file:line:col: error: message", the form compilers and editors understand.
std::string formatDiagnostic(const Diagnostic& d);

// Collects every problem of one file; nothing stops at the first.
class Diagnostics {
public:
    explicit Diagnostics(std::string file) : m_file(std::move(file)) {}

    void error(SourcePos pos, std::string message);
    void warning(SourcePos pos, std::string message);

    const std::string& file() const { return m_file; }
    const std::vector<Diagnostic>& all() const { return m_items; }
    bool hasErrors() const;
    int errorCount() const;

private:
    std::string m_file;
    std::vector<Diagnostic> m_items;
};

} // namespace kf::spec
