// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

// The example library: resources/specs/*.kspec.yaml, sorted.
inline std::vector<std::filesystem::path> exampleSpecs() {
    std::vector<std::filesystem::path> out;
    for (const auto& e : std::filesystem::directory_iterator(std::filesystem::path(KF_SOURCE_DIR) / "resources/specs")) {
        if (e.path().string().ends_with(".kspec.yaml")) {
            out.push_back(e.path());
        }
    }
    std::sort(out.begin(), out.end());
    return out;
}

inline std::string specStem(const std::filesystem::path& p) {
    const auto name = p.filename().string();
    return name.substr(0, name.size() - std::string(".kspec.yaml").size());
}
