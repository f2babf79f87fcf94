// SPDX-License-Identifier: MIT
#include "run_summary.h"

#include <algorithm>

namespace kf::runner {

namespace {

std::string str(const nlohmann::json& ev, const char* key) {
    const auto it = ev.find(key);
    return it != ev.end() && it->is_string() ? it->get<std::string>() : std::string();
}

double number(const nlohmann::json& ev, const char* key, double fallback = 0) {
    const auto it = ev.find(key);
    return it != ev.end() && it->is_number() ? it->get<double>() : fallback;
}

} // namespace

RunSummary::SizeRow& RunSummary::row(int index) {
    const auto it =
        std::find_if(sizes_.begin(), sizes_.end(), [&](const SizeRow& r) { return r.index == index; });
    if (it != sizes_.end()) {
        return *it;
    }
    SizeRow r;
    r.index = index;
    sizes_.push_back(std::move(r));
    return sizes_.back();
}

void RunSummary::add(const nlohmann::json& ev) {
    if (!ev.is_object()) {
        return;
    }
    events_.push_back(ev);
    const std::string kind = str(ev, "event");
    if (kind == "hello") {
        device_ = ev.value("device", nlohmann::json());
        harness_version_ = str(ev, "harness_version");
    } else if (kind == "stage") {
        stage_ = str(ev, "stage");
    } else if (kind == "compiled") {
        Compiled c;
        c.role = str(ev, "role");
        c.ok = ev.value("ok", false);
        c.cached = ev.value("cached", false);
        c.seconds = number(ev, "seconds");
        c.diagnostics = ev.value("diagnostics", nlohmann::json::array());
        c.kernels = ev.value("kernels", nlohmann::json::array());
        compiled_.push_back(std::move(c));
    } else if (kind == "checked") {
        SizeRow& r = row(static_cast<int>(number(ev, "size_index")));
        r.size = ev.value("size", nlohmann::json::object());
        ++r.checks;
        if (ev.value("ok", false)) {
            ++r.checks_ok;
        }
        if (const auto it = ev.find("rel_l2"); it != ev.end() && it->is_number()) {
            r.worst_rel_l2 = std::max(r.worst_rel_l2.value_or(0.0), it->get<double>());
        }
        for (const auto& p : ev.value("problems", nlohmann::json::array())) {
            if (p.is_string() &&
                std::find(r.problems.begin(), r.problems.end(), p.get<std::string>()) == r.problems.end()) {
                r.problems.push_back(p.get<std::string>());
            }
        }
    } else if (kind == "timed") {
        SizeRow& r = row(static_cast<int>(number(ev, "size_index")));
        r.size = ev.value("size", nlohmann::json::object());
        (str(ev, "who") == "baseline" ? r.baseline : r.candidate) = ev;
    } else if (kind == "ceilings") {
        ceilings_ = ev;
    } else if (kind == "error") {
        errors_.push_back(str(ev, "stage") + ": " + str(ev, "message"));
    } else if (kind == "done") {
        done_ = ev;
        stage_.clear();
    }
}

std::string RunSummary::verdict() const {
    return done_.is_object() ? str(done_, "verdict") : std::string();
}

std::optional<double> RunSummary::speedup() const {
    if (done_.is_object()) {
        if (const auto it = done_.find("speedup"); it != done_.end() && it->is_number()) {
            return it->get<double>();
        }
    }
    return std::nullopt;
}

} // namespace kf::runner
