// SPDX-License-Identifier: MIT
#include "spec_json.h"

#include "launcher.h"

namespace kf::spec {
namespace {

using ojson = nlohmann::ordered_json;
using json = nlohmann::json;

ojson initToJson(const InitDist& init) {
    if (init.kind == InitDist::Kind::Uniform) {
        return ojson{{"dist", "uniform"}, {"low", init.a}, {"high", init.b}};
    }
    return ojson{{"dist", "normal"}, {"mean", init.a}, {"std", init.b}};
}

ojson tensorToJson(const Tensor& t, bool with_init) {
    ojson j{{"name", t.name}, {"dtype", std::string(dtypeName(t.dtype))}, {"shape", t.shape}};
    if (with_init) {
        j["init"] = initToJson(t.init);
    }
    return j;
}

// Path-tracking accessors: every structural problem names where it is.
const json& at(const json& j, const std::string& key, const std::string& path) {
    if (!j.is_object()) {
        throw SpecJsonError(path + ": expected an object");
    }
    const auto it = j.find(key);
    if (it == j.end()) {
        throw SpecJsonError((path.empty() ? key : path + "." + key) + ": missing");
    }
    return *it;
}

std::string join(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

std::string str(const json& j, const std::string& key, const std::string& path) {
    const auto& v = at(j, key, path);
    if (!v.is_string()) {
        throw SpecJsonError(join(path, key) + ": expected a string");
    }
    return v.get<std::string>();
}

double num(const json& j, const std::string& key, const std::string& path) {
    const auto& v = at(j, key, path);
    if (!v.is_number()) {
        throw SpecJsonError(join(path, key) + ": expected a number");
    }
    return v.get<double>();
}

const json& arr(const json& j, const std::string& key, const std::string& path) {
    const auto& v = at(j, key, path);
    if (!v.is_array()) {
        throw SpecJsonError(join(path, key) + ": expected an array");
    }
    return v;
}

std::vector<std::string> strings(const json& j, const std::string& key, const std::string& path) {
    std::vector<std::string> out;
    const auto& a = arr(j, key, path);
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!a[i].is_string()) {
            throw SpecJsonError(join(path, key) + "[" + std::to_string(i) + "]: expected a string");
        }
        out.push_back(a[i].get<std::string>());
    }
    return out;
}

InitDist initFromJson(const json& j, const std::string& path) {
    const auto dist = str(j, "dist", path);
    if (dist == "normal") {
        return {InitDist::Kind::Normal, num(j, "mean", path), num(j, "std", path)};
    }
    if (dist == "uniform") {
        return {InitDist::Kind::Uniform, num(j, "low", path), num(j, "high", path)};
    }
    throw SpecJsonError(path + ".dist: unknown distribution '" + dist + "'");
}

std::vector<Tensor> tensorsFromJson(const json& j, const std::string& key, bool with_init) {
    std::vector<Tensor> out;
    const auto& a = arr(j, key, "");
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto path = key + "[" + std::to_string(i) + "]";
        Tensor t;
        t.name = str(a[i], "name", path);
        const auto dtype = str(a[i], "dtype", path);
        const auto parsed = parseDType(dtype);
        if (!parsed) {
            throw SpecJsonError(path + ".dtype: unknown dtype '" + dtype + "'");
        }
        t.dtype = *parsed;
        t.shape = strings(a[i], "shape", path);
        if (with_init) {
            t.init = initFromJson(at(a[i], "init", path), path + ".init");
        }
        out.push_back(std::move(t));
    }
    return out;
}

int64_t integer(const json& v, const std::string& path) {
    if (!v.is_number_integer()) {
        throw SpecJsonError(path + ": expected an integer");
    }
    return v.get<int64_t>();
}

SizeCase sizeFromJson(const json& j, const Spec& spec, const std::string& path) {
    SizeCase size;
    const auto& params = at(j, "params", path);
    for (const auto& p : spec.params) {
        size.values.push_back(integer(at(params, p, path + ".params"), path + ".params." + p));
    }
    if (params.size() != spec.params.size()) {
        throw SpecJsonError(path + ".params: expected exactly the spec's " + std::to_string(spec.params.size()) +
                            " params");
    }
    size.flops = num(j, "flops", path);
    size.bytes = num(j, "bytes", path);
    const auto& shapes = at(j, "shapes", path);
    for (const auto* t : spec.tensors()) {
        const auto tpath = path + ".shapes." + t->name;
        const auto& dims = at(shapes, t->name, path + ".shapes");
        if (!dims.is_array() || dims.size() != t->shape.size()) {
            throw SpecJsonError(tpath + ": expected " + std::to_string(t->shape.size()) + " dims");
        }
        std::vector<int64_t> d;
        for (std::size_t k = 0; k < dims.size(); ++k) {
            d.push_back(integer(dims[k], tpath + "[" + std::to_string(k) + "]"));
        }
        size.dims.push_back(std::move(d));
    }
    return size;
}

} // namespace

