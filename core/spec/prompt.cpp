// SPDX-License-Identifier: MIT
#include "prompt.h"

#include "launcher.h"
#include "template_renderer.h"

#include <cstdio>
#include <sstream>

namespace kf::spec {
namespace {

std::string number(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
}

std::string shapeText(const Tensor& t) {
    std::string s = "[";
    for (std::size_t i = 0; i < t.shape.size(); ++i) {
        s += (i ? ", " : "") + t.shape[i];
    }
    return s + "]";
}

std::string initText(const Tensor& t) {
    if (t.init.kind == InitDist::Kind::Uniform) {
        return "uniform in [" + number(t.init.a) + ", " + number(t.init.b) + "]";
    }
    return "normal, mean " + number(t.init.a) + ", std " + number(t.init.b);
}

std::string argumentsText(const Spec& spec) {
    std::string s;
    for (const auto& t : spec.inputs) {
        s += "- `" + t.name + "`: input, " + std::string(dtypeName(t.dtype)) + " (`" +
             std::string(dtypeCType(t.dtype)) + "`), shape " + shapeText(t) + ", values " + initText(t) +
             "\n";
    }
    for (const auto& t : spec.outputs) {
        s += "- `" + t.name + "`: output, " + std::string(dtypeName(t.dtype)) + " (`" +
             std::string(dtypeCType(t.dtype)) + "`), shape " + shapeText(t) + "\n";
    }
    for (const auto& p : spec.params) {
        s += "- `" + p + "`: size parameter (`int64_t`)\n";
    }
    s += "- `stream`: the CUDA stream to launch all work on";
    return s;
}

std::string sizesText(const Spec& spec) {
    std::string s;
    for (std::size_t i = 0; i < spec.sizes.size(); ++i) {
        const auto& size = spec.sizes[i];
        s += "- ";
        for (std::size_t p = 0; p < spec.params.size() && p < size.values.size(); ++p) {
            s += (p ? ", " : "") + spec.params[p] + " = " + std::to_string(size.values[p]);
        }
        if (i == 0) {
            s += " (headline size: the one on the roofline)";
        }
        s += "\n";
    }
    if (!s.empty()) {
        s.pop_back();
    }
    return s;
}

std::string bulletList(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& item : items) {
        s += "- " + item + "\n";
    }
    if (!s.empty()) {
        s.pop_back();
    }
    return s;
}

// "at the headline size: 0.54 GFLOP and 268 MB (2.0 FLOP/byte)": the intensity tells memory- from
// compute-bound.
std::string headlineWork(const Spec& spec) {
    if (spec.sizes.empty() || spec.sizes[0].bytes <= 0.0) {
        return {};
    }
    const auto& s = spec.sizes[0];
    char buf[160];
    std::snprintf(buf, sizeof buf, "at the headline size: %.3g GFLOP and %.3g MB (%.3g FLOP/byte)",
                  s.flops / 1e9, s.bytes / 1e6, s.flops / s.bytes);
    return buf;
}

std::string joined(const std::vector<std::string>& items) {
    std::string s;
    for (const auto& item : items) {
        s += (s.empty() ? "" : ", ") + item;
    }
    return s;
}

std::string trimmed(const std::string& text) {
    const auto first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return {};
    }
    return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

} // namespace

std::map<std::string, std::string> promptValues(const Spec& spec, const TargetGpu& target) {
    const auto& tol = spec.tolerance;
    std::map<std::string, std::string> v;
    v["id"] = spec.id;
    v["title"] = trimmed(spec.title);
    v["description"] = trimmed(spec.description);
    v["prototype"] = launcherPrototype(spec);
    v["arguments"] = argumentsText(spec);
    v["sizes"] = sizesText(spec);
    v["target"] = target.describe();
    v["arch"] = target.arch;
    v["flops"] = spec.flops;
    v["bytes"] = spec.bytes;
    v["headline_work"] = headlineWork(spec);
    v["tolerance"] = "relative L2 error at most " + number(tol.rel_l2) + ", and every element within " +
                     number(tol.atol) + " + " + number(tol.rtol) + " * |reference|";
    v["reference"] = trimmed(spec.reference);
    v["baseline"] = spec.baseline.is_reference
                        ? std::string("the reference implementation below")
                        : "a separate baseline" +
                              std::string(spec.links.empty() ? "" : " that calls " + joined(spec.links));
    v["spec_rules"] = bulletList(spec.rules);
    return v;
}

std::string renderPrompt(const Spec& spec, const TargetGpu& target, std::string_view templ) {
    return renderTemplate(templ.empty() ? defaultPromptTemplate() : templ, promptValues(spec, target));
}

} // namespace kf::spec
