// SPDX-License-Identifier: MIT
#include "compile_cache.h"

#include "sha256.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFormat = "kernelforge.compile-cache/1";

std::optional<std::string> readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return std::nullopt;
    }
    std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        return std::nullopt;
    }
    return data;
}

// Writes `data` to a temporary file beside `target` and renames it over `target`.
std::string writeAtomically(const fs::path& target, std::string_view data, mode_t mode) {
    std::string tmp = (target.parent_path() / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    const int fd = ::mkstemp(tmp.data());
    if (fd < 0) {
        return "cannot create a temporary file in " + target.parent_path().string() + ": " +
               std::strerror(errno);
    }
    std::size_t done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            const std::string error = "cannot write " + tmp + ": " + std::strerror(errno);
            ::close(fd);
            ::unlink(tmp.c_str());
            return error;
        }
        done += static_cast<std::size_t>(n);
    }
    ::fchmod(fd, mode);
    if (::close(fd) != 0 || std::rename(tmp.c_str(), target.c_str()) != 0) {
        const std::string error = "cannot write " + target.string() + ": " + std::strerror(errno);
        ::unlink(tmp.c_str());
        return error;
    }
    return {};
}

} // namespace

CacheKey compileCacheKey(std::string_view translation_unit, const std::vector<std::string>& argv,
                         std::string_view nvcc_version, std::string_view arch) {
    CacheKey key;
    key.material = {{"format", kFormat},
                    {"tu", translation_unit},
                    {"argv", argv},
                    {"nvcc_version", nvcc_version},
                    {"arch", arch}};
    key.hash = sha256Hex(key.material.dump());
    return key;
}

std::string defaultCompileCacheDir(const EnvLookup& env) {
    if (const auto xdg = env("XDG_CACHE_HOME"); xdg && !xdg->empty()) {
        return (fs::path(*xdg) / "kernelforge" / "compile").string();
    }
    if (const auto home = env("HOME"); home && !home->empty()) {
        return (fs::path(*home) / ".cache" / "kernelforge" / "compile").string();
    }
    return {};
}

CompileCache::CompileCache(std::string dir)
    : m_dir(std::move(dir)) {
    if (m_dir.empty()) {
        return;
    }
    std::error_code ec;
    fs::create_directories(m_dir, ec);
    if (ec) {
        m_note = "compile cache off: cannot create " + m_dir + ": " + ec.message();
        return;
    }
    if (::access(m_dir.c_str(), R_OK | W_OK | X_OK) != 0) {
        m_note = "compile cache off: cannot write " + m_dir + ": " + std::strerror(errno);
        return;
    }
    m_enabled = true;
}

std::optional<CompileResult> CompileCache::lookup(const CacheKey& key) const {
    if (!m_enabled) {
        return std::nullopt;
    }
    const auto text = readFile(fs::path(m_dir) / (key.hash + ".json"));
    if (!text) {
        return std::nullopt;
    }
    // A corrupt, foreign or colliding entry is a miss: the next store replaces it.
    try {
        const auto entry = nlohmann::json::parse(*text);
        if (entry.at("format") != kFormat || entry.at("key") != key.material) {
            return std::nullopt;
        }
        auto result = compileResultFromJson(entry.at("result"));
        if (result.ok) {
            const auto so = fs::path(m_dir) / (key.hash + ".so");
            const auto bytes = readFile(so);
            if (!bytes || bytes->size() != entry.at("so_bytes").get<std::size_t>() ||
                sha256Hex(*bytes) != entry.at("so_sha256").get<std::string>()) {
                return std::nullopt;
            }
            result.so_path = so.string();
        }
        result.cached = true;
        return result;
    } catch (const nlohmann::json::exception&) {
        return std::nullopt;
    }
}

std::string CompileCache::store(const CacheKey& key, const CompileResult& result) const {
    if (!m_enabled) {
        return "compile cache off";
    }
    nlohmann::json entry = {
        {"format", kFormat}, {"key", key.material}, {"result", compileResultToJson(result)}};
    if (result.ok) {
        const auto bytes = readFile(result.so_path);
        if (!bytes) {
            return "cannot read " + result.so_path;
        }
        if (auto error = writeAtomically(fs::path(m_dir) / (key.hash + ".so"), *bytes, 0755);
            !error.empty()) {
            return error;
        }
        entry["so_bytes"] = bytes->size();
        entry["so_sha256"] = sha256Hex(*bytes);
    }
    return writeAtomically(fs::path(m_dir) / (key.hash + ".json"), entry.dump(), 0644);
}

} // namespace kf::gpu::compile
