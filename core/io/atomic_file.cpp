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
// A write at least this large goes to write(2) as it is: copying it through the buffer first would only
// cost a memcpy.
constexpr std::size_t kWriteThrough = kBuffer / 4;
// Written data is handed to the disk in windows of this size as it is written (see startWriteback).
constexpr std::size_t kWriteback = std::size_t{8} << 20;

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
    if (s.size() >= kWriteThrough) {
        flush();
        writeAll(s);
        return;
    }
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
    writeAll(m_buf);
    m_buf.clear();
}

void AtomicFile::writeAll(std::string_view s) {
    std::size_t off = 0;
    while (off < s.size()) {
        const auto n = ::write(m_fd, s.data() + off, s.size() - off);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw FileError(errnoText("write", m_tmp));
        }
        off += static_cast<std::size_t>(n);
    }
    m_written += s.size();
    startWriteback();
}

// Left to itself, the kernel lets a file's dirty pages pile up (up to a tenth of memory) and writes them back
// at the fsync: the disk idles while the file is written, then the fsync waits for all of it. So each full
// window of kWriteback bytes is handed to the disk at once (SYNC_FILE_RANGE_WRITE, which does not wait), and
// the window before it is waited for and dropped from the page cache: at most two windows of a file are in
// memory, the disk works while the file is written, and commit()'s fsync finds little left to do. Dropping
// what is written keeps a 2 GB export from pushing everything else (the store's pages) out of the page cache,
// and the next pages written reuse the ones just dropped: on this project's VMs, whose free memory goes back
// to the host, a page the guest has not touched lately costs a fault on the host, and writing 1 GB and
// fsyncing it took 2-4x as long without this (0.7 s against 1.5-3 s). Errors are not checked here: the fsync
// reports them. This is no durability promise (sync_file_range flushes neither metadata nor the disk's
// cache): commit() still fsyncs before it renames.
void AtomicFile::startWriteback() {
#if defined(__linux__)
    if (m_written - m_writeback_end < kWriteback) {
        return;
    }
    const auto begin = static_cast<off_t>(m_writeback_end);
    const auto end = static_cast<off_t>(m_written);
    ::sync_file_range(m_fd, begin, end - begin, SYNC_FILE_RANGE_WRITE);
    if (m_writeback_begin < m_writeback_end) {
        const auto prev = static_cast<off_t>(m_writeback_begin);
        ::sync_file_range(m_fd, prev, begin - prev,
                          SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE | SYNC_FILE_RANGE_WAIT_AFTER);
        ::posix_fadvise(m_fd, prev, begin - prev, POSIX_FADV_DONTNEED);
    }
    m_writeback_begin = m_writeback_end;
    m_writeback_end = m_written;
#endif
}

void writeFileAtomically(const std::string& path, std::string_view text) {
    const std::filesystem::path target(path);
    const auto dir = target.has_parent_path() ? target.parent_path().string() : std::string(".");
    AtomicFile file(dir, target.filename().string());
    file.write(text);
    file.commit();
}

} // namespace kf::io
