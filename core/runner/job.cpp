// SPDX-License-Identifier: MIT
#include "job.h"

#include "spec/spec_json.h"

namespace kf::runner {

namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw JobError(path + ": " + what);
}

const nlohmann::json* member(const nlohmann::json& obj, const char* key) {
    const auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
}

std::string stringAt(const nlohmann::json& obj, const char* key, const std::string& path) {
    const auto* v = member(obj, key);
    if (v == nullptr) {
        fail(path + key, "missing");
    }
    if (!v->is_string()) {
        fail(path + key, "must be a string");
    }
    return v->get<std::string>();
}

JobKind parseKind(const std::string& s) {
    if (s == "run") {
        return JobKind::Run;
    }
    if (s == "compile") {
        return JobKind::Compile;
    }
    if (s == "calibrate") {
        return JobKind::Calibrate;
    }
    fail("kind", "'" + s + "' is not one of run, compile, calibrate");
}

JobOptions parseOptions(const nlohmann::json& o) {
    JobOptions opt;
    if (o.is_null()) {
        return opt;
    }
    if (!o.is_object()) {
        fail("options", "must be an object");
    }
    for (const auto& [key, value] : o.items()) {
        const std::string path = "options." + key;
        const auto needString = [&] {
            if (!value.is_string()) {
                fail(path, "must be a string");
            }
            return value.get<std::string>();
        };
        if (key == "budget") {
            const std::string b = needString();
            if (b != "interactive" && b != "thorough") {
                fail(path, "'" + b + "' is not one of interactive, thorough");
            }
            opt.budget = b == "thorough" ? Budget::Thorough : Budget::Interactive;
        } else if (key == "mode") {
            const std::string m = needString();
            if (m != "cold" && m != "hot") {
                fail(path, "'" + m + "' is not one of cold, hot");
            }
            opt.mode = m == "hot" ? TimingMode::Hot : TimingMode::Cold;
        } else if (key == "arch") {
            opt.arch = needString();
        } else if (key == "seed") {
            if (!value.is_number_unsigned()) {
                fail(path, "must be a non-negative integer");
            }
            opt.seed = value.get<std::uint64_t>();
        } else if (key == "cache_dir") {
            opt.cache_dir = needString();
        } else if (key == "nvcc") {
            opt.nvcc = needString();
        } else if (key == "ceilings") {
            if (!value.is_object() && !value.is_null()) {
                fail(path, "must be an object (a ceilings event)");
            }
            opt.ceilings = value;
        } else if (key == "time_baseline") {
            if (!value.is_boolean()) {
                fail(path, "must be true or false");
            }
            opt.time_baseline = value.get<bool>();
        } else if (key == "samples") {
            if (!value.is_number_integer() || value.get<long long>() < 3 || value.get<long long>() > 100000) {
                fail(path, "must be an integer from 3 to 100000");
            }
            opt.samples = value.get<int>();
        } else {
            fail(path, "unknown option");
        }
    }
    return opt;
}

} // namespace

std::string_view jobKindName(JobKind k) {
    switch (k) {
    case JobKind::Compile:
        return "compile";
    case JobKind::Calibrate:
        return "calibrate";
    case JobKind::Run:
        break;
    }
    return "run";
}

nlohmann::ordered_json jobToJson(const Job& job) {
    nlohmann::ordered_json j;
    j["format"] = kJobFormat;
    j["kind"] = std::string(jobKindName(job.kind));
    if (job.spec) {
        j["spec"] = spec::specToJson(*job.spec);
    }
    if (job.kind != JobKind::Calibrate) {
        j["candidate"] = {{"name", job.candidate_name}, {"source", job.candidate_source}};
    }
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    const JobOptions& opt = job.options;
    o["budget"] = std::string(budgetName(opt.budget));
    o["mode"] = opt.mode == TimingMode::Hot ? "hot" : "cold";
    if (!opt.arch.empty()) {
        o["arch"] = opt.arch;
    }
    if (opt.seed) {
        o["seed"] = *opt.seed;
    }
    if (opt.cache_dir) {
        o["cache_dir"] = *opt.cache_dir;
    }
    if (!opt.nvcc.empty()) {
        o["nvcc"] = opt.nvcc;
    }
    if (!opt.ceilings.is_null()) {
        o["ceilings"] = opt.ceilings;
    }
    o["time_baseline"] = opt.time_baseline;
    if (opt.samples) {
        o["samples"] = *opt.samples;
    }
    j["options"] = std::move(o);
    return j;
}

Job jobFromJson(const nlohmann::json& j) {
    if (!j.is_object()) {
        fail("job", "must be a JSON object");
    }
    const auto fmt = j.find("format");
    if (fmt == j.end() || !fmt->is_string() || *fmt != kJobFormat) {
        fail("format", std::string("must be \"") + kJobFormat + "\"");
    }
    Job job;
    job.kind = parseKind(stringAt(j, "kind", ""));
    if (job.kind != JobKind::Calibrate) {
        const auto* s = member(j, "spec");
        if (s == nullptr) {
            fail("spec", "missing (run and compile jobs carry the normalized spec)");
        }
        try {
            job.spec = spec::specFromJson(*s);
        } catch (const spec::SpecJsonError& e) {
            fail("spec", e.what());
        }
        const auto* c = member(j, "candidate");
        if (c == nullptr || !c->is_object()) {
            fail("candidate", "missing (an object with name and source)");
        }
        job.candidate_name = stringAt(*c, "name", "candidate.");
        job.candidate_source = stringAt(*c, "source", "candidate.");
        if (job.candidate_name.empty()) {
            fail("candidate.name", "must not be empty");
        }
    }
    job.options = parseOptions(j.contains("options") ? j.at("options") : nlohmann::json());
    return job;
}

} // namespace kf::runner