ojson specToJson(const Spec& spec) {
    ojson j;
    j["format"] = kSpecJsonFormat;
    j["id"] = spec.id;
    j["title"] = spec.title;
    j["description"] = spec.description;
    j["category"] = spec.category;
    j["tags"] = spec.tags;
    j["params"] = spec.params;
    j["inputs"] = ojson::array();
    for (const auto& t : spec.inputs) {
        j["inputs"].push_back(tensorToJson(t, true));
    }
    j["outputs"] = ojson::array();
    for (const auto& t : spec.outputs) {
        j["outputs"].push_back(tensorToJson(t, false));
    }
    j["flops"] = spec.flops;
    j["bytes"] = spec.bytes;
    j["tolerance"] = {{"rel_l2", spec.tolerance.rel_l2}, {"rtol", spec.tolerance.rtol}, {"atol", spec.tolerance.atol}};
    j["sizes"] = ojson::array();
    const auto tensors = spec.tensors();
    for (const auto& size : spec.sizes) {
        ojson params = ojson::object();
        for (std::size_t i = 0; i < spec.params.size() && i < size.values.size(); ++i) {
            params[spec.params[i]] = size.values[i];
        }
        ojson shapes = ojson::object();
        for (std::size_t i = 0; i < tensors.size() && i < size.dims.size(); ++i) {
            shapes[tensors[i]->name] = size.dims[i];
        }
        j["sizes"].push_back({{"params", params}, {"flops", size.flops}, {"bytes", size.bytes}, {"shapes", shapes}});
    }
    j["reference"] = spec.reference;
    if (spec.baseline.is_reference) {
        j["baseline"] = {{"kind", "reference"}};
    } else {
        j["baseline"] = {{"kind", "source"}, {"source", spec.baseline.source}};
    }
    j["links"] = spec.links;
    j["rules"] = spec.rules;
    j["launcher"] = {{"symbol_args", launcherArgs(spec)}, {"prototype", launcherPrototype(spec)}};
    return j;
}

Spec specFromJson(const json& j) {
    if (!j.is_object()) {
        throw SpecJsonError("spec: expected a JSON object");
    }
    const auto format = str(j, "format", "");
    if (format != kSpecJsonFormat) {
        throw SpecJsonError("format: expected '" + std::string(kSpecJsonFormat) + "', got '" + format + "'");
    }
    Spec spec;
    spec.id = str(j, "id", "");
    spec.title = str(j, "title", "");
    spec.description = str(j, "description", "");
    spec.category = str(j, "category", "");
    spec.tags = strings(j, "tags", "");
    spec.params = strings(j, "params", "");
    spec.inputs = tensorsFromJson(j, "inputs", true);
    spec.outputs = tensorsFromJson(j, "outputs", false);
    spec.flops = str(j, "flops", "");
    spec.bytes = str(j, "bytes", "");
    const auto& tol = at(j, "tolerance", "");
    spec.tolerance = {num(tol, "rel_l2", "tolerance"), num(tol, "rtol", "tolerance"), num(tol, "atol", "tolerance")};
    const auto& sizes = arr(j, "sizes", "");
    for (std::size_t i = 0; i < sizes.size(); ++i) {
        spec.sizes.push_back(sizeFromJson(sizes[i], spec, "sizes[" + std::to_string(i) + "]"));
    }
    spec.reference = str(j, "reference", "");
    const auto& baseline = at(j, "baseline", "");
    const auto kind = str(baseline, "kind", "baseline");
    if (kind == "source") {
        spec.baseline = {false, str(baseline, "source", "baseline")};
    } else if (kind != "reference") {
        throw SpecJsonError("baseline.kind: expected 'reference' or 'source', got '" + kind + "'");
    }
    spec.links = strings(j, "links", "");
    spec.rules = strings(j, "rules", "");
    return spec;
}

} // namespace kf::spec
