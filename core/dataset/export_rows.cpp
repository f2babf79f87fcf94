// SPDX-License-Identifier: MIT
#include "export_rows.h"

#include "import_rows.h"
#include "json_writer.h"
#include "sha256.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

namespace kf::dataset::detail {

namespace {

using json = nlohmann::json;

json parseOr(const std::string& text, json fallback) {
    if (text.empty()) {
        return fallback;
    }
    auto j = json::parse(text, nullptr, false);
    return j.is_discarded() ? fallback : j;
}

std::string str(const json& j, const char* key) {
    if (j.is_object()) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_string()) {
            return it->get<std::string>();
        }
    }
    return {};
}

double num(const json& j, const char* key) {
    if (j.is_object()) {
        const auto it = j.find(key);
        if (it != j.end() && it->is_number()) {
            return finiteOr(it->get<double>());
        }
    }
    return -1.0;
}

std::string dumpCompact(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

const KernelRecord* kernelById(const AttemptDetail& d, std::optional<int64_t> id) {
    if (!id) {
        return nullptr;
    }
    for (const auto& k : d.kernels) {
        if (k.id == *id) {
            return &k;
        }
    }
    return nullptr;
}

const KernelRecord* teacherKernel(const AttemptDetail& d) {
    const KernelRecord* found = nullptr;
    for (const auto& k : d.kernels) {
        if (k.origin == "teacher" ||
            (found == nullptr && k.attempt_id == d.attempt.id && k.origin != "edited")) {
            found = &k;
        }
    }
    return found;
}

const RunRecord* latestRun(const AttemptDetail& d, const KernelRecord* k) {
    const RunRecord* r = nullptr;
    if (k == nullptr) {
        return r;
    }
    for (const auto& run : d.runs) {
        if (run.kernel_id == k->id) {
            r = &run;
        }
    }
    return r;
}

// §6 over an answer already escaped.
std::string rowIdEscaped(const std::string& task_id, const std::string& model,
                         const std::string& template_version, std::string_view answer) {
    std::string text;
    JsonWriter w(text);
    w.beginArray().str(task_id).str(model).str(template_version).escapedStr(answer).endArray();
    return sha256Of(text);
}

} // namespace

std::pair<std::string, std::string> templateParts(const std::string& prompt_template) {
    const auto slash = prompt_template.rfind('/');
    if (slash == std::string::npos) {
        return {prompt_template, ""};
    }
    return {prompt_template.substr(0, slash), prompt_template.substr(slash + 1)};
}

double finiteOr(double v, double sentinel) {
    return std::isfinite(v) ? v : sentinel;
}

std::string splitFor(const std::string& task_id, double validation_fraction) {
    const auto hex = sha256Of(task_id);
    const uint64_t h = std::stoull(hex.substr(0, 16), nullptr, 16);
    // 2^64 as a double is exact; the fraction lies in [0, 1).
    const double frac = static_cast<double>(h) / 18446744073709551616.0;
    return frac < validation_fraction ? "validation" : "train";
}

std::string rowId(const std::string& task_id, const std::string& model, const std::string& template_version,
                  const std::string& answer_text) {
    return rowIdEscaped(task_id, model, template_version, escaped(answer_text));
}

std::string lastFencedBlock(const std::string& text) {
    const auto close = text.rfind("\n```");
    if (close == std::string::npos) {
        return {};
    }
    const auto open = text.rfind("```", close == 0 ? 0 : close - 1);
    if (open == std::string::npos || open >= close) {
        return {};
    }
    const auto body = text.find('\n', open);
    if (body == std::string::npos || body > close) {
        return {};
    }
    return text.substr(body + 1, close - body);
}

std::string replaceKernelInAnswer(const std::string& answer, const std::string& kernel) {
    std::string k = kernel;
    if (!k.empty() && k.back() != '\n') {
        k.push_back('\n');
    }
    const auto close = answer.rfind("\n```");
    if (close != std::string::npos && close > 0) {
        const auto open = answer.rfind("```", close - 1);
        if (open != std::string::npos) {
            const auto body = answer.find('\n', open);
            if (body != std::string::npos && body <= close) {
                return answer.substr(0, body + 1) + k + answer.substr(close + 1);
            }
        }
    }
    std::string out = answer;
    if (!out.empty()) {
        out += "\n\n";
    }
    return out + "```cuda\n" + k + "```";
}

SpecInfo specInfo(const SpecRecord& record, double validation_fraction) {
    static const json kEmptyArray = json::array();
    static const json kEmptyObject = json::object();
    const json spec = parseOr(record.json, json::object());
    SpecInfo s;
    s.task_id = record.spec_id.empty() ? str(spec, "id") : record.spec_id;
    s.split = splitFor(s.task_id, validation_fraction);
    s.op_category = record.category.empty() ? str(spec, "category") : record.category;
    s.reference_code = str(spec, "reference");
    const json& tolerance = spec.is_object() && spec.contains("tolerance") ? spec["tolerance"] : kEmptyObject;
    const json& sizes =
        spec.is_object() && spec.contains("sizes") && spec["sizes"].is_array() ? spec["sizes"] : kEmptyArray;
    if (spec.is_object() && spec.contains("inputs") && spec["inputs"].is_array() && !spec["inputs"].empty()) {
        s.dtype = str(spec["inputs"][0], "dtype");
    }
    s.shapes_json = dumpCompact(sizes);
    s.flop_formula = str(spec, "flops");
    s.byte_formula = str(spec, "bytes");
    s.flops = sizes.empty() ? -1.0 : num(sizes[0], "flops");
    s.bytes = sizes.empty() ? -1.0 : num(sizes[0], "bytes");
    s.rel_l2_tol = num(tolerance, "rel_l2");
    s.atol = num(tolerance, "atol");
    s.rtol = num(tolerance, "rtol");
    s.n_shapes = static_cast<int64_t>(sizes.size());
    return s;
}

