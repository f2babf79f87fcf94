// SPDX-License-Identifier: MIT
#include "spec_validator.h"

#include "formula.h"
#include "launcher.h"
#include "suggest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace kf::spec {
namespace {

// C and C++ keywords a param or tensor name cannot be (it becomes a parameter of the launcher).
const std::set<std::string> kKeywords = {
    "alignas",  "alignof",   "asm",       "auto",      "bool",     "break",    "case",     "catch",
    "char",     "class",     "const",     "constexpr", "continue", "decltype", "default",  "delete",
    "do",       "double",    "else",      "enum",      "explicit", "export",   "extern",   "false",
    "float",    "for",       "friend",    "goto",      "if",       "inline",   "int",      "long",
    "mutable",  "namespace", "new",       "noexcept",  "nullptr",  "operator", "private",  "protected",
    "public",   "register",  "restrict",  "return",    "short",    "signed",   "sizeof",   "static",
    "struct",   "switch",    "template",  "this",      "throw",    "true",     "try",      "typedef",
    "typename", "union",     "unsigned",  "using",     "virtual",  "void",     "volatile", "while",
    "half",     "dim3",      "threadIdx", "blockIdx",  "blockDim", "gridDim",  "warpSize", "int64_t"};

std::string fmtNumber(double v) {
    std::ostringstream s;
    s.precision(12);
    s << v;
    return s.str();
}

bool isBlank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

bool definesSymbol(const std::string& source, const std::string& symbol) {
    return std::regex_search(source, std::regex("\\b" + symbol + "\\s*\\("));
}

class Validator {
public:
    Validator(ParsedSpec& parsed, Diagnostics& diags)
        : m_parsed(parsed)
        , m_spec(parsed.spec)
        , m_diags(diags) {}

    void run();

private:
    SourcePos at(const std::string& path) const { return m_parsed.positions.find(path); }
    void error(const std::string& path, std::string message) { m_diags.error(at(path), std::move(message)); }

    void checkText();
    void checkNames();
    bool checkIdentifier(const std::string& name, const std::string& path);
    // Returns false when the formula cannot be evaluated.
    bool checkFormula(const Formula& f, const std::string& path);
    void evaluateSizes();
    void checkSources();

