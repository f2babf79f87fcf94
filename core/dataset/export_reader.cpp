// SPDX-License-Identifier: MIT
#include "export_reader.h"

#include "attempt_query.h"
#include "sqlite_util.h"

#include <algorithm>
#include <map>
#include <optional>
#include <sqlite3.h>

namespace kf::dataset::detail {

namespace {

using sql::Statement;

// A column's bytes as stored, valid until the statement moves on.
std::string_view columnView(const Statement& st, int col) {
    sqlite3_stmt* s = st.handle();
    const void* p = sqlite3_column_type(s, col) == SQLITE_BLOB
                        ? sqlite3_column_blob(s, col)
                        : static_cast<const void*>(sqlite3_column_text(s, col));
    const auto n = static_cast<std::size_t>(sqlite3_column_bytes(s, col));
    return p != nullptr ? std::string_view(static_cast<const char*>(p), n) : std::string_view();
}

// The attempt columns read for every attempt: all but the conversation and the raw stream.
constexpr const char* kSmallColumns =
    "a.id, a.spec_hash, a.provider, a.model, a.settings_json, a.prompt_template, a.status, a.input_tokens, "
    "a.output_tokens, a.thinking_tokens, a.created_at, a.generation_run";

// What readSmall reads, emptied (the strings keep their buffers).
void clearSmall(AttemptRecord& a) {
    for (auto* s : {&a.spec_hash, &a.provider, &a.model, &a.settings_json, &a.conversation_json,
                    &a.raw_stream, &a.prompt_template, &a.status, &a.created_at, &a.generation_run}) {
        s->clear();
    }
    a.input_tokens = a.output_tokens = a.thinking_tokens = -1;
}

// All of an attempt's columns but its conversation and raw stream.
void readSmall(const Statement& st, AttemptRecord& a) {
    a.id = st.int64(0);
    a.spec_hash = columnView(st, 1);
    a.provider = columnView(st, 2);
    a.model = columnView(st, 3);
    a.settings_json = columnView(st, 4);
    a.prompt_template = columnView(st, 5);
    a.status = columnView(st, 6);
    a.input_tokens = st.int64(7);
    a.output_tokens = st.int64(8);
    a.thinking_tokens = st.int64(9);
    a.created_at = columnView(st, 10);
    a.generation_run = columnView(st, 11);
    a.conversation_json.clear();
    a.raw_stream.clear();
}

// Kernels, runs and reviews without their large values. Every query of them selects the attempt id first:
// the same readers serve the per-attempt lookups and the export's streams.
constexpr const char* kKernelColumns =
    "k.attempt_id, k.id, k.spec_hash, k.source_hash, k.origin, k.created_at";
constexpr const char* kRunColumns =
    "k.attempt_id, r.id, r.kernel_id, r.harness_version, r.verdict, r.speedup, "
    "r.created_at";
constexpr const char* kReviewColumns =
    "v.attempt_id, v.id, v.kernel_id, v.status, v.rating, v.notes, v.reviewer, v.created_at";
constexpr const char* kKernelsJoin = " JOIN kernels k ON k.attempt_id = a.id";
constexpr const char* kRunsJoin = " JOIN kernels k ON k.attempt_id = a.id JOIN runs r ON r.kernel_id = k.id";
constexpr const char* kReviewsJoin = " JOIN reviews v ON v.attempt_id = a.id";

void readKernel(const Statement& st, KernelRecord& k) {
    k.attempt_id = st.optInt64(0);
    k.id = st.int64(1);
    k.spec_hash = columnView(st, 2);
    k.source_hash = columnView(st, 3);
    k.origin = columnView(st, 4);
    k.created_at = columnView(st, 5);
    k.source.clear();
}

void readRun(const Statement& st, RunRecord& r) {
    r.id = st.int64(1);
    r.kernel_id = st.int64(2);
    r.harness_version = columnView(st, 3);
    r.verdict = columnView(st, 4);
    r.speedup = st.real(5);
    r.created_at = columnView(st, 6);
    r.device_json.clear();
    r.events_json.clear();
}

void readReview(const Statement& st, ReviewRecord& r) {
    r.attempt_id = st.int64(0);
    r.id = st.int64(1);
    r.kernel_id = st.optInt64(2);
    r.status = parseReviewStatus(std::string(columnView(st, 3))).value_or(ReviewStatus::NeedsWork);
    r.rating = static_cast<int>(st.int64(4));
    r.notes = columnView(st, 5);
    r.reviewer = columnView(st, 6);
    r.created_at = columnView(st, 7);
}

// A statement whose rows are grouped by attempt (column 0), stepped ahead by one row. With `ascending`, the
// attempts come in increasing id order and the rows of attempts the export does not read are skipped.
struct Cursor {
    Cursor(Statement& s, bool ascending_ids)
        : st(s)
        , ascending(ascending_ids) {}
    void start() { ok = st.step(); }

