// SPDX-License-Identifier: MIT
#include "kernel_instances.h"

#include "demangle.h"

#include <algorithm>
#include <set>

namespace kf::gpu::compile {
namespace {

// NVRTC compiles the original source, where anonymous namespaces are unnamed: their members are named from
// the enclosing scope.
std::string withoutAnonymousNamespaces(std::string s) {
    static const std::string anon = "(anonymous namespace)::";
    for (auto at = s.find(anon); at != std::string::npos; at = s.find(anon, at)) {
        s.erase(at, anon.size());
    }
    return s;
}

} // namespace

std::string unqualifiedName(std::string_view s) {
    if (s.ends_with('>')) {
        int depth = 0;
        for (std::size_t i = s.size(); i-- > 0;) {
            if (s[i] == '>' || s[i] == ')') {
                ++depth;
            } else if (s[i] == '<' || s[i] == '(') {
                --depth;
            }
            if (depth == 0) {
                s = s.substr(0, i);
                break;
            }
        }
    }
    const auto colons = s.rfind("::");
    return std::string(colons == std::string_view::npos ? s : s.substr(colons + 2));
}

std::vector<KernelInstance> kernelInstances(const std::vector<ElfFunction>& functions,
                                            const std::vector<std::string>& kernel_names) {
    const std::set<std::string> kernels(kernel_names.begin(), kernel_names.end());
    std::set<std::string> seen;
    std::vector<KernelInstance> out;
    for (const auto& f : functions) {
        const std::string demangled = demangle(f.name);
        const std::string short_name = kernelShortName(demangled);
        const std::string base = unqualifiedName(short_name);
        if (!kernels.contains(base) || !seen.insert(f.name).second) {
            continue;
        }
        out.push_back({f.name, f.local, base, withoutAnonymousNamespaces(short_name)});
    }
    return out;
}

} // namespace kf::gpu::compile
