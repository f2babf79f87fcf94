// SPDX-License-Identifier: MIT
#include "shard_writer.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace kf::dataset::detail {

namespace {

constexpr std::size_t kChunk = std::size_t{256} << 10; // bytes handed to the worker at a time
constexpr std::size_t kMaxQueued = 64; // tasks waiting: at most ~16 MB in flight, which rides out an fsync

} // namespace

FileWorker::FileWorker()
    : m_thread([this] { run(); }) {}

FileWorker::~FileWorker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_tasks.clear();
    }
    m_changed.notify_all();
    m_thread.join();
}

void FileWorker::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_changed.wait(lock, [&] { return m_stop || !m_tasks.empty(); });
        if (m_stop) {
            return;
        }
        auto task = std::move(m_tasks.front());
        m_tasks.pop_front();
        m_busy = true;
        lock.unlock();
        std::exception_ptr error;
        try {
            task();
        } catch (...) {
            error = std::current_exception();
        }
        task = nullptr; // what it captured goes now, outside the lock
        lock.lock();
        m_busy = false;
        if (error && !m_error) {
            m_error = error;
            m_tasks.clear();
        }
        m_changed.notify_all();
    }
}

void FileWorker::rethrow() {
    if (m_error) {
        auto e = m_error;
        m_error = nullptr;
        std::rethrow_exception(e);
    }
}

void FileWorker::post(std::function<void()> task) {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_error || m_tasks.size() < kMaxQueued; });
    rethrow();
    m_tasks.push_back(std::move(task));
    m_changed.notify_all();
}

void FileWorker::drain() {
    std::unique_lock lock(m_mutex);
    m_changed.wait(lock, [&] { return m_error || (m_tasks.empty() && !m_busy); });
    rethrow();
}

std::string FileWorker::takeBuffer() {
    std::lock_guard lock(m_mutex);
    if (m_free.empty()) {
        std::string b;
        b.reserve(kChunk + (kChunk >> 2));
        return b;
    }
    auto b = std::move(m_free.back());
    m_free.pop_back();
    return b;
}

void FileWorker::giveBuffer(std::string&& buffer) {
    buffer.clear();
    std::lock_guard lock(m_mutex);
    m_free.push_back(std::move(buffer));
}

ShardWriter::ShardWriter(FileWorker& writer, FileWorker& committer, std::string out_dir, std::string config,
                         std::string split, int64_t max_bytes)
    : m_worker(writer)
    , m_committer(committer)
    , m_out(std::move(out_dir))
    , m_config(std::move(config))
    , m_split(std::move(split))
    , m_max(static_cast<std::size_t>(std::max<int64_t>(max_bytes, 1))) {}

void ShardWriter::write(std::string_view head, std::string_view tail) {
    const std::size_t size = head.size() + tail.size();
    if (m_open && m_bytes > 0 && m_bytes + size > m_max) {
        commit();
    }
    if (!m_open) {
        open();
    }
    if (m_pending.capacity() < kChunk) {
        m_pending = m_worker.takeBuffer();
    }
    m_pending += head;
    m_pending += tail;
    m_bytes += size;
    if (m_pending.size() >= kChunk) {
        flush();
    }
}

std::string& ShardWriter::beginLine() {
    if (!m_open) {
        open();
    }
    if (m_pending.capacity() < kChunk) {
        m_pending = m_worker.takeBuffer();
    }
    m_line_start = m_pending.size();
    return m_pending;
}

void ShardWriter::endLine(std::string_view tail) {
    m_pending += tail;
    const std::size_t size = m_pending.size() - m_line_start;
    if (m_bytes > 0 && m_bytes + size > m_max) {
        // The line opens the next shard: what came before it closes this one.
        std::string line = m_pending.substr(m_line_start);
        m_pending.resize(m_line_start);
        commit();
        open();
        m_pending = m_worker.takeBuffer();
        m_pending += line;
    }
    m_bytes += size;
    if (m_pending.size() >= kChunk) {
        flush();
    }
}

void ShardWriter::finish() {
    if (!m_open) {
        open();
    }
    commit();
}

void ShardWriter::removeStale() const {
    namespace fs = std::filesystem;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(m_out + "/data/" + m_config, ec)) {
        const auto file = e.path().filename().string();
        const auto prefix = m_split + "-";
        if (file.size() == prefix.size() + 11 && file.rfind(prefix, 0) == 0 && file.ends_with(".jsonl") &&
            std::all_of(file.begin() + static_cast<std::ptrdiff_t>(prefix.size()), file.end() - 6,
                        [](char c) { return c >= '0' && c <= '9'; }) &&
            std::stoi(file.substr(prefix.size(), 5)) >= m_index) {
            fs::remove(e.path(), ec);
        }
    }
}

std::string ShardWriter::name(int index) const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%05d", index);
    return m_split + "-" + buf + ".jsonl";
}

void ShardWriter::open() {
    m_worker.post([this, dir = m_out + "/data/" + m_config, file = name(m_index)] {
        m_file = std::make_shared<io::AtomicFile>(dir, file);
    });
    m_open = true;
    m_bytes = 0;
}

void ShardWriter::flush() {
    if (m_pending.empty()) {
        return;
    }
    m_worker.post([this, chunk = std::move(m_pending)]() mutable {
        m_file->write(chunk);
        m_worker.giveBuffer(std::move(chunk));
    });
    m_pending = std::string();
}

void ShardWriter::commit() {
    flush();
    m_worker.post([this, rel = "data/" + m_config + "/" + name(m_index)] {
        // The fsync waits for the disk: the next shards are written meanwhile.
        m_committer.post([this, rel, file = std::move(m_file)] { m_done.emplace_back(rel, file->commit()); });
    });
    m_open = false;
    ++m_index;
}

} // namespace kf::dataset::detail
