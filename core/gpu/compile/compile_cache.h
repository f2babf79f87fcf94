// SPDX-License-Identifier: MIT
#pragma once

#include "compile_result.h"
#include "nvcc_toolkit.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kf::gpu::compile {

// What a compile depends on, and its hash, which names the cache entry.
struct CacheKey {
    std::string hash;        // sha256 (hex) of material.dump()
    nlohmann::json material; // {"format", "tu", "argv", "nvcc_version", "arch"}: stored and compared on a hit
};

// The argv is taken whole: it runs in a private directory with relative input and output names, so nothing in
// it varies from one compile to the next, while the toolkit paths it names (nvcc, the rpath) belong in the
// key.
CacheKey compileCacheKey(std::string_view translation_unit, const std::vector<std::string>& argv,
                         std::string_view nvcc_version, std::string_view arch);

// $XDG_CACHE_HOME/kernelforge/compile, else $HOME/.cache/kernelforge/compile; empty when neither is set.
std::string defaultCompileCacheDir(const EnvLookup& env = processEnvironment());

// Compile results on disk: <dir>/<hash>.json (the key material and the result) and, for a compile that
// succeeded, <dir>/<hash>.so. Failed compiles are kept too: the same source fails the same way. Files are
// written to a temporary name and renamed, the library before the json, so a concurrent reader sees whole
// entries or none. A directory that cannot be created or written turns the cache off with a note; nothing
// about the cache ever fails a compile.
class CompileCache {
public:
    explicit CompileCache(std::string dir); // "" : off, without a note (the job asked for no cache)

    bool enabled() const { return m_enabled; }
    const std::string& dir() const { return m_dir; }
    const std::string& note() const { return m_note; } // why it is off, when it should have been on

    // The stored result, when the entry exists, its key material equals `key`'s and its library is intact
    // (size and sha256 as stored). so_path then names the cached library; cached is set.
    std::optional<CompileResult> lookup(const CacheKey& key) const;

    // Stores `result` (and, when ok, a copy of the library at result.so_path). Returns "" or what went wrong.
    std::string store(const CacheKey& key, const CompileResult& result) const;

private:
    std::string m_dir;
    bool m_enabled = false;
    std::string m_note;
};

} // namespace kf::gpu::compile
