// SPDX-License-Identifier: MIT
#pragma once

#include "records.h"

#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

struct sqlite3;

namespace kf::dataset {

// Every failure of the store: what was being done, the file, and SQLite's own message.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct AttemptDetail {
    AttemptRecord attempt;
    SpecRecord spec;
    std::vector<KernelRecord> kernels; // oldest first
    std::vector<RunRecord> runs;       // oldest first, for any of the kernels
    std::vector<ReviewRecord> reviews; // oldest first; the last one is the attempt's status
};

struct StoreStats {
    int64_t specs = 0;
    int64_t attempts = 0;
    int64_t kernels = 0;
    int64_t runs = 0;
    int64_t accepted = 0;
    int64_t rejected = 0;
    int64_t needs_work = 0;
    int64_t unreviewed = 0;
};

// The dataset: an embedded SQLite database (WAL, foreign keys, versioned schema with migrations). Every add*
// is one transaction: once it returns, the row survives a crash. Nothing is ever deleted; a review changes an
// attempt's status by adding to its history. One Store per thread (SQLite connections are not shared).
class Store {
public:
    static constexpr int kSchemaVersion = 1;

    // Opens or creates the database (and its directory). Migrates an older schema; refuses a newer one with a
    // message that names both versions.
    static Store open(const std::string& path);

    // $XDG_DATA_HOME/kernelforge/kernelforge.db, else ~/.local/share/kernelforge/kernelforge.db.
    static std::string defaultPath();

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    const std::string& path() const { return m_path; }
    int schemaVersion() const;

    std::string putSpec(const SpecRecord& spec); // idempotent: the same hash is stored once; returns the hash
    std::optional<SpecRecord> spec(const std::string& hash) const;

    int64_t addAttempt(const AttemptRecord& attempt); // the spec must have been put
    int64_t addKernel(const KernelRecord& kernel);    // computes source_hash when empty
    int64_t addRun(const RunRecord& run);
    int64_t addReview(const ReviewRecord& review); // rating 0 or 1-5; status history, never replaced

    std::optional<AttemptDetail> attempt(int64_t id) const;
    // In filter.sort order (newest first by default), filter.limit/offset.
    std::vector<AttemptSummary> list(const AttemptFilter& filter) const;
    int64_t count(const AttemptFilter& filter) const; // ignores limit/offset

    // The spec ids that have a spec in the store, sorted (a browser's spec filter).
    std::vector<std::string> specIds() const;

    // Streams the attempts matching `filter` (limit/offset ignored), oldest first, one at a time; `fn`
    // returns false to stop. For export: memory stays flat whatever the dataset's size.
    void forEachAttempt(const AttemptFilter& filter,
                        const std::function<bool(const AttemptDetail&)>& fn) const;

    // Kernels whose normalized source is the same as `source`'s (exact duplicates), oldest first.
    std::vector<KernelRecord> duplicatesOf(const std::string& source) const;

    // Every kernel written for the spec, oldest first (near-duplicate candidates).
    std::vector<KernelRecord> kernelsForSpec(const std::string& spec_hash) const;

    StoreStats stats() const;

    // PRAGMA integrity_check: true when "ok"; otherwise `report` gets what SQLite found.
    bool integrityOk(std::string* report = nullptr) const;

private:
    explicit Store(std::string path, sqlite3* db);
    std::string m_path;
    sqlite3* m_db = nullptr;
};

// The source with comments removed and whitespace runs collapsed outside literals; its sha256 is the
// exact-duplicate key.
std::string normalizedSource(const std::string& source);
std::string normalizedSourceHash(const std::string& source);
std::string sha256Hex(const std::string& bytes);
std::string utcNow(); // ISO-8601, seconds, "Z"

} // namespace kf::dataset