    // The rows of attempt `id` into `out`, reusing its elements (their strings keep their buffers).
    template <typename T, typename Read>
    void take(int64_t id, std::vector<T>& out, Read read) {
        while (ascending && ok && st.int64(0) < id) {
            ok = st.step();
        }
        std::size_t n = 0;
        while (ok && st.int64(0) == id) {
            if (n == out.size()) {
                out.emplace_back();
            }
            read(st, out[n++]);
            ok = st.step();
        }
        out.resize(n);
    }

    Statement& st;
    bool ascending;
    bool ok = false;
};

} // namespace

struct ExportReader::Impl {
    sqlite3* db = nullptr;
    std::optional<Statement> conversation, raw, one, spec, kernels, kernel_sources, runs, run_blobs, reviews;
    std::map<std::string, SpecRecord> specs; // by hash
    Attempt current;

    ~Impl() {
        for (auto* st :
             {&conversation, &raw, &one, &spec, &kernels, &kernel_sources, &runs, &run_blobs, &reviews}) {
            st->reset();
        }
        if (db != nullptr) {
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr); // a read transaction: nothing to keep
            sqlite3_close(db);
        }
    }

    // The spec of a hash, keyed by it (an attempt whose spec is missing gets an empty one, as in
    // Store::attempt).
    const std::pair<const std::string, SpecRecord>& specOf(std::string_view hash) {
        auto it = specs.find(std::string(hash));
        if (it == specs.end()) {
            SpecRecord r;
            spec->reset();
            spec->bind(1, hash);
            if (spec->step()) {
                r = SpecRecord{spec->text(0), spec->text(1), spec->text(2), spec->text(3)};
            }
            spec->reset();
            it = specs.emplace(std::string(hash), std::move(r)).first;
        }
        return *it;
    }

    // An attempt as forEach and load() give it: its id, spec, kernels, runs and reviews, from cursors
    // positioned at (or before) its rows.
    void start(int64_t id, const std::pair<const std::string, SpecRecord>& spec_of, Cursor& k, Cursor& r,
               Cursor& v) {
        AttemptDetail& d = current.m_detail;
        clearSmall(d.attempt);
        d.attempt.id = id;
        d.attempt.spec_hash = spec_of.first;
        d.spec = spec_of.second;
        k.take(id, d.kernels, readKernel);
        r.take(id, d.runs, readRun);
        v.take(id, d.reviews, readReview);
        current.m_full = false;
        current.m_loaded = false;
    }
};

