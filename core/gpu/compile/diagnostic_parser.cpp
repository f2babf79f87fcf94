// SPDX-License-Identifier: MIT
#include "diagnostic_parser.h"

#include "demangle.h"
#include "source_column.h"

#include <algorithm>
#include <optional>
#include <regex>

namespace kf::gpu::compile {
namespace {

// EDG, the CUDA front end: `softmax.cu(12): error: ...`, `... warning #177-D: ...`, `... catastrophic error:
// ...`.
const std::regex kEdgHeader(
    R"(^(.*)\((\d+)\): (catastrophic error|internal error|error|warning|remark|note)(?: #[0-9]+(?:-D)?)?: (.*)$)");
const std::regex kCaretLine(R"(^ *\^ *$)");
// gcc: `softmax.cu:12:5: error: ...` (the column is optional).
const std::regex kGccHeader(R"(^(.+?):(\d+):(?:(\d+):)? (fatal error|error|warning|note): (.*)$)");
// gcc's "required from here" and the like: a location and an indented text, no severity, before the message.
const std::regex kGccContinuation(R"(^(.+?):(\d+):(?:\d+:)? {2,}(.*)$)");
// gcc's context before a message: `softmax.cu: In function 'int f(int)':`.
const std::regex kGccContext(R"(^(.+?): ((?:In |At ).*):$)");
const std::regex kGccIncludedFrom(R"(^(?:In file included from| +from) (.*)[:,]$)");
// ptxas, nvlink, nvcc itself: `ptxas error   : Entry function '_Z3bigPKfPfl' uses too much shared data`.
const std::regex
    kToolLine(R"(^(ptxas|nvlink|nvcc|fatbinary|cudafe\+\+|cicc)\s+(info|warning|error|fatal)\s*:\s?(.*)$)");
// The host linker: `/usr/bin/ld: x.o: in function `kf_launch':`, `x.cpp:(.text+0x11): undefined reference
// ...`.
const std::regex kLinkerLine(R"(^(?:\S*/)?ld(?:\.\w+)?: (.*)$)");
const std::regex kObjectLocation(R"(^\S+:\([^)]*\): (.*)$)");
const std::regex kCollect2(R"(^collect2: error: (.*)$)");
const std::regex kSummary(
    R"(^(?:\d+ errors? detected in the compilation of .*|compilation terminated\.|Error limit reached\.)$)");

std::vector<std::string_view> splitLines(std::string_view text) {
    std::vector<std::string_view> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        auto line = text.substr(start, end - start);
        if (line.ends_with('\r')) {
            line.remove_suffix(1);
        }
        lines.push_back(line);
        start = end + 1;
    }
    return lines;
}

std::string trim(std::string_view s) {
    const auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) {
        return {};
    }
    const auto e = s.find_last_not_of(" \t");
    return std::string(s.substr(b, e - b + 1));
}

std::string severityOf(const std::string& word) {
    if (word == "warning") {
        return "warning";
    }
    if (word == "note" || word == "remark") {
        return "note";
    }
    return "error"; // error, fatal error, catastrophic error, internal error, fatal
}

int toInt(const std::string& s) {
    try {
        return std::stoi(s);
    } catch (const std::exception&) {
        return 0; // a line number too long for an int is no line number
    }
}

class Parser {
public:
    Parser(std::string_view log, const SourceTexts& sources)
        : m_lines(splitLines(log))
        , m_sources(sources) {}

    std::vector<Diagnostic> run() {
        while (m_at < m_lines.size()) {
            const std::string line(m_lines[m_at++]);
            std::smatch m;
            if (std::regex_match(line, m, kEdgHeader)) {
                edg(m);
            } else if (std::regex_match(line, m, kToolLine)) {
                if (m[2] != "info") {
                    add({m[1], 0, 0, severityOf(m[2]), demangleQuotedNames(trim(m[3].str()))});
                }
            } else if (std::regex_match(line, m, kGccHeader)) {
                gcc(m);
            } else if (std::regex_match(line, m, kGccContext)) {
                context(m[2]);
            } else if (std::regex_match(line, m, kGccIncludedFrom)) {
                context("included from " + m[1].str());
            } else if (std::regex_match(line, m, kGccContinuation)) {
                context(m[1].str() + ":" + m[2].str() + ": " + trim(m[3].str()));
            } else if (std::regex_match(line, m, kLinkerLine)) {
                linker(m[1].str());
            } else if (std::regex_match(line, m, kObjectLocation)) {
                linker(m[1].str());
            } else if (std::regex_match(line, m, kCollect2)) {
                if (!m_linkerError) {
                    add({"ld", 0, 0, "error", m[1]});
                }
            }
            // Anything else (summaries, "Remark: The warnings can be suppressed ...", ptxas statistics) is
            // for the log only.
        }
        return std::move(m_out);
    }

private:
    // The header, then up to the next blank line or header: continuation lines, the printed source line and
    // its caret line, and more continuation lines ("detected during ...").
    void edg(const std::smatch& m) {
        Diagnostic d{m[1], toInt(m[2]), 0, severityOf(m[3]), m[4]};
        std::vector<std::string_view> body;
        while (m_at < m_lines.size() && !m_lines[m_at].empty() && !startsNewMessage(m_lines[m_at])) {
            body.push_back(m_lines[m_at++]);
        }
        std::optional<std::size_t> caret;
        for (std::size_t i = 1; i < body.size() && !caret; ++i) {
            if (std::regex_match(body[i].begin(), body[i].end(), kCaretLine)) {
                caret = i;
            }
        }
        for (std::size_t i = 0; i < body.size(); ++i) {
            if (caret && (i == *caret || i + 1 == *caret)) {
                continue;
            }
            d.message += "\n" + trim(body[i]);
        }
        if (caret) {
            d.col = edgColumn(d.file, d.line, body[*caret - 1], body[*caret]);
        }
        add(std::move(d));
    }

