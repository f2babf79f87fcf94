// SPDX-License-Identifier: MIT
#pragma once

// The data files of an export, written on a thread of their own. Internal to kf_dataset.
//
// Hashing (for the manifest) and writing an export's files costs about as much as reading the store and
// building its rows: an export of 100,000 attempts writes ~2 GB. So the rows are built on the exporting
// thread, the files are written and hashed by one FileWorker, and each finished shard is committed (fsync,
// rename) by another, while the next one is written; all through io::AtomicFile as before, so a crash still
// leaves no partial file under a final name.

#include "io/atomic_file.h"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace kf::dataset::detail {

// Runs file tasks in the order they are posted, on one thread. A task that throws stops the rest; its
// exception comes back from the next post() or drain(). Destroying the worker drops what has not run.
class FileWorker {
public:
    FileWorker();
    FileWorker(const FileWorker&) = delete;
    FileWorker& operator=(const FileWorker&) = delete;
    ~FileWorker();

    void post(std::function<void()> task); // waits while too much is queued
    void drain();                          // waits until every task has run

    // Buffers go back and forth instead of being allocated per chunk (fresh memory costs a page fault a
    // page).
    std::string takeBuffer();
    void giveBuffer(std::string&& buffer);

private:
    void run();
    void rethrow(); // with the lock held

    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::deque<std::function<void()>> m_tasks;
    bool m_busy = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::vector<std::string> m_free;
    std::thread m_thread;
};

// The shards of one config and split: <split>-00000.jsonl, -00001, ... each at most max_bytes (a longer
// single row gets a shard of its own). Each shard is committed when the next one starts.
class ShardWriter {
public:
    ShardWriter(FileWorker& writer, FileWorker& committer, std::string out_dir, std::string config,
                std::string split, int64_t max_bytes);

    // One line, given in two pieces (a row and its end).
    void write(std::string_view head, std::string_view tail);

    // One line built in place: beginLine() gives the buffer to append the row to; endLine() adds `tail` and
    // ends the line. Nothing else may be written between the two.
    std::string& beginLine();
    void endLine(std::string_view tail);

    // Commits the last shard (an empty -00000 when nothing was written). The shards' names and sha256 are in
    // done() once both workers have drained (the writer first).
    void finish();
    const std::vector<std::pair<std::string, std::string>>& done() const { return m_done; }

    // Shards of this split left by an earlier export, beyond the ones just written.
    void removeStale() const;

private:
    std::string name(int index) const;
    void open();
    void commit();
    void flush(); // posts what is pending

    FileWorker& m_worker;
    FileWorker& m_committer;
    std::string m_out;
    std::string m_config;
    std::string m_split;
    std::size_t m_max;
    bool m_open = false;
    std::size_t m_bytes = 0; // in the current shard
    int m_index = 0;
    std::string m_pending;
    std::size_t m_line_start = 0;                            // of the line begun in m_pending
    std::shared_ptr<io::AtomicFile> m_file;                  // the writer's, then the committer's
    std::vector<std::pair<std::string, std::string>> m_done; // the committer's until drained
};

} // namespace kf::dataset::detail
