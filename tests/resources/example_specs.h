// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

// The example library: resources/specs/*.kspec.yaml, sorted.
inline std::vector<std::filesystem::path> exampleSpecs() {
    std::vector<std::filesystem::path> out;
    for (const auto& e :
         std::filesystem::directory_iterator(std::filesystem::path(KF_SOURCE_DIR) / "resources/specs")) {
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

// Test parameters are spec ids (printable, stable names); this finds the file again.
inline std::filesystem::path specPath(const std::string& id) {
    return std::filesystem::path(KF_SOURCE_DIR) / "resources/specs" / (id + ".kspec.yaml");
}

inline std::vector<std::string> exampleSpecIds() {
    std::vector<std::string> ids;
    for (const auto& p : exampleSpecs()) {
        ids.push_back(specStem(p));
    }
    return ids;
}

// "softmax-rows-f32" -> "softmax_rows_f32": gtest names allow only letters, digits and '_'.
inline std::string testName(std::string name) {
    std::replace_if(
        name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
    return name;
}