    // EDG indents the printed line and the caret line by two spaces.
    int edgColumn(const std::string& file, int line, std::string_view printed, std::string_view caret_line) {
        const std::size_t indent = printed.starts_with("  ") && caret_line.starts_with("  ") ? 2 : 0;
        printed.remove_prefix(indent);
        const std::size_t caret = caret_line.find('^') - indent;
        return caretColumn(printed, caret, sourceLine(file, line));
    }

    void gcc(const std::smatch& m) {
        const auto file = m[1].str();
        const int line = toInt(m[2]);
        // Without the file's text the column cannot be checked, and gcc's is all there is.
        const auto text = sourceLine(file, line);
        const int col = !m[3].matched ? 0 : text.empty() ? toInt(m[3]) : plausibleColumn(toInt(m[3]), text);
        Diagnostic d{file, line, col, severityOf(m[4]), m[5]};
        if (d.severity != "note") {
            for (const auto& c : m_context) {
                d.message += "\n" + c;
            }
            m_contextUsed = true; // it holds for every message up to the next context line
        }
        add(std::move(d));
    }

    // gcc prints where a message comes from before the message: "In function", "In file included from",
    // "required from here".
    void context(const std::string& text) {
        if (m_contextUsed) {
            m_context.clear();
            m_contextUsed = false;
        }
        m_context.push_back(text);
    }

    void linker(const std::string& rest) {
        static const std::regex in_function(R"(^(?:.*: )?(in function .*):$)");
        std::smatch m;
        if (std::regex_match(rest, m, in_function)) {
            m_linkerContext = m[1];
            return;
        }
        Diagnostic d{"ld", 0, 0, "error", rest};
        if (rest.starts_with("warning: ")) {
            d.severity = "warning";
            d.message = rest.substr(9);
        } else {
            m_linkerError = true;
        }
        if (!m_linkerContext.empty()) {
            d.message += " (" + m_linkerContext + ")";
        }
        add(std::move(d));
    }

    bool startsNewMessage(std::string_view line) const {
        const std::string s(line);
        return std::regex_match(s, kEdgHeader) || std::regex_match(s, kToolLine) ||
               std::regex_match(s, kGccHeader) || std::regex_match(s, kSummary);
    }

    void add(Diagnostic d) {
        if (std::find(m_out.begin(), m_out.end(), d) == m_out.end()) {
            m_out.push_back(std::move(d));
        }
    }

    std::string_view sourceLine(const std::string& file, int line) {
        auto cached = m_split.find(file);
        if (cached == m_split.end()) {
            const auto text = m_sources.find(file);
            cached = m_split
                         .emplace(file, text == m_sources.end() ? std::vector<std::string_view>{}
                                                                : splitLines(text->second))
                         .first;
        }
        const auto& lines = cached->second;
        return line >= 1 && static_cast<std::size_t>(line) <= lines.size() ? lines[line - 1]
                                                                           : std::string_view{};
    }

    std::vector<std::string_view> m_lines;
    std::size_t m_at = 0;
    const SourceTexts& m_sources;
    std::map<std::string, std::vector<std::string_view>, std::less<>> m_split;
    std::vector<std::string>
        m_context; // gcc's "In function ..." lines: the context of the messages after them
    bool m_contextUsed = false;
    std::string m_linkerContext; // the linker's "in function `f'" for the next undefined reference
    bool m_linkerError = false;
    std::vector<Diagnostic> m_out;
};

} // namespace

std::vector<Diagnostic> parseDiagnostics(std::string_view log, const SourceTexts& sources) {
    return Parser(log, sources).run();
}

} // namespace kf::gpu::compile
