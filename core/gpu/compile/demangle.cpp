// SPDX-License-Identifier: MIT
#include "demangle.h"

#include <cstdlib>
#include <cxxabi.h>
#include <memory>

namespace kf::gpu::compile {

std::string demangle(std::string_view mangled) {
    if (!mangled.starts_with("_Z")) {
        return std::string(mangled);
    }
    const std::string name(mangled);
    int status = 0;
    const std::unique_ptr<char, decltype(&std::free)> out(
        abi::__cxa_demangle(name.c_str(), nullptr, nullptr, &status), &std::free);
    return status == 0 && out ? std::string(out.get()) : name;
}

std::string kernelShortName(std::string_view demangled) {
    std::string_view s = demangled;
    // The parameter list is the last bracket group at depth 0; "(anonymous namespace)" comes before the name.
    if (s.ends_with(')')) {
        int depth = 0;
        for (std::size_t i = s.size(); i-- > 0;) {
            if (s[i] == ')' || s[i] == '>') {
                ++depth;
            } else if (s[i] == '(' || s[i] == '<') {
                --depth;
            }
            if (depth == 0) {
                s = s.substr(0, i);
                break;
            }
        }
    }
    // Kernels return void; the demangler spells the return type out for function templates only.
    if (s.starts_with("void ")) {
        s.remove_prefix(5);
    }
    return std::string(s);
}

std::string demangleQuotedNames(std::string_view message) {
    std::string out;
    std::size_t i = 0;
    while (i < message.size()) {
        const auto open = message.find('\'', i);
        if (open == std::string_view::npos) {
            break;
        }
        const auto close = message.find('\'', open + 1);
        if (close == std::string_view::npos) {
            break;
        }
        out.append(message.substr(i, open + 1 - i));
        out += demangle(message.substr(open + 1, close - open - 1));
        out += '\'';
        i = close + 1;
    }
    out.append(message.substr(i < message.size() ? i : message.size()));
    return out;
}

} // namespace kf::gpu::compile
