// SPDX-License-Identifier: MIT
#include "code_extraction.h"

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

namespace kf::teacher {
namespace {

bool isCodeLang(const std::string& lang) {
    static const std::set<std::string> langs = {"cuda", "cu", "cuh", "cpp", "c++",
                                                "cxx",  "cc", "c",   "h",   "hpp"};
    return langs.contains(lang);
}

bool definesLauncher(const std::string& code) {
    static const std::regex def(R"(\bvoid\s+kf_launch\s*\([^;{]*\)\s*\{)");
    return std::regex_search(code, def);
}

// Names of functions a block defines: __global__/__device__ functions and plain C++ functions.
std::set<std::string> definedNames(const std::string& code) {
    static const std::regex fn(R"(\b(\w+)\s*\([^;{)]*(\)[^;{]*)?\{)");
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(code.begin(), code.end(), fn); it != std::sregex_iterator(); ++it) {
        names.insert((*it)[1].str());
    }
    static const std::regex type(R"(\b(?:struct|class|using)\s+(\w+))");
    for (auto it = std::sregex_iterator(code.begin(), code.end(), type); it != std::sregex_iterator(); ++it) {
        names.insert((*it)[1].str());
    }
    return names;
}

// Kernels launched with <<<...>>> (possibly templated: name<T><<<).
std::set<std::string> launchedNames(const std::string& code) {
    static const std::regex launch(R"(\b(\w+)\s*(?:<[^<>;]*>)?\s*<<<)");
    std::set<std::string> names;
    for (auto it = std::sregex_iterator(code.begin(), code.end(), launch); it != std::sregex_iterator();
         ++it) {
        names.insert((*it)[1].str());
    }
    return names;
}

bool onlyIncludes(const std::string& code) {
    std::size_t pos = 0;
    bool any = false;
    while (pos < code.size()) {
        auto end = code.find('\n', pos);
        if (end == std::string::npos) {
            end = code.size();
        }
        const auto line = code.substr(pos, end - pos);
        const auto first = line.find_first_not_of(" \t\r");
        if (first != std::string::npos) {
            if (line.compare(first, 8, "#include") != 0 && line.compare(first, 2, "//") != 0) {
                return false;
            }
            any = true;
        }
        pos = end + 1;
    }
    return any;
}

} // namespace

std::vector<CodeBlock> fencedBlocks(std::string_view markdown) {
    std::vector<CodeBlock> blocks;
    std::size_t pos = 0;
    int line_no = 0;
    bool in_block = false;
    char fence_char = 0;
    std::size_t fence_len = 0;
    CodeBlock current;
    while (pos <= markdown.size()) {
        auto end = markdown.find('\n', pos);
        if (end == std::string_view::npos) {
            end = markdown.size();
        }
        std::string_view line = markdown.substr(pos, end - pos);
        ++line_no;
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        const auto indent = line.find_first_not_of(' ');
        const std::string_view body =
            indent == std::string_view::npos || indent > 3 ? std::string_view() : line.substr(indent);
        const auto run = [&](char c) {
            std::size_t n = 0;
            while (n < body.size() && body[n] == c) {
                ++n;
            }
            return n;
        };
        if (!in_block) {
            for (const char c : {'`', '~'}) {
                const auto n = run(c);
                if (n >= 3) {
                    in_block = true;
                    fence_char = c;
                    fence_len = n;
                    std::string info(body.substr(n));
                    info.erase(0, info.find_first_not_of(" \t"));
                    info = info.substr(0, info.find_first_of(" \t{"));
                    std::transform(info.begin(), info.end(), info.begin(),
                                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
                    current = CodeBlock{info, {}, line_no};
                    break;
                }
            }
        } else {
            const auto n = run(fence_char);
            if (n >= fence_len && body.substr(n).find_first_not_of(" \t") == std::string_view::npos) {
                blocks.push_back(std::move(current));
                in_block = false;
            } else {
                current.code.append(line);
                current.code += '\n';
            }
        }
        if (end == markdown.size()) {
            break;
        }
        pos = end + 1;
    }
    if (in_block) {
        blocks.push_back(std::move(current)); // an unterminated fence still holds the code (a cut-off answer)
    }
    return blocks;
}

ExtractedKernel extractKernel(std::string_view answer) {
    const auto blocks = fencedBlocks(answer);
    ExtractedKernel out;
    if (blocks.empty()) {
        out.message =
            "the answer has no fenced code block (expected one ```cuda block that defines kf_launch)";
        return out;
    }
    int chosen = -1;
    for (int i = static_cast<int>(blocks.size()) - 1; i >= 0; --i) {
        const auto& b = blocks[static_cast<std::size_t>(i)];
        if ((isCodeLang(b.lang) || b.lang.empty()) && definesLauncher(b.code)) {
            chosen = i;
            break;
        }
    }
    if (chosen < 0) {
        out.message = "none of the answer's " + std::to_string(blocks.size()) +
                      " code blocks defines kf_launch (expected `extern \"C\" void kf_launch(...) { ... }`)";
        return out;
    }
    const auto& main_block = blocks[static_cast<std::size_t>(chosen)];
    std::set<std::string> missing;
    const auto defined = definedNames(main_block.code);
    for (const auto& name : launchedNames(main_block.code)) {
        if (!defined.contains(name)) {
            missing.insert(name);
        }
    }
    std::vector<int> parts;
    for (int i = 0; i < chosen && !missing.empty(); ++i) {
        const auto& b = blocks[static_cast<std::size_t>(i)];
        if (!isCodeLang(b.lang) || definesLauncher(b.code)) {
            continue; // an earlier draft of the whole kernel is not a part of this one
        }
        const auto names = definedNames(b.code);
        const bool provides =
            std::any_of(missing.begin(), missing.end(), [&](const auto& n) { return names.contains(n); });
        if (provides || onlyIncludes(b.code)) {
            parts.push_back(i);
        }
    }
    parts.push_back(chosen);
    for (const int i : parts) {
        out.source += blocks[static_cast<std::size_t>(i)].code;
    }
    out.blocks = parts;
    out.ok = true;
    out.message = parts.size() == 1 ? "the code block at line " + std::to_string(main_block.line)
                                    : "joined " + std::to_string(parts.size()) +
                                          " code blocks ending at line " + std::to_string(main_block.line);
    return out;
}

} // namespace kf::teacher