Outcome outcomeOf(const AttemptDetail& d) {
    Outcome o;
    o.latest = d.reviews.empty() ? nullptr : &d.reviews.back();
    o.teacher = teacherKernel(d);
    o.accepted = o.latest != nullptr ? kernelById(d, o.latest->kernel_id) : nullptr;
    const bool from_review = o.accepted != nullptr;
    if (o.accepted == nullptr) {
        o.accepted = o.teacher != nullptr ? o.teacher : (d.kernels.empty() ? nullptr : &d.kernels.back());
    }
    o.edited =
        from_review && o.accepted != o.teacher &&
        (o.accepted->origin == "edited" || o.teacher == nullptr || o.teacher->source != o.accepted->source);
    if (o.latest != nullptr) {
        o.review_status = reviewStatusName(o.latest->status);
        if (o.latest->status == ReviewStatus::Accepted && o.edited) {
            o.review_status = "accepted_edited";
        }
    }
    o.run = latestRun(d, o.accepted);
    o.verdict = o.run != nullptr ? o.run->verdict : "";
    o.speedup = o.run != nullptr ? finiteOr(o.run->speedup) : -1.0;
    return o;
}

void appendPromptJson(std::string& out, const ConversationParts& c) {
    JsonWriter w(out);
    w.beginArray();
    for (const auto& m : c.prompt) {
        w.beginObject().member("role", m.role).memberEscaped("content", m.content).endObject();
    }
    w.endArray();
}

void rowText(const AttemptDetail& d, const ConversationParts& c, const Outcome& o, const std::string& task_id,
             RowText& out) {
    if (o.edited) {
        out.answer = escaped(replaceKernelInAnswer(unescape(c.answer), o.accepted->source));
    } else {
        out.answer = c.answer;
    }
    out.id =
        rowIdEscaped(task_id, d.attempt.model, templateParts(d.attempt.prompt_template).second, out.answer);
    out.prompt_json.clear();
    appendPromptJson(out.prompt_json, c);
    out.assistant_json.clear();
    JsonWriter w(out.assistant_json);
    w.beginObject().member("role", "assistant").key("content");
    if (c.reasoning.empty()) {
        w.escapedStr(out.answer);
    } else {
        auto& s = out.assistant_json;
        s += "\"<think>\\n";
        s += c.reasoning;
        s += "\\n</think>\\n\\n";
        s += out.answer;
        s += '"';
    }
    out.assistant_json += '}';
}

RowBuilder::RowBuilder(std::string dataset_version, double validation_fraction)
    : m_dataset_version(std::move(dataset_version))
    , m_validation_fraction(validation_fraction) {}

const SpecInfo& RowBuilder::spec(const SpecRecord& s) {
    auto it = m_specs.find(s.hash);
    if (it == m_specs.end()) {
        it = m_specs.emplace(s.hash, specInfo(s, m_validation_fraction)).first;
    }
    return it->second;
}

const std::string& RowBuilder::thinkingDisplay(const std::string& settings_json) {
    if (!m_settings_read || settings_json != m_settings_json) {
        // "display" at the top of the settings or inside a "thinking" object.
        const json settings = parseOr(settings_json, json::object());
        m_display = str(settings, "display");
        if (m_display.empty() && settings.is_object() && settings.contains("thinking")) {
            m_display = str(settings["thinking"], "display");
        }
        m_settings_json = settings_json;
        m_settings_read = true;
    }
    return m_display;
}

const RowBuilder::Device& RowBuilder::device(const RunRecord* run) {
    static const Device kNone;
    if (run == nullptr) {
        return kNone;
    }
    if (!m_device_read || run->device_json != m_device_json) {
        const json device = parseOr(run->device_json, json::object());
        m_device.compile_log = str(device, "compile_log");
        if (m_device.compile_log.size() > 16384) {
            m_device.compile_log.resize(16384);
        }
        m_device.compiler = str(device, "compiler");
        m_device.arch = str(device, "arch");
        m_device.name = str(device, "name");
        m_device.driver_version = str(device, "driver_version");
        m_device.cuda_version = str(device, "cuda_version");
        m_device.sm_clock_mhz = num(device, "sm_clock_mhz");
        m_device_json = run->device_json;
        m_device_read = true;
    }
    return m_device;
}

std::string rowIdOf(const AttemptDetail& d, ConversationReader& reader) {
    ConversationParts c;
    reader.read(d.attempt.conversation_json, c);
    const Outcome o = outcomeOf(d);
    RowText t;
    rowText(d, c, o, specInfo(d.spec, 0.0).task_id, t);
    return t.id;
}

} // namespace kf::dataset::detail
