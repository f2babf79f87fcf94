// SPDX-License-Identifier: MIT
#include "nvcc_toolkit.h"

#include "compiler_environment.h"
#include "proc/command.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>
#include <regex>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

bool isExecutableFile(const std::string& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

} // namespace

EnvLookup processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* v = std::getenv(name.c_str());
        return v != nullptr ? std::optional<std::string>(v) : std::nullopt;
    };
}

NvccLookup findNvcc(std::string_view explicit_path, const EnvLookup& env) {
    if (!explicit_path.empty()) {
        const std::string path(explicit_path);
        if (isExecutableFile(path)) {
            return {path, {}};
        }
        return {{}, "nvcc not found: '" + path + "' (the job's nvcc option) is not an executable file"};
    }
    std::vector<std::string> tried;
    const auto consider = [&](const std::string& path) {
        tried.push_back(path);
        return isExecutableFile(path);
    };
    for (const char* var : {"CUDA_HOME", "CUDA_PATH"}) {
        const auto root = env(var);
        if (root && !root->empty() && consider((fs::path(*root) / "bin" / "nvcc").string())) {
            return {tried.back(), {}};
        }
    }
    if (const auto path = env("PATH")) {
        std::size_t start = 0;
        while (start <= path->size()) {
            auto end = path->find(':', start);
            if (end == std::string::npos) {
                end = path->size();
            }
            const std::string dir = path->substr(start, end - start);
            if (!dir.empty() && consider((fs::path(dir) / "nvcc").string())) {
                return {tried.back(), {}};
            }
            start = end + 1;
        }
    }
    if (consider("/usr/local/cuda/bin/nvcc")) {
        return {tried.back(), {}};
    }
    std::string error = "nvcc not found (install the CUDA toolkit or set CUDA_HOME); tried:";
    for (const auto& t : tried) {
        error += " " + t;
    }
    return {{}, error};
}

std::string toolkitLibDir(std::string_view nvcc_path) {
    const fs::path root = fs::path(nvcc_path).parent_path().parent_path();
    std::vector<fs::path> candidates = {root / "lib64"};
    std::error_code ec;
    if (fs::is_directory(root / "targets", ec)) {
        for (const auto& entry : fs::directory_iterator(root / "targets", ec)) {
            candidates.push_back(entry.path() / "lib");
        }
    }
    candidates.push_back(root / "lib");
    for (const auto& c : candidates) {
        if (fs::exists(c / "libcudart.so", ec) || fs::exists(c / "libcudart.so.13", ec)) {
            return c.lexically_normal().string();
        }
    }
    for (const auto& c : candidates) {
        if (fs::is_directory(c, ec)) {
            return c.lexically_normal().string();
        }
    }
    return {};
}

std::optional<std::string> parseNvccVersion(std::string_view version_output) {
    static const std::regex release(R"(release \d+\.\d+, V(\d+\.\d+\.\d+))");
    const std::string text(version_output);
    std::smatch m;
    if (std::regex_search(text, m, release)) {
        return m[1].str();
    }
    return std::nullopt;
}

NvccVersion nvccVersion(const std::string& nvcc_path) {
    static std::mutex mutex;
    static std::map<std::string, std::string> known;
    // Held while nvcc runs, so that three roles compiled at once ask it once.
    const std::lock_guard lock(mutex);
    if (const auto it = known.find(nvcc_path); it != known.end()) {
        return {it->second, {}};
    }
    proc::Command cmd;
    cmd.argv = {nvcc_path, "--version"};
    cmd.env = compilerEnvironment();
    cmd.timeout = std::chrono::seconds(30);
    const auto r = proc::runCommand(cmd);
    if (!r.ok()) {
        return {{}, "'" + nvcc_path + " --version' " + r.describe() + (r.err.empty() ? "" : ": " + r.err)};
    }
    const auto version = parseNvccVersion(r.out);
    if (!version) {
        return {{}, "'" + nvcc_path + " --version' printed no release version: " + r.out.substr(0, 300)};
    }
    known.emplace(nvcc_path, *version);
    return {*version, {}};
}

} // namespace kf::gpu::compile