    ParsedSpec& m_parsed;
    Spec& m_spec;
    Diagnostics& m_diags;
};

void Validator::checkText() {
    static const std::regex id_pattern("[a-z0-9][a-z0-9._-]*");
    // Keys that are missing or of the wrong type were reported by the parser; say nothing more about them.
    const auto& given = m_parsed.positions;
    if (given.usable("id")) {
        if (m_spec.id.empty()) {
            error("id", "'id' is empty");
        } else if (!std::regex_match(m_spec.id, id_pattern) || m_spec.id.size() > 64) {
            error("id", "'id' must be lowercase letters, digits, '.', '_' or '-', at most 64 characters, "
                        "starting with a letter or digit; got '" +
                            m_spec.id + "'");
        }
    }
    if (given.usable("title")) {
        if (isBlank(m_spec.title)) {
            error("title", "'title' is empty");
        } else if (m_spec.title.find('\n') != std::string::npos) {
            error("title", "'title' must be one line");
        }
    }
    if (given.usable("description") && isBlank(m_spec.description)) {
        error("description", "'description' is empty: state the math each output element follows");
    }
}

bool Validator::checkIdentifier(const std::string& name, const std::string& path) {
    static const std::regex ident("[A-Za-z_][A-Za-z0-9_]*");
    if (!std::regex_match(name, ident)) {
        error(path, "'" + name + "' is not a valid C identifier");
        return false;
    }
    if (kKeywords.contains(name)) {
        error(path, "'" + name + "' is a C/C++/CUDA keyword or built-in and cannot name a launcher argument");
        return false;
    }
    if (name == "stream" || name.starts_with("kf_") || name.starts_with("__")) {
        error(path,
              "'" + name + "' is reserved (the launcher uses 'stream'; 'kf_' and '__' prefixes are taken)");
        return false;
    }
    return true;
}

void Validator::checkNames() {
    std::map<std::string, std::string> seen; // name -> path of its first use
    const auto claim = [&](const std::string& name, const std::string& path) {
        if (name.empty() || !checkIdentifier(name, path)) {
            return;
        }
        if (const auto it = seen.find(name); it != seen.end()) {
            error(path, "'" + name + "' is already used by " + it->second +
                            "; params and tensors need distinct names");
            return;
        }
        seen.emplace(name, path);
    };
    if (m_parsed.positions.usable("params") && m_spec.params.empty()) {
        error("params", "'params' is empty: a spec needs at least one size parameter");
    }
    for (std::size_t i = 0; i < m_spec.params.size(); ++i) {
        claim(m_spec.params[i], "params[" + std::to_string(i) + "]");
    }
    for (std::size_t i = 0; i < m_spec.inputs.size(); ++i) {
        claim(m_spec.inputs[i].name, "inputs[" + std::to_string(i) + "].name");
    }
    for (std::size_t i = 0; i < m_spec.outputs.size(); ++i) {
        claim(m_spec.outputs[i].name, "outputs[" + std::to_string(i) + "].name");
    }
}

bool Validator::checkFormula(const Formula& f, const std::string& path) {
    if (const auto& syntax = f.syntaxError()) {
        m_diags.error(m_parsed.positions.findOffset(path, syntax->offset),
                      "'" + path + "' does not parse: " + syntax->message);
        return false;
    }
    for (const auto& name : f.unknownNames()) {
        m_diags.error(m_parsed.positions.findOffset(path, findIdentifier(f.text(), name)),
                      "'" + path + "' names '" + name + "', which is not a param" +
                          didYouMean(name, m_spec.params));
    }
    return f.unknownNames().empty();
}

void Validator::evaluateSizes() {
    bool ok = true;
    const Formula flops(m_spec.flops, m_spec.params);
    const Formula bytes(m_spec.bytes, m_spec.params);
    ok = (m_parsed.positions.usable("flops") && checkFormula(flops, "flops")) && ok;
    ok = (m_parsed.positions.usable("bytes") && checkFormula(bytes, "bytes")) && ok;
    const auto tensors = m_spec.tensors();
    std::vector<std::vector<Formula>> dims;
    std::vector<std::string> tensor_paths;
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const bool input = i < m_spec.inputs.size();
        tensor_paths.push_back(input ? "inputs[" + std::to_string(i) + "]"
                                     : "outputs[" + std::to_string(i - m_spec.inputs.size()) + "]");
        dims.emplace_back();
        for (std::size_t d = 0; d < tensors[i]->shape.size(); ++d) {
            dims.back().emplace_back(tensors[i]->shape[d], m_spec.params);
            ok =
                checkFormula(dims.back().back(), tensor_paths.back() + ".shape[" + std::to_string(d) + "]") &&
                ok;
        }
    }
    if (!ok || !m_parsed.structurally_ok) {
        return; // nothing sensible to evaluate; the problems are already reported
    }
    bool warned_bytes = false;
    for (std::size_t s = 0; s < m_spec.sizes.size(); ++s) {
        auto& size = m_spec.sizes[s];
        const auto where = "sizes[" + std::to_string(s) + "]";
        std::string why;
        bool dims_ok = true;
        size.dims.clear();
        for (std::size_t t = 0; t < dims.size(); ++t) {
            std::vector<int64_t> shape;
            for (std::size_t d = 0; d < dims[t].size(); ++d) {
                const auto v = dims[t][d].evaluate(size.values, &why);
                const auto dim_path = tensor_paths[t] + ".shape[" + std::to_string(d) + "]";
                if (!v || *v < 1.0 || *v != std::floor(*v) || *v > 9.0e15) {
                    error(where, "at " + where + ", '" + dim_path + "' (" + dims[t][d].text() + ") is " +
                                     (v ? fmtNumber(*v) : why) + "; dims must be positive integers");
                    shape.push_back(0);
                    dims_ok = false;
                    continue;
                }
                shape.push_back(static_cast<int64_t>(*v));
            }
            size.dims.push_back(std::move(shape));
        }
        if (const auto v = flops.evaluate(size.values, &why); !v || *v < 0.0) {
            error(where, "at " + where + ", 'flops' is " + (v ? fmtNumber(*v) : why) + "; it must be >= 0");
        } else {
            size.flops = *v;
        }
        if (const auto v = bytes.evaluate(size.values, &why); !v || *v <= 0.0) {
            error(where, "at " + where + ", 'bytes' is " + (v ? fmtNumber(*v) : why) + "; it must be > 0");
        } else {
            size.bytes = *v;
            const double footprint = footprintBytes(m_spec, size);
            if (dims_ok && !warned_bytes && std::abs(size.bytes - footprint) > 0.01 * footprint) {
                m_diags.warning(at("bytes"),
                                "'bytes' gives " + fmtNumber(size.bytes) + " at " + where +
                                    ", but reading every input once and writing every output once "
                                    "moves " +
                                    fmtNumber(footprint) + " bytes");
                warned_bytes = true;
            }
        }
        for (std::size_t e = 0; e < s; ++e) {
            if (m_spec.sizes[e].values == size.values) {
                m_diags.warning(at(where), "'" + where + "' repeats sizes[" + std::to_string(e) + "]");
                break;
            }
        }
    }
}

void Validator::checkSources() {
    if (m_parsed.positions.usable("reference")) {
        if (isBlank(m_spec.reference)) {
            error("reference",
                  "'reference' is empty: give obviously-correct CUDA C++ that defines kf_reference");
        } else if (!definesSymbol(m_spec.reference, "kf_reference")) {
            error("reference", "'reference' does not define kf_reference; it must have the launcher ABI: " +
                                   launcherPrototype(m_spec, Role::Reference));
        }
    }
    if (!m_spec.baseline.is_reference) {
        if (isBlank(m_spec.baseline.source)) {
            error("baseline", "'baseline' is empty: write 'reference' or CUDA C++ that defines kf_baseline");
        } else if (!definesSymbol(m_spec.baseline.source, "kf_baseline")) {
            error("baseline", "'baseline' does not define kf_baseline; it must have the launcher ABI: " +
                                  launcherPrototype(m_spec, Role::Baseline));
        }
    }
    const auto links = [this](const std::string& lib) {
        return std::find(m_spec.links.begin(), m_spec.links.end(), lib) != m_spec.links.end();
    };
    const std::string code = m_spec.reference + "\n" + m_spec.baseline.source;
    if (std::regex_search(code, std::regex("\\bcublas[A-KM-Z]\\w*\\s*\\(")) && !links("cublas")) {
        m_diags.warning(at("baseline"),
                        "the reference or baseline calls cuBLAS but 'links' does not list cublas");
    }
    if (code.find("cublasLt") != std::string::npos && !links("cublasLt")) {
        m_diags.warning(at("baseline"),
                        "the reference or baseline uses cuBLASLt but 'links' does not list cublasLt");
    }
}

void Validator::run() {
    checkText();
    checkNames();
    evaluateSizes();
    checkSources();
}

} // namespace

void validateSpec(ParsedSpec& parsed, Diagnostics& diags) {
    Validator(parsed, diags).run();
}

} // namespace kf::spec
