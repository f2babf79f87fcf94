// SPDX-License-Identifier: MIT
#include "atomic_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kf::io {
namespace {

constexpr std::size_t kBuffer = 1 << 20;

std::string errnoText(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

void fsyncDir(const std::string& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

} // namespace

AtomicFile::AtomicFile(const std::string& dir, const std::string& name)
    : m_dir(dir)
    , m_final(dir + "/" + name) {
    std::string templ = dir + "/." + name + ".tmp-XXXXXX";
    m_fd = ::mkstemp(templ.data());
    if (m_fd < 0) {
        throw FileError(errnoText("cannot create a temporary file for", m_final));
    }
    m_tmp = templ;
    ::fchmod(m_fd, 0644); // mkstemp makes 0600; what we write is meant to be read by others
    m_ctx = EVP_MD_CTX_new();
    if (m_ctx == nullptr || EVP_DigestInit_ex(m_ctx, EVP_sha256(), nullptr) != 1) {
        ::close(m_fd);
        ::unlink(m_tmp.c_str());
        EVP_MD_CTX_free(m_ctx);
        throw FileError("sha256: cannot initialise");
    }
    m_buf.reserve(kBuffer);
}

AtomicFile::~AtomicFile() {
    if (m_fd >= 0) {
        ::close(m_fd);
        ::unlink(m_tmp.c_str());
    }
    EVP_MD_CTX_free(m_ctx);
}

void AtomicFile::write(std::string_view s) {
    EVP_DigestUpdate(m_ctx, s.data(), s.size());
    m_buf.append(s);
    if (m_buf.size() >= kBuffer) {
        flush();
    }
}

std::string AtomicFile::commit() {
    flush();
    if (::fsync(m_fd) != 0) {
        throw FileError(errnoText("fsync", m_tmp));
    }
    ::close(m_fd);
    m_fd = -1;
    if (::rename(m_tmp.c_str(), m_final.c_str()) != 0) {
        const auto message = errnoText("rename into", m_final);
        ::unlink(m_tmp.c_str());
        throw FileError(message);
    }
    fsyncDir(m_dir);
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(m_ctx, md, &len);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) {
        out.push_back(hex[md[i] >> 4]);
        out.push_back(hex[md[i] & 0xf]);
    }
    return out;
}

void AtomicFile::flush() {
    std::size_t off = 0;
    while (off < m_buf.size()) {
        const auto n = ::write(m_fd, m_buf.data() + off, m_buf.size() - off);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw FileError(errnoText("write", m_tmp));
        }
        off += static_cast<std::size_t>(n);
    }
    m_buf.clear();
}

void writeFileAtomically(const std::string& path, std::string_view text) {
    const std::filesystem::path target(path);
    const auto dir = target.has_parent_path() ? target.parent_path().string() : std::string(".");
    AtomicFile file(dir, target.filename().string());
    file.write(text);
    file.commit();
}

} // namespace kf::io
