// SPDX-License-Identifier: MIT
#include "ceilings_store.h"

#include "io/atomic_file.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace kf::roofline {

namespace fs = std::filesystem;

namespace {

// A UUID from a device becomes a file name: keep it to characters that are safe everywhere.
std::string fileNameFor(const std::string& uuid) {
    std::string name;
    for (const char c : uuid) {
        const bool ok =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
        name += ok ? c : '_';
    }
    return name + ".json";
}

std::optional<nlohmann::json> readJson(const fs::path& p) {
    std::ifstream in(p);
    if (!in) {
        return std::nullopt;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto j = nlohmann::json::parse(ss.str(), nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        return std::nullopt;
    }
    return j;
}

} // namespace

CeilingsStore::CeilingsStore(std::string dir)
    : dir_(std::move(dir)) {}

std::string CeilingsStore::defaultDir() {
    fs::path base;
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x && fs::path(x).is_absolute()) {
        base = x;
    } else if (const char* home = std::getenv("HOME"); home && *home) {
        base = fs::path(home) / ".local" / "share";
    } else {
        base = fs::temp_directory_path();
    }
    return (base / "kernelforge" / "ceilings").string();
}

std::string CeilingsStore::save(const nlohmann::json& ev) const {
    const std::string uuid = ev.value("/device/uuid"_json_pointer, std::string());
    if (uuid.empty()) {
        return "the ceilings carry no device UUID, so they cannot be filed under their GPU";
    }
    std::error_code ec;
    fs::create_directories(dir_, ec);
    if (ec) {
        return "cannot create " + dir_ + ": " + ec.message();
    }
    try {
        io::writeFileAtomically((fs::path(dir_) / fileNameFor(uuid)).string(), ev.dump(1) + "\n");
    } catch (const io::FileError& e) {
        return e.what();
    }
    return {};
}

std::optional<nlohmann::json> CeilingsStore::forDevice(const std::string& uuid) const {
    return readJson(fs::path(dir_) / fileNameFor(uuid));
}

std::vector<nlohmann::json> CeilingsStore::all() const {
    std::vector<std::pair<fs::file_time_type, nlohmann::json>> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.path().extension() == ".json") {
            if (auto j = readJson(entry.path())) {
                found.emplace_back(entry.last_write_time(ec), std::move(*j));
            }
        }
    }
    std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::vector<nlohmann::json> out;
    for (auto& f : found) {
        out.push_back(std::move(f.second));
    }
    return out;
}

} // namespace kf::roofline
