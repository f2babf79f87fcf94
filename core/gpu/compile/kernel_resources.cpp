// SPDX-License-Identifier: MIT
#include "kernel_resources.h"

#include "demangle.h"

#include <regex>

namespace kf::gpu::compile {
namespace {

const std::regex kEntry(R"(^ptxas info\s*: Compiling entry function '([^']+)' for '([^']+)'\s*$)");
const std::regex kProperties(R"(^ptxas info\s*: Function properties for (\S+)\s*$)");
const std::regex
    kFrame(R"(^\s*(\d+) bytes stack frame, (\d+) bytes spill stores, (\d+) bytes spill loads\s*$)");
const std::regex kUsed(R"(^ptxas info\s*: Used (\d+) registers(.*)$)");
const std::regex kBarriers(R"(used (\d+) barriers)");
const std::regex kSmem(R"((\d+) bytes smem)");
const std::regex kCmem0(R"((\d+) bytes cmem\[0\])");

long toLong(const std::string& s) {
    try {
        return std::stol(s);
    } catch (const std::exception&) {
        return 0;
    }
}

KernelResources* find(std::vector<KernelResources>& kernels, const std::string& mangled) {
    for (auto& k : kernels) {
        if (k.mangled == mangled) {
            return &k;
        }
    }
    return nullptr;
}

} // namespace

std::vector<KernelResources> parseKernelResources(std::string_view log) {
    std::vector<KernelResources> kernels;
    std::string compiling;  // the entry function whose "Used ..." line comes next
    std::string properties; // the function whose frame line comes next (an entry or a device function)
    std::size_t start = 0;
    while (start < log.size()) {
        auto end = log.find('\n', start);
        if (end == std::string_view::npos) {
            end = log.size();
        }
        const std::string line(log.substr(start, end - start));
        start = end + 1;
        std::smatch m;
        if (std::regex_match(line, m, kEntry)) {
            compiling = m[1];
            if (find(kernels, compiling) == nullptr) {
                const auto signature = demangle(compiling);
                kernels.push_back({kernelShortName(signature), signature, compiling});
            }
        } else if (std::regex_match(line, m, kProperties)) {
            properties = m[1];
        } else if (std::regex_match(line, m, kFrame)) {
            if (auto* k = find(kernels, properties)) {
                k->stack = toLong(m[1]);
                k->spill_stores = toLong(m[2]);
                k->spill_loads = toLong(m[3]);
            }
            properties.clear();
        } else if (std::regex_match(line, m, kUsed)) {
            if (auto* k = find(kernels, compiling)) {
                k->registers = static_cast<int>(toLong(m[1]));
                const std::string rest = m[2];
                std::smatch f;
                if (std::regex_search(rest, f, kBarriers)) {
                    k->barriers = static_cast<int>(toLong(f[1]));
                }
                if (std::regex_search(rest, f, kSmem)) {
                    k->smem_static = toLong(f[1]);
                }
                if (std::regex_search(rest, f, kCmem0)) {
                    k->cmem = toLong(f[1]);
                }
            }
            compiling.clear();
        }
    }
    return kernels;
}

nlohmann::json kernelResourcesToJson(const KernelResources& k) {
    return {{"name", k.name},
            {"mangled", k.mangled},
            {"registers", k.registers},
            {"barriers", k.barriers},
            {"smem_static", k.smem_static},
            {"cmem", k.cmem < 0 ? nlohmann::json(nullptr) : nlohmann::json(k.cmem)},
            {"stack", k.stack},
            {"spill_stores", k.spill_stores},
            {"spill_loads", k.spill_loads},
            {"signature", k.signature}};
}

KernelResources kernelResourcesFromJson(const nlohmann::json& j) {
    KernelResources k;
    k.name = j.at("name").get<std::string>();
    k.signature = j.at("signature").get<std::string>();
    k.mangled = j.at("mangled").get<std::string>();
    k.registers = j.at("registers").get<int>();
    k.barriers = j.at("barriers").get<int>();
    k.smem_static = j.at("smem_static").get<long>();
    k.cmem = j.at("cmem").is_null() ? -1 : j.at("cmem").get<long>();
    k.stack = j.at("stack").get<long>();
    k.spill_stores = j.at("spill_stores").get<long>();
    k.spill_loads = j.at("spill_loads").get<long>();
    return k;
}

} // namespace kf::gpu::compile
