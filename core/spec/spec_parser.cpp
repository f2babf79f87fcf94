// SPDX-License-Identifier: MIT
#include "spec_parser.h"

#include "suggest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <yaml-cpp/yaml.h>

namespace kf::spec {
namespace {

const std::vector<std::string> kTopKeys = {"id",    "title",     "description", "category", "tags",      "params",
                                           "inputs", "outputs",  "flops",       "bytes",    "tolerance", "sizes",
                                           "reference", "baseline", "links",    "rules"};
const std::vector<std::string> kRequiredTop = {"id",      "title", "description", "params", "inputs",
                                               "outputs", "flops", "bytes",       "sizes",  "reference"};
const std::vector<std::string> kInputKeys = {"name", "dtype", "shape", "init"};
const std::vector<std::string> kToleranceKeys = {"rel_l2", "rtol", "atol"};
const std::vector<std::string> kDists = {"normal", "uniform"};
const std::vector<std::string> kLibraries = {"cublas", "cublasLt"};

std::string describe(const YAML::Node& n) {
    switch (n.Type()) {
    case YAML::NodeType::Null:
        return "empty";
    case YAML::NodeType::Scalar:
        return "'" + n.Scalar() + "'";
    case YAML::NodeType::Sequence:
        return "a list";
    case YAML::NodeType::Map:
        return "a mapping";
    case YAML::NodeType::Undefined:
        break;
    }
    return "missing";
}

std::string indexed(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// One (key, value) of a mapping, keys in the order written.
struct Field {
    std::string key;
    YAML::Node key_node;
    YAML::Node value;
};

class Reader {
public:
    Reader(std::string_view text, Diagnostics& diags, ParsedSpec& out)
        : m_text(text)
        , m_diags(diags)
        , m_out(out) {}

    void top(const YAML::Node& root);

private:
    SourcePos posOf(const YAML::Node& n, const YAML::Node& fallback = YAML::Node()) const;
    void record(const std::string& path, const YAML::Node& value, const YAML::Node& key);
    void error(const std::string& path, std::string message) { m_diags.error(m_out.positions.find(path), std::move(message)); }

    std::map<std::string, Field> fields(const YAML::Node& map, const std::string& path,
                                        const std::vector<std::string>& allowed);
    void requireKeys(const std::map<std::string, Field>& f, const std::vector<std::string>& required,
                     const YAML::Node& map, const std::string& path);

    std::optional<std::string> scalar(const YAML::Node& v, const std::string& path);
    std::optional<double> number(const YAML::Node& v, const std::string& path);
    std::vector<std::string> scalarList(const YAML::Node& v, const std::string& path);
    std::string formula(const YAML::Node& v, const std::string& path);

    std::vector<Tensor> tensors(const YAML::Node& v, const std::string& path, bool inputs);
    std::optional<InitDist> init(const YAML::Node& v, const std::string& path, DType dtype);
    void tolerance(const std::map<std::string, Field>& top);
    void sizes(const YAML::Node& v, const std::string& path);

    std::string_view m_text;
    Diagnostics& m_diags;
    ParsedSpec& m_out;
};

SourcePos Reader::posOf(const YAML::Node& n, const YAML::Node& fallback) const {
    if (n.IsDefined() && !n.Mark().is_null()) {
        return {n.Mark().line + 1, n.Mark().column + 1};
    }
    if (fallback.IsDefined() && !fallback.Mark().is_null()) {
        return {fallback.Mark().line + 1, fallback.Mark().column + 1};
    }
    return {1, 1};
}

void Reader::record(const std::string& path, const YAML::Node& value, const YAML::Node& key) {
    SourceMap::Entry e{posOf(value, key), false};
    const bool has_mark = value.IsDefined() && !value.Mark().is_null();
    if (value.IsScalar() && has_mark && value.Scalar().find('\n') == std::string::npos) {
        const auto at = static_cast<std::size_t>(value.Mark().pos);
        const char c = at < m_text.size() ? m_text[at] : ' ';
        if (c == '"' || c == '\'') {
            e.pos.col += 1; // content starts after the quote
            e.single_line = true;
        } else if (c != '|' && c != '>') {
            e.single_line = true;
        }
    }
    m_out.positions.set(path, e);
}

std::map<std::string, Field> Reader::fields(const YAML::Node& map, const std::string& path,
                                            const std::vector<std::string>& allowed) {
    std::map<std::string, Field> out;
    const std::string prefix = path.empty() ? "" : path + ".";
    for (auto it = map.begin(); it != map.end(); ++it) {
        const YAML::Node key = it->first;
        const SourcePos key_pos = posOf(key);
        if (!key.IsScalar()) {
            m_diags.error(key_pos, "keys must be plain names, not " + describe(key));
            continue;
        }
        const std::string name = key.Scalar();
        if (const auto seen = out.find(name); seen != out.end()) {
            m_diags.error(key_pos, "duplicate key '" + prefix + name + "' (first given at line " +
                                       std::to_string(posOf(seen->second.key_node).line) + ")");
            continue;
        }
        if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
            m_diags.error(key_pos, "unknown key '" + prefix + name + "'" + didYouMean(name, allowed));
            continue;
        }
        record(prefix + name, it->second, key);
        out.emplace(name, Field{name, key, it->second});
    }
    return out;
}

void Reader::requireKeys(const std::map<std::string, Field>& f, const std::vector<std::string>& required,
                         const YAML::Node& map, const std::string& path) {
    for (const auto& key : required) {
        if (!f.contains(key)) {
            m_diags.error(posOf(map), (path.empty() ? "" : path + ": ") + "missing required key '" + key + "'");
        }
    }
}

std::optional<std::string> Reader::scalar(const YAML::Node& v, const std::string& path) {
    if (!v.IsScalar()) {
        error(path, "'" + path + "' must be a string, not " + describe(v));
        m_out.positions.markInvalid(path);
        return std::nullopt;
    }
    return v.Scalar();
}

std::optional<double> Reader::number(const YAML::Node& v, const std::string& path) {
    double d = 0.0;
    if (!v.IsScalar() || !YAML::convert<double>::decode(v, d) || !std::isfinite(d)) {
        error(path, "'" + path + "' must be a number, not " + describe(v));
        return std::nullopt;
    }
    return d;
}

std::vector<std::string> Reader::scalarList(const YAML::Node& v, const std::string& path) {
    std::vector<std::string> out;
    if (!v.IsSequence()) {
        error(path, "'" + path + "' must be a list, not " + describe(v));
        m_out.positions.markInvalid(path);
        return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto p = indexed(path, i);
        record(p, v[i], v);
        if (const auto s = scalar(v[i], p)) {
            out.push_back(*s);
        }
    }
    return out;
}

std::string Reader::formula(const YAML::Node& v, const std::string& path) {
    if (!v.IsScalar()) {
        error(path, "'" + path + "' must be a formula over the params, not " + describe(v));
        m_out.positions.markInvalid(path);
        return {};
    }
    return v.Scalar();
}

std::optional<InitDist> Reader::init(const YAML::Node& v, const std::string& path, DType dtype) {
    if (!v.IsMap()) {
        error(path, "'" + path + "' must be a mapping like {dist: normal, std: 1.0}, not " + describe(v));
        return std::nullopt;
    }
    const auto dist_node = v["dist"];
    std::string dist = "normal";
    if (dist_node.IsDefined()) {
        record(path + ".dist", dist_node, dist_node);
        dist = scalar(dist_node, path + ".dist").value_or("");
        if (std::find(kDists.begin(), kDists.end(), dist) == kDists.end()) {
            error(path + ".dist", "unknown distribution '" + dist + "'" + didYouMean(dist, kDists) +
                                      " (one of normal, uniform)");
            return std::nullopt;
        }
    }
    const bool normal = dist == "normal";
    if (normal && !isFloating(dtype)) {
        error(path + ".dist", "integer inputs take 'dist: uniform' with integer bounds");
        return std::nullopt;
    }
    const std::vector<std::string> allowed =
        normal ? std::vector<std::string>{"dist", "mean", "std"} : std::vector<std::string>{"dist", "low", "high"};
    const auto f = fields(v, path, allowed);
    InitDist out{normal ? InitDist::Kind::Normal : InitDist::Kind::Uniform, 0.0, 1.0};
    if (!normal) {
        requireKeys(f, {"low", "high"}, v, path);
    }
    bool ok = true;
    const auto read = [&](const std::string& key, double& dst) {
        if (const auto it = f.find(key); it != f.end()) {
            const auto d = number(it->second.value, path + "." + key);
            ok = ok && d.has_value();
            dst = d.value_or(dst);
        }
    };
    read(normal ? "mean" : "low", out.a);
    read(normal ? "std" : "high", out.b);
    if (!ok) {
        return std::nullopt;
    }
    if (normal && out.b <= 0.0) {
        error(path + ".std", "'" + path + ".std' must be > 0");
        return std::nullopt;
    }
    if (!normal && !(out.a < out.b)) {
        error(path + ".high", "'" + path + "' needs low < high");
        return std::nullopt;
    }
    if (!normal && !isFloating(dtype) && (out.a != std::floor(out.a) || out.b != std::floor(out.b))) {
        error(path + ".low", "'" + path + "' bounds must be integers for an integer input");
        return std::nullopt;
    }
    return out;
}

InitDist defaultInit(DType dtype) {
    if (isFloating(dtype)) {
        return {InitDist::Kind::Normal, 0.0, 1.0};
    }
    if (dtype == DType::U8) {
        return {InitDist::Kind::Uniform, 0.0, 255.0};
    }
    return {InitDist::Kind::Uniform, -100.0, 100.0};
}

std::vector<Tensor> Reader::tensors(const YAML::Node& v, const std::string& path, bool inputs) {
    std::vector<Tensor> out;
    if (!v.IsSequence() || v.size() == 0) {
        error(path, "'" + path + "' must be a non-empty list of tensors ({name, dtype, shape}), not " +
                        describe(v));
        m_out.structurally_ok = false;
        return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto p = indexed(path, i);
        record(p, v[i], v);
        if (!v[i].IsMap()) {
            error(p, "'" + p + "' must be a mapping {name, dtype, shape}, not " + describe(v[i]));
            m_out.structurally_ok = false;
            continue;
        }
        const auto f = fields(v[i], p, kInputKeys);
        if (!inputs && f.contains("init")) {
            error(p + ".init", "'" + p + ".init': outputs have no init (the harness poisons them before each run)");
        }
        requireKeys(f, {"name", "dtype", "shape"}, v[i], p);
        Tensor t;
        bool ok = f.contains("name") && f.contains("dtype") && f.contains("shape");
        if (f.contains("name")) {
            const auto name = scalar(f.at("name").value, p + ".name");
            ok = ok && name.has_value();
            t.name = name.value_or("");
        }
        if (f.contains("dtype")) {
            if (const auto name = scalar(f.at("dtype").value, p + ".dtype")) {
                if (const auto dt = parseDType(*name)) {
                    t.dtype = *dt;
                } else {
                    error(p + ".dtype", "unknown dtype '" + *name + "'" + didYouMean(*name, dtypeNames()) +
                                            " (one of f64, f32, f16, bf16, i64, i32, i8, u8)");
                    ok = false;
                }
            } else {
                ok = false;
            }
        }
        if (f.contains("shape")) {
            const auto& shape = f.at("shape").value;
            if (!shape.IsSequence() || shape.size() == 0) {
                error(p + ".shape", "'" + p + ".shape' must be a non-empty list of dims, not " + describe(shape));
                ok = false;
            } else {
                for (std::size_t d = 0; d < shape.size(); ++d) {
                    const auto dp = indexed(p + ".shape", d);
                    record(dp, shape[d], shape);
                    if (shape[d].IsScalar()) {
                        t.shape.push_back(shape[d].Scalar());
                    } else {
                        error(dp, "'" + dp + "' must be a param, an integer or a formula, not " + describe(shape[d]));
                        ok = false;
                    }
                }
            }
        }
        t.init = defaultInit(t.dtype);
        if (inputs && f.contains("init")) {
            const auto parsed = init(f.at("init").value, p + ".init", t.dtype);
            ok = ok && parsed.has_value();
            t.init = parsed.value_or(t.init);
        }
        m_out.structurally_ok = m_out.structurally_ok && ok;
        out.push_back(std::move(t));
    }
    return out;
}

void Reader::tolerance(const std::map<std::string, Field>& top) {
    // Defaults come from the least precise output type, then the spec overrides them key by key.
    Tolerance tol{};
    for (const auto& out : m_out.spec.outputs) {
        const auto d = defaultTolerance(out.dtype);
        tol.rel_l2 = std::max(tol.rel_l2, d.rel_l2);
        tol.rtol = std::max(tol.rtol, d.rtol);
        tol.atol = std::max(tol.atol, d.atol);
    }
    if (const auto it = top.find("tolerance"); it != top.end()) {
        const auto& v = it->second.value;
        if (!v.IsMap()) {
            error("tolerance", "'tolerance' must be a mapping like {rel_l2: 1e-5, rtol: 1e-4, atol: 1e-4}, not " +
                                   describe(v));
        } else {
            const auto f = fields(v, "tolerance", kToleranceKeys);
            const auto read = [&](const std::string& key, double& dst) {
                if (const auto fit = f.find(key); fit != f.end()) {
                    if (const auto d = number(fit->second.value, "tolerance." + key)) {
                        if (*d < 0.0) {
                            error("tolerance." + key, "'tolerance." + key + "' must be >= 0");
                        } else {
                            dst = *d;
                        }
                    }
                }
            };
            read("rel_l2", tol.rel_l2);
            read("rtol", tol.rtol);
            read("atol", tol.atol);
        }
    }
    m_out.spec.tolerance = tol;
}

void Reader::sizes(const YAML::Node& v, const std::string& path) {
    const auto& params = m_out.spec.params;
    if (!v.IsSequence() || v.size() == 0) {
        error(path, "'sizes' must be a non-empty list of mappings from param to value, not " + describe(v));
        m_out.structurally_ok = false;
        return;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto p = indexed(path, i);
        record(p, v[i], v);
        SizeCase size;
        size.values.assign(params.size(), 0);
        bool ok = true;
        if (!v[i].IsMap()) {
            error(p, "'" + p + "' must be a mapping like {" + (params.empty() ? "n" : params[0]) + ": 1024}, not " +
                         describe(v[i]));
            m_out.structurally_ok = false;
            m_out.spec.sizes.push_back(size);
            continue;
        }
        const auto f = fields(v[i], p, params);
        for (std::size_t k = 0; k < params.size(); ++k) {
            const auto it = f.find(params[k]);
            if (it == f.end()) {
                m_diags.error(posOf(v[i]), "'" + p + "' has no value for param '" + params[k] + "'");
                ok = false;
                continue;
            }
            const auto vp = p + "." + params[k];
            int64_t value = 0;
            if (!it->second.value.IsScalar() || !YAML::convert<int64_t>::decode(it->second.value, value) ||
                value <= 0) {
                error(vp, "'" + vp + "' must be a positive integer, not " + describe(it->second.value));
                ok = false;
                continue;
            }
            size.values[k] = value;
        }
        ok = ok && f.size() == params.size();
        m_out.structurally_ok = m_out.structurally_ok && ok;
        m_out.spec.sizes.push_back(size);
    }
}

void Reader::top(const YAML::Node& root) {
    if (!root.IsMap()) {
        m_diags.error(posOf(root), "a spec is a YAML mapping (id, title, params, inputs, ...), not " + describe(root));
        m_out.structurally_ok = false;
        return;
    }
    const auto f = fields(root, "", kTopKeys);
    requireKeys(f, kRequiredTop, root, "");
    m_out.structurally_ok = std::all_of(kRequiredTop.begin(), kRequiredTop.end(),
                                        [&f](const std::string& k) { return f.contains(k); });
    auto& spec = m_out.spec;
    const auto str = [&](const std::string& key, std::string& dst) {
        if (const auto it = f.find(key); it != f.end()) {
            dst = scalar(it->second.value, key).value_or("");
        }
    };
    const auto list = [&](const std::string& key, std::vector<std::string>& dst) {
        if (const auto it = f.find(key); it != f.end()) {
            dst = scalarList(it->second.value, key);
        }
    };
    str("id", spec.id);
    str("title", spec.title);
    str("description", spec.description);
    str("category", spec.category);
    list("tags", spec.tags);
    list("params", spec.params);
    list("rules", spec.rules);
    list("links", spec.links);
    if (const auto it = f.find("inputs"); it != f.end()) {
        spec.inputs = tensors(it->second.value, "inputs", true);
    }
    if (const auto it = f.find("outputs"); it != f.end()) {
        spec.outputs = tensors(it->second.value, "outputs", false);
    }
    if (const auto it = f.find("flops"); it != f.end()) {
        spec.flops = formula(it->second.value, "flops");
    }
    if (const auto it = f.find("bytes"); it != f.end()) {
        spec.bytes = formula(it->second.value, "bytes");
    }
    tolerance(f);
    if (const auto it = f.find("sizes"); it != f.end()) {
        sizes(it->second.value, "sizes");
    }
    str("reference", spec.reference);
    if (const auto it = f.find("baseline"); it != f.end()) {
        const auto text = scalar(it->second.value, "baseline").value_or("");
        const auto first = text.find_first_not_of(" \t\r\n");
        const auto last = text.find_last_not_of(" \t\r\n");
        const bool is_reference = first != std::string::npos && text.substr(first, last - first + 1) == "reference";
        spec.baseline = is_reference ? Baseline{} : Baseline{false, text};
    }
    for (std::size_t i = 0; i < spec.links.size(); ++i) {
        if (std::find(kLibraries.begin(), kLibraries.end(), spec.links[i]) == kLibraries.end()) {
            error(indexed("links", i), "unknown library '" + spec.links[i] + "'" +
                                            didYouMean(spec.links[i], kLibraries) + " (one of cublas, cublasLt)");
        }
    }
}

} // namespace

ParsedSpec parseSpecYaml(std::string_view text, Diagnostics& diags) {
    ParsedSpec out;
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        diags.error({e.mark.line + 1, e.mark.column + 1}, "YAML syntax: " + e.msg);
        return out;
    } catch (const YAML::Exception& e) {
        diags.error({1, 1}, std::string("YAML: ") + e.what());
        return out;
    }
    out.structurally_ok = true;
    out.yaml_ok = root.IsMap();
    Reader reader(text, diags, out);
    reader.top(root);
    return out;
}

} // namespace kf::spec