ExportReader::ExportReader(const Store& store)
    : m(std::make_unique<Impl>())
    , m_store(store) {
    m->current.m_reader = this;
    if (store.path() == ":memory:") {
        return; // read through the store's own connection
    }
    const std::string op = "export: read " + store.path();
    if (sqlite3_open_v2(store.path().c_str(), &m->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        sql::fail(m->db, op);
    }
    sqlite3_extended_result_codes(m->db, 1);
    sqlite3_busy_timeout(m->db, 10000);
    // Pages through a memory map rather than one read() each, as far as SQLite maps (2 GB by default).
    sql::exec(m->db, "PRAGMA mmap_size=" + std::to_string(int64_t{1} << 40), op);
    sql::exec(m->db, "BEGIN", op); // one snapshot for the whole export, pairs included
    m->conversation.emplace(m->db, "SELECT conversation_json FROM attempts WHERE id = ?", op);
    m->raw.emplace(m->db, "SELECT raw_stream FROM attempts WHERE id = ?", op);
    m->one.emplace(m->db, std::string("SELECT ") + kSmallColumns + " FROM attempts a WHERE a.id = ?", op);
    m->spec.emplace(m->db, "SELECT hash, spec_id, json, category FROM specs WHERE hash = ?", op);
    // One attempt's kernels, runs and reviews in Store::attempt's order; the large values of kernels and
    // runs.
    m->kernels.emplace(m->db,
                       std::string("SELECT ") + kKernelColumns +
                           " FROM kernels k WHERE k.attempt_id = ? ORDER BY k.created_at, k.id",
                       op);
    m->runs.emplace(m->db,
                    std::string("SELECT ") + kRunColumns +
                        " FROM runs r JOIN kernels k ON k.id = r.kernel_id WHERE k.attempt_id = ? "
                        "ORDER BY r.created_at, r.id",
                    op);
    m->reviews.emplace(m->db,
                       std::string("SELECT ") + kReviewColumns +
                           " FROM reviews v WHERE v.attempt_id = ? ORDER BY v.created_at, v.id",
                       op);
    m->kernel_sources.emplace(
        m->db, "SELECT id, source FROM kernels WHERE attempt_id = ? ORDER BY created_at, id", op);
    m->run_blobs.emplace(
        m->db,
        "SELECT r.id, r.device_json, r.events_json FROM runs r JOIN kernels k ON k.id = r.kernel_id "
        "WHERE k.attempt_id = ? ORDER BY r.created_at, r.id",
        op);
}

ExportReader::~ExportReader() = default;

void ExportReader::forEach(const AttemptFilter& filter, const std::function<void(Attempt&)>& fn) {
    Attempt& current = m->current;
    if (m->db == nullptr) {
        m_store.forEachAttempt(filter, [&](const AttemptDetail& d) {
            current.m_detail = d;
            current.m_full = true;
            fn(current);
            return true;
        });
        return;
    }
    query::checkSearch(m->db, filter);
    const auto where = query::whereOf(filter);
    const std::string from = " FROM attempts a JOIN specs s ON s.hash = a.spec_hash";
    const std::string op = "export: read attempts";

    // The attempts in export order. "+a.created_at" keeps SQLite from walking the created_at index, which
    // would read every attempt's row: the covering index on (spec_hash, ..., created_at) and a sort of ids
    // read none (at 100,000 attempts, 0.9 s -> 0.2 s, and 400 MB less for the page cache to hold).
    std::vector<std::pair<int64_t, const std::pair<const std::string, SpecRecord>*>> attempts;
    {
        Statement st(m->db, "SELECT a.id, a.spec_hash" + from + where.sql + " ORDER BY +a.created_at, a.id",
                     op);
        where.bind(st);
        while (st.step()) {
            attempts.emplace_back(st.int64(0), &m->specOf(columnView(st, 1)));
        }
    }
    if (attempts.empty()) {
        return;
    }

    // Their kernels, runs and reviews: when the export order is the id order (attempts stored in time order,
    // as they are unless imported), three range scans by attempt id, without the attempts' rows; otherwise,
    // the same joined with the attempts and sorted in export order.
    const bool ascending = std::is_sorted(attempts.begin(), attempts.end(),
                                          [](const auto& x, const auto& y) { return x.first < y.first; });
    const std::string order = " ORDER BY a.created_at, a.id";
    Statement ks(m->db,
                 ascending ? std::string("SELECT ") + kKernelColumns +
                                 " FROM kernels k WHERE k.attempt_id BETWEEN ?1 AND ?2 "
                                 "ORDER BY k.attempt_id, k.created_at, k.id"
                           : std::string("SELECT ") + kKernelColumns + from + kKernelsJoin + where.sql +
                                 order + ", k.created_at, k.id",
                 op);
    Statement rs(m->db,
                 ascending
                     ? std::string("SELECT ") + kRunColumns +
                           " FROM runs r JOIN kernels k ON k.id = r.kernel_id "
                           "WHERE k.attempt_id BETWEEN ?1 AND ?2 ORDER BY k.attempt_id, r.created_at, r.id"
                     : std::string("SELECT ") + kRunColumns + from + kRunsJoin + where.sql + order +
                           ", r.created_at, r.id",
                 op);
    Statement vs(m->db,
                 ascending ? std::string("SELECT ") + kReviewColumns +
                                 " FROM reviews v WHERE v.attempt_id BETWEEN ?1 AND ?2 "
                                 "ORDER BY v.attempt_id, v.created_at, v.id"
                           : std::string("SELECT ") + kReviewColumns + from + kReviewsJoin + where.sql +
                                 order + ", v.created_at, v.id",
                 op);
    Cursor kernels(ks, ascending);
    Cursor runs(rs, ascending);
    Cursor reviews(vs, ascending);
    for (auto* c : {&kernels, &runs, &reviews}) {
        if (ascending) {
            c->st.bind(1, attempts.front().first).bind(2, attempts.back().first);
        } else {
            where.bind(c->st);
        }
        c->start();
    }
    for (const auto& [id, spec] : attempts) {
        m->start(id, *spec, kernels, runs, reviews);
        fn(current);
    }
}

ExportReader::Attempt* ExportReader::load(int64_t id) {
    Attempt& current = m->current;
    if (m->db == nullptr) {
        auto d = m_store.attempt(id);
        if (!d) {
            return nullptr;
        }
        current.m_detail = std::move(*d);
        current.m_full = true;
        return &current;
    }
    auto& one = *m->one;
    one.reset();
    one.bind(1, id);
    if (!one.step()) {
        return nullptr;
    }
    Cursor kernels(*m->kernels, false);
    Cursor runs(*m->runs, false);
    Cursor reviews(*m->reviews, false);
    for (auto* c : {&kernels, &runs, &reviews}) {
        c->st.reset();
        c->st.bind(1, id);
        c->start();
    }
    m->start(id, m->specOf(columnView(one, 1)), kernels, runs, reviews);
    current.loadAll();
    return &current;
}

std::string_view ExportReader::conversationOf(int64_t id) {
    if (m->db == nullptr) {
        auto* at = load(id);
        return at != nullptr ? at->conversation() : std::string_view();
    }
    auto& st = *m->conversation;
    st.reset();
    st.bind(1, id);
    return st.step() ? columnView(st, 0) : std::string_view();
}

void ExportReader::Attempt::loadAll() {
    if (m_full || m_loaded) {
        return;
    }
    m_loaded = true;
    const auto changed = [&] {
        return StoreError("export: " + m_reader->m_store.path() + ": attempt " +
                          std::to_string(m_detail.attempt.id) + " changed while it was read");
    };
    auto& one = *m_reader->m->one;
    one.reset();
    one.bind(1, m_detail.attempt.id);
    if (!one.step()) {
        throw changed();
    }
    readSmall(one, m_detail.attempt);
    auto& ks = *m_reader->m->kernel_sources;
    ks.reset();
    ks.bind(1, m_detail.attempt.id);
    for (auto& k : m_detail.kernels) {
        if (!ks.step() || ks.int64(0) != k.id) {
            throw changed();
        }
        k.source = columnView(ks, 1);
    }
    auto& rb = *m_reader->m->run_blobs;
    rb.reset();
    rb.bind(1, m_detail.attempt.id);
    for (auto& r : m_detail.runs) {
        if (!rb.step() || rb.int64(0) != r.id) {
            throw changed();
        }
        r.device_json = columnView(rb, 1);
        r.events_json = columnView(rb, 2);
    }
}

std::string_view ExportReader::Attempt::conversation() {
    if (m_full) {
        return m_detail.attempt.conversation_json;
    }
    auto& st = *m_reader->m->conversation;
    st.reset();
    st.bind(1, m_detail.attempt.id);
    return st.step() ? columnView(st, 0) : std::string_view();
}

std::string_view ExportReader::Attempt::rawStream() {
    if (m_full) {
        return m_detail.attempt.raw_stream;
    }
    auto& st = *m_reader->m->raw;
    st.reset();
    st.bind(1, m_detail.attempt.id);
    return st.step() ? columnView(st, 0) : std::string_view();
}

} // namespace kf::dataset::detail
