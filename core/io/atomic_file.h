// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

typedef struct evp_md_ctx_st EVP_MD_CTX;

namespace kf::io {

// What went wrong and on which file, with the system's reason.
class FileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A file written under a temporary name in its final directory, hashed as it goes, and renamed into place by
// commit() after fsync (and an fsync of the directory): readers see no file or a whole one, also after a
// crash. Dropped without commit(), the temporary goes away. What is written goes to the disk as it is
// written, a few MB behind, and leaves the page cache once it is there (so that commit()'s fsync has little
// left to wait for, and a large file does not crowd out what others cache). Throws FileError.
class AtomicFile {
public:
    AtomicFile(const std::string& dir, const std::string& name);
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;
    ~AtomicFile();

    void write(std::string_view s);
    std::string commit(); // returns the sha256 (hex) of what was written

private:
    void flush();
    void writeAll(std::string_view s);
    void startWriteback();

    std::string m_dir;
    std::string m_final;
    std::string m_tmp;
    std::string m_buf;
    int m_fd = -1;
    std::size_t m_written = 0;         // bytes handed to write(2)
    std::size_t m_writeback_begin = 0; // the window whose writeback was started last: [begin, end)
    std::size_t m_writeback_end = 0;
    EVP_MD_CTX* m_ctx = nullptr;
};

// The whole of `text` into `path`, atomically (an AtomicFile in path's directory). Throws FileError.
void writeFileAtomically(const std::string& path, std::string_view text);

} // namespace kf::io
