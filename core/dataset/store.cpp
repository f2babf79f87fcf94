// SPDX-License-Identifier: MIT
#include "store.h"

#include "attempt_query.h"
#include "schema.h"
#include "sqlite_util.h"

#include <array>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <openssl/evp.h>
#include <pwd.h>
#include <sqlite3.h>
#include <unistd.h>
#include <utility>
#include <variant>

namespace kf::dataset {

namespace {

using query::checkSearch;
using query::searchPlanFor;
using query::Where;
using query::whereOf;
using sql::Statement;
using sql::Transaction;

// The text of every block of the assistant turns (reasoning and answers), one block per line. User turns are
// left out: they are the rendered spec, the same for every attempt at it. Deterministic, because a
// contentless FTS5 row is deleted by giving back exactly the values it was inserted with.
std::string searchableText(const std::string& conversation_json) {
    const auto j = nlohmann::json::parse(conversation_json, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("turns") || !j["turns"].is_array()) {
        return conversation_json; // not a conversation: index it as it is rather than lose it
    }
    std::string out;
    for (const auto& turn : j["turns"]) {
        if (!turn.is_object() || turn.value("role", "") != "assistant" || !turn.contains("blocks") ||
            !turn["blocks"].is_array()) {
            continue;
        }
        for (const auto& block : turn["blocks"]) {
            if (block.is_object() && block.contains("text") && block["text"].is_string()) {
                out += block["text"].get_ref<const std::string&>();
                out += '\n';
            }
        }
    }
    return out;
}

std::string orNow(const std::string& t) {
    return t.empty() ? utcNow() : t;
}

constexpr const char* kAttemptColumns =
    "id, spec_hash, provider, model, settings_json, conversation_json, raw_stream, prompt_template, status, "
    "input_tokens, output_tokens, thinking_tokens, created_at, generation_run";

AttemptRecord readAttempt(const Statement& st) {
    AttemptRecord a;
    a.id = st.int64(0);
    a.spec_hash = st.text(1);
    a.provider = st.text(2);
    a.model = st.text(3);
    a.settings_json = st.text(4);
    a.conversation_json = st.text(5);
    a.raw_stream = st.text(6);
    a.prompt_template = st.text(7);
    a.status = st.text(8);
    a.input_tokens = st.int64(9);
    a.output_tokens = st.int64(10);
    a.thinking_tokens = st.int64(11);
    a.created_at = st.text(12);
    a.generation_run = st.text(13);
    return a;
}

constexpr const char* kKernelColumns = "id, attempt_id, spec_hash, source, source_hash, origin, created_at";

KernelRecord readKernel(const Statement& st) {
    KernelRecord k;
    k.id = st.int64(0);
    k.attempt_id = st.optInt64(1);
    k.spec_hash = st.text(2);
    k.source = st.text(3);
    k.source_hash = st.text(4);
    k.origin = st.text(5);
    k.created_at = st.text(6);
    return k;
}

// Loads an attempt with everything attached to it; its statements are prepared once and reused.
class DetailLoader {
public:
    explicit DetailLoader(sqlite3* db)
        : m_attempt(db, std::string("SELECT ") + kAttemptColumns + " FROM attempts WHERE id = ?",
                    "read attempt")
        , m_spec(db, "SELECT hash, spec_id, json, category FROM specs WHERE hash = ?", "read spec")
        , m_kernels(db,
                    std::string("SELECT ") + kKernelColumns +
                        " FROM kernels WHERE attempt_id = ? ORDER BY created_at, id",
                    "read kernels")
        , m_runs(db,
                 "SELECT r.id, r.kernel_id, r.device_json, r.harness_version, r.events_json, r.verdict, "
                 "r.speedup, r.created_at FROM runs r JOIN kernels k ON k.id = r.kernel_id "
                 "WHERE k.attempt_id = ? ORDER BY r.created_at, r.id",
                 "read runs")
        , m_reviews(
              db,
              "SELECT id, attempt_id, kernel_id, status, rating, notes, reviewer, created_at FROM reviews "
              "WHERE attempt_id = ? ORDER BY created_at, id",
              "read reviews") {}

    std::optional<AttemptDetail> load(int64_t id) {
        AttemptDetail d;
        m_attempt.reset();
        m_attempt.bind(1, id);
        if (!m_attempt.step()) {
            return std::nullopt;
        }
        d.attempt = readAttempt(m_attempt);
        m_attempt.reset();

        m_spec.reset();
        m_spec.bind(1, d.attempt.spec_hash);
        if (m_spec.step()) {
            d.spec = SpecRecord{m_spec.text(0), m_spec.text(1), m_spec.text(2), m_spec.text(3)};
        }
        m_spec.reset();

        m_kernels.reset();
        m_kernels.bind(1, id);
        while (m_kernels.step()) {
            d.kernels.push_back(readKernel(m_kernels));
        }

        m_runs.reset();
        m_runs.bind(1, id);
        while (m_runs.step()) {
            RunRecord r;
            r.id = m_runs.int64(0);
            r.kernel_id = m_runs.int64(1);
            r.device_json = m_runs.text(2);
            r.harness_version = m_runs.text(3);
            r.events_json = m_runs.text(4);
            r.verdict = m_runs.text(5);
            r.speedup = m_runs.real(6);
            r.created_at = m_runs.text(7);
            d.runs.push_back(std::move(r));
        }

        m_reviews.reset();
        m_reviews.bind(1, id);
        while (m_reviews.step()) {
            ReviewRecord r;
            r.id = m_reviews.int64(0);
            r.attempt_id = m_reviews.int64(1);
            r.kernel_id = m_reviews.optInt64(2);
            r.status = parseReviewStatus(m_reviews.text(3)).value_or(ReviewStatus::NeedsWork);
            r.rating = static_cast<int>(m_reviews.int64(4));
            r.notes = m_reviews.text(5);
            r.reviewer = m_reviews.text(6);
            r.created_at = m_reviews.text(7);
            d.reviews.push_back(std::move(r));
        }
        return d;
    }

private:
    Statement m_attempt;
    Statement m_spec;
    Statement m_kernels;
    Statement m_runs;
    Statement m_reviews;
};

template <typename Fn>
void stepAll(Statement& st, Fn&& fn) {
    while (st.step()) {
        if (!fn()) {
            break;
        }
    }
}

void refreshLatestReview(sqlite3* db, int64_t attempt_id) {
    Statement st(db,
                 "UPDATE attempts SET (review_status, rating) = (SELECT status, rating FROM reviews "
                 "WHERE attempt_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1) WHERE id = ?1",
                 "add review");
    st.bind(1, attempt_id).run();
}

void refreshLatestRun(sqlite3* db, int64_t attempt_id) {
    Statement st(db,
                 "UPDATE attempts SET (verdict, speedup) = (SELECT r.verdict, r.speedup FROM runs r "
                 "JOIN kernels k ON k.id = r.kernel_id WHERE k.attempt_id = ?1 "
                 "ORDER BY r.created_at DESC, r.id DESC LIMIT 1) WHERE id = ?1",
                 "add run");
    st.bind(1, attempt_id).run();
}

// The code column of an attempt's FTS row: its kernels' sources, oldest first.
std::string kernelCode(sqlite3* db, int64_t attempt_id, const std::string& op) {
    Statement st(db, "SELECT source FROM kernels WHERE attempt_id = ? ORDER BY id", op);
    st.bind(1, attempt_id);
    std::string code;
    while (st.step()) {
        code += st.text(0);
        code += '\n';
    }
    return code;
}

std::string conversationOf(sqlite3* db, int64_t attempt_id, const std::string& op) {
    Statement st(db, "SELECT conversation_json FROM attempts WHERE id = ?", op);
    st.bind(1, attempt_id);
    if (!st.step()) {
        throw StoreError(op + ": no attempt " + std::to_string(attempt_id));
    }
    return st.text(0);
}

std::string homeDir() {
    if (const char* h = std::getenv("HOME"); h && *h) {
        return h;
    }
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) {
        return pw->pw_dir;
    }
    return ".";
}

} // namespace

Store::Store(std::string path, sqlite3* db)
    : m_path(std::move(path))
    , m_db(db) {}

Store::Store(Store&& other) noexcept
    : m_path(std::move(other.m_path))
    , m_db(std::exchange(other.m_db, nullptr)) {}

Store& Store::operator=(Store&& other) noexcept {
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_path = std::move(other.m_path);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

Store::~Store() {
    sqlite3_close_v2(m_db);
}

Store Store::open(const std::string& path) {
    namespace fs = std::filesystem;
    if (path.empty()) {
        throw StoreError("open dataset: empty path");
    }
    if (path != ":memory:") {
        const fs::path parent = fs::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty()) {
            fs::create_directories(parent, ec);
            if (ec) {
                throw StoreError("open dataset: " + path + ": cannot create " + parent.string() + ": " +
                                 ec.message());
            }
        }
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    Store store(path, raw); // owns the handle from here, even when opening failed
    if (rc != SQLITE_OK) {
        const std::string msg = raw ? sqlite3_errmsg(raw) : "out of memory";
        throw StoreError("open dataset: " + path + ": " + msg);
    }
    sqlite3_extended_result_codes(raw, 1);
    sqlite3_busy_timeout(raw, 10000);
    {
        Statement wal(raw, "PRAGMA journal_mode=WAL", "open dataset (journal_mode=WAL)");
        if (wal.step() && path != ":memory:" && wal.text(0) != "wal") {
            throw StoreError("open dataset: " + path + ": cannot use WAL (journal mode is " + wal.text(0) +
                             ")");
        }
    }
    // With WAL, synchronous=NORMAL syncs at checkpoints rather than at every commit: a committed transaction
    // survives the writer being killed (SIGKILL, crash), which is the guarantee the store gives; only a power
    // loss or an OS crash can roll back the last few commits (never corrupt the database). FULL would fsync
    // the WAL on every commit for that last case, at a large cost for batch generation.
    sql::exec(raw, "PRAGMA synchronous=NORMAL", "open dataset (synchronous)");
    sql::exec(raw, "PRAGMA foreign_keys=ON", "open dataset (foreign_keys)");
    // 64 MiB of page cache (the default is 2 MiB): a broad full-text search reads tens of MB of doclists.
    sql::exec(raw, "PRAGMA cache_size=-65536", "open dataset (cache_size)");
    schema::migrate(raw, path, kSchemaVersion);
    return store;
}

std::string Store::defaultPath() {
    namespace fs = std::filesystem;
    fs::path base;
    // The XDG spec ignores a relative XDG_DATA_HOME.
    if (const char* x = std::getenv("XDG_DATA_HOME"); x && *x && fs::path(x).is_absolute()) {
        base = x;
    } else {
        base = fs::path(homeDir()) / ".local" / "share";
    }
    return (base / "kernelforge" / "kernelforge.db").string();
}

int Store::schemaVersion() const {
    return schema::userVersion(m_db, "read schema version");
}

std::string Store::putSpec(const SpecRecord& spec) {
    const std::string hash = spec.hash.empty() ? sha256Hex(spec.json) : spec.hash;
    Statement st(m_db,
                 "INSERT INTO specs(hash, spec_id, category, created_at, json) VALUES (?, ?, ?, ?, ?) "
                 "ON CONFLICT(hash) DO NOTHING",
                 "put spec " + spec.spec_id);
    st.bind(1, hash).bind(2, spec.spec_id).bind(3, spec.category).bind(4, utcNow()).bind(5, spec.json).run();
    return hash;
}

std::optional<SpecRecord> Store::spec(const std::string& hash) const {
    Statement st(m_db, "SELECT hash, spec_id, json, category FROM specs WHERE hash = ?", "read spec");
    st.bind(1, hash);
    if (!st.step()) {
        return std::nullopt;
    }
    return SpecRecord{st.text(0), st.text(1), st.text(2), st.text(3)};
}

int64_t Store::addAttempt(const AttemptRecord& a) {
    const std::string op = "add attempt";
    Transaction tx(m_db, op);
    {
        Statement chk(m_db, "SELECT 1 FROM specs WHERE hash = ?", op);
        chk.bind(1, a.spec_hash);
        if (!chk.step()) {
            throw StoreError(op + ": " + m_path + ": no spec with hash \"" + a.spec_hash +
                             "\" (put it first)");
        }
    }
    Statement st(
        m_db,
        "INSERT INTO attempts(spec_hash, provider, model, prompt_template, status, input_tokens, "
        "output_tokens, thinking_tokens, created_at, generation_run, settings_json, conversation_json, "
        "raw_stream) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        op);
    st.bind(1, a.spec_hash)
        .bind(2, a.provider)
        .bind(3, a.model)
        .bind(4, a.prompt_template)
        .bind(5, a.status)
        .bind(6, a.input_tokens)
        .bind(7, a.output_tokens)
        .bind(8, a.thinking_tokens)
        .bind(9, orNow(a.created_at))
        .bind(10, a.generation_run)
        .bind(11, a.settings_json)
        .bind(12, a.conversation_json)
        .bindBlob(13, a.raw_stream)
        .run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    Statement fts(m_db, "INSERT INTO attempt_fts(rowid, text, code) VALUES (?, ?, '')", op);
    fts.bind(1, id).bind(2, searchableText(a.conversation_json)).run();
    tx.commit();
    return id;
}

int64_t Store::addKernel(const KernelRecord& k) {
    const std::string op = "add kernel";
    Transaction tx(m_db, op);
    std::string spec_hash = k.spec_hash;
    std::string old_code;
    std::string text;
    if (k.attempt_id) {
        Statement chk(m_db, "SELECT spec_hash FROM attempts WHERE id = ?", op);
        chk.bind(1, *k.attempt_id);
        if (!chk.step()) {
            throw StoreError(op + ": " + m_path + ": no attempt " + std::to_string(*k.attempt_id));
        }
        if (spec_hash.empty()) {
            spec_hash = chk.text(0);
        }
        old_code = kernelCode(m_db, *k.attempt_id, op);
        text = searchableText(conversationOf(m_db, *k.attempt_id, op));
    }
    Statement st(m_db,
                 "INSERT INTO kernels(attempt_id, spec_hash, source_hash, origin, created_at, source) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 op);
    st.bind(1, k.attempt_id)
        .bind(2, spec_hash)
        .bind(3, k.source_hash.empty() ? normalizedSourceHash(k.source) : k.source_hash)
        .bind(4, k.origin.empty() ? (k.attempt_id ? "teacher" : "human") : k.origin)
        .bind(5, orNow(k.created_at))
        .bind(6, k.source)
        .run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    if (k.attempt_id) {
        // A contentless FTS5 row is replaced by deleting it with the values it was indexed with.
        Statement del(
            m_db, "INSERT INTO attempt_fts(attempt_fts, rowid, text, code) VALUES ('delete', ?, ?, ?)", op);
        del.bind(1, *k.attempt_id).bind(2, text).bind(3, old_code).run();
        Statement ins(m_db, "INSERT INTO attempt_fts(rowid, text, code) VALUES (?, ?, ?)", op);
        ins.bind(1, *k.attempt_id).bind(2, text).bind(3, old_code + k.source + '\n').run();
    }
    tx.commit();
    return id;
}

int64_t Store::addRun(const RunRecord& r) {
    const std::string op = "add run";
    Transaction tx(m_db, op);
    std::optional<int64_t> attempt_id;
    {
        Statement chk(m_db, "SELECT attempt_id FROM kernels WHERE id = ?", op);
        chk.bind(1, r.kernel_id);
        if (!chk.step()) {
            throw StoreError(op + ": " + m_path + ": no kernel " + std::to_string(r.kernel_id));
        }
        attempt_id = chk.optInt64(0);
    }
    Statement st(m_db,
                 "INSERT INTO runs(kernel_id, harness_version, verdict, speedup, created_at, device_json, "
                 "events_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 op);
    st.bind(1, r.kernel_id)
        .bind(2, r.harness_version)
        .bind(3, r.verdict)
        .bind(4, std::isnan(r.speedup) ? -1.0 : r.speedup) // SQLite stores NaN as NULL; -1 is "no speedup"
        .bind(5, orNow(r.created_at))
        .bind(6, r.device_json)
        .bind(7, r.events_json)
        .run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    if (attempt_id) {
        refreshLatestRun(m_db, *attempt_id);
    }
    tx.commit();
    return id;
}

int64_t Store::addReview(const ReviewRecord& r) {
    const std::string op = "add review";
    if (r.rating < 0 || r.rating > 5) {
        throw StoreError(op + ": rating " + std::to_string(r.rating) +
                         " is out of range (1-5, or 0 for none)");
    }
    Transaction tx(m_db, op);
    {
        Statement chk(m_db, "SELECT 1 FROM attempts WHERE id = ?", op);
        chk.bind(1, r.attempt_id);
        if (!chk.step()) {
            throw StoreError(op + ": " + m_path + ": no attempt " + std::to_string(r.attempt_id));
        }
    }
    Statement st(m_db,
                 "INSERT INTO reviews(attempt_id, kernel_id, status, rating, reviewer, created_at, notes) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)",
                 op);
    st.bind(1, r.attempt_id)
        .bind(2, r.kernel_id)
        .bind(3, reviewStatusName(r.status))
        .bind(4, r.rating)
        .bind(5, r.reviewer)
        .bind(6, orNow(r.created_at))
        .bind(7, r.notes)
        .run();
    const int64_t id = sqlite3_last_insert_rowid(m_db);
    refreshLatestReview(m_db, r.attempt_id);
    tx.commit();
    return id;
}

std::optional<AttemptDetail> Store::attempt(int64_t id) const {
    Transaction tx(m_db, "read attempt", false);
    DetailLoader loader(m_db);
    auto d = loader.load(id);
    tx.commit();
    return d;
}

namespace {

// ORDER BY for a listing; the id breaks ties, so that pages never overlap.
std::string orderOf(const AttemptFilter& f) {
    const char* dir = f.ascending ? " ASC" : " DESC";
    std::string keys;
    switch (f.sort) {
    case AttemptSort::Created:
        keys = std::string("a.created_at") + dir;
        break;
    case AttemptSort::Id:
        return std::string(" ORDER BY a.id") + dir;
    case AttemptSort::Spec:
        keys = std::string("s.spec_id") + dir;
        break;
    case AttemptSort::Model:
        keys = std::string("a.provider") + dir + ", a.model" + dir;
        break;
    case AttemptSort::Review:
        keys = std::string("a.review_status") + dir;
        break;
    case AttemptSort::Verdict:
        keys = std::string("a.verdict") + dir;
        break;
    case AttemptSort::Speedup:
        keys = std::string("a.speedup") + dir;
        break;
    case AttemptSort::Rating:
        keys = std::string("a.rating") + dir;
        break;
    }
    return " ORDER BY " + keys + ", a.id" + dir;
}

} // namespace

std::vector<AttemptSummary> Store::list(const AttemptFilter& filter) const {
    checkSearch(m_db, filter);
    // Probing the search index per attempt pays only when rows come in the created_at index's order.
    const Where w = whereOf(filter, filter.sort == AttemptSort::Created ? searchPlanFor(m_db, filter)
                                                                        : query::SearchPlan::MatchSet);
    Statement st(
        m_db,
        "SELECT a.id, s.spec_id, a.provider, a.model, a.status, a.review_status, a.rating, a.verdict, "
        "a.speedup, a.created_at FROM attempts a JOIN specs s ON s.hash = a.spec_hash" +
            w.sql + orderOf(filter) + " LIMIT ? OFFSET ?",
        "list attempts");
    const int next = w.bind(st);
    st.bind(next, filter.limit < 0 ? int64_t{-1} : filter.limit);
    st.bind(next + 1, filter.offset < 0 ? int64_t{0} : filter.offset);
    std::vector<AttemptSummary> out;
    stepAll(st, [&] {
        AttemptSummary s;
        s.id = st.int64(0);
        s.spec_id = st.text(1);
        s.provider = st.text(2);
        s.model = st.text(3);
        s.status = st.text(4);
        s.review_status = st.text(5);
        s.rating = static_cast<int>(st.int64(6));
        s.verdict = st.text(7);
        s.speedup = st.real(8);
        s.created_at = st.text(9);
        out.push_back(std::move(s));
        return true;
    });
    return out;
}

int64_t Store::count(const AttemptFilter& filter) const {
    const Where w = whereOf(filter);
    checkSearch(m_db, filter);
    Statement st(m_db, "SELECT count(*) FROM attempts a JOIN specs s ON s.hash = a.spec_hash" + w.sql,
                 "count attempts");
    w.bind(st);
    int64_t n = 0;
    stepAll(st, [&] {
        n = st.int64(0);
        return false;
    });
    return n;
}

std::vector<std::string> Store::specIds() const {
    Statement st(m_db, "SELECT DISTINCT spec_id FROM specs ORDER BY spec_id", "list spec ids");
    std::vector<std::string> out;
    while (st.step()) {
        out.push_back(st.text(0));
    }
    return out;
}

void Store::forEachAttempt(const AttemptFilter& filter,
                           const std::function<bool(const AttemptDetail&)>& fn) const {
    const Where w = whereOf(filter);
    checkSearch(m_db, filter);
    // No explicit transaction: while the cursor is pending, the connection keeps one read snapshot, so the
    // stream is consistent; and an add* called from `fn` still commits (durably) when it returns, instead of
    // nesting in a transaction that would only commit at the end of the stream.
    Statement st(m_db,
                 "SELECT a.id FROM attempts a JOIN specs s ON s.hash = a.spec_hash" + w.sql +
                     " ORDER BY a.created_at, a.id",
                 "read attempts");
    w.bind(st);
    DetailLoader loader(m_db);
    stepAll(st, [&] {
        const auto d = loader.load(st.int64(0));
        return !d || fn(*d);
    });
}

std::vector<KernelRecord> Store::kernelsForSpec(const std::string& spec_hash) const {
    Statement st(m_db,
                 std::string("SELECT ") + kKernelColumns +
                     " FROM kernels WHERE spec_hash = ? ORDER BY created_at, id",
                 "list a spec's kernels");
    st.bind(1, spec_hash);
    std::vector<KernelRecord> out;
    while (st.step()) {
        out.push_back(readKernel(st));
    }
    return out;
}

std::vector<KernelRecord> Store::duplicatesOf(const std::string& source) const {
    Statement st(m_db,
                 std::string("SELECT ") + kKernelColumns +
                     " FROM kernels WHERE source_hash = ? ORDER BY created_at, id",
                 "find duplicates");
    st.bind(1, normalizedSourceHash(source));
    std::vector<KernelRecord> out;
    while (st.step()) {
        out.push_back(readKernel(st));
    }
    return out;
}

StoreStats Store::stats() const {
    Statement st(m_db,
                 "SELECT (SELECT count(*) FROM specs), (SELECT count(*) FROM attempts), "
                 "(SELECT count(*) FROM kernels), (SELECT count(*) FROM runs), "
                 "(SELECT count(*) FROM attempts WHERE review_status = 'accepted'), "
                 "(SELECT count(*) FROM attempts WHERE review_status = 'rejected'), "
                 "(SELECT count(*) FROM attempts WHERE review_status = 'needs-work'), "
                 "(SELECT count(*) FROM attempts WHERE review_status IS NULL)",
                 "dataset stats");
    StoreStats s;
    if (st.step()) {
        s.specs = st.int64(0);
        s.attempts = st.int64(1);
        s.kernels = st.int64(2);
        s.runs = st.int64(3);
        s.accepted = st.int64(4);
        s.rejected = st.int64(5);
        s.needs_work = st.int64(6);
        s.unreviewed = st.int64(7);
    }
    return s;
}

bool Store::integrityOk(std::string* report) const {
    Statement st(m_db, "PRAGMA integrity_check", "integrity check");
    std::string all;
    while (st.step()) {
        if (!all.empty()) {
            all += '\n';
        }
        all += st.text(0);
    }
    if (report) {
        *report = all;
    }
    return all == "ok";
}

std::string normalizedSourceHash(const std::string& source) {
    return sha256Hex(normalizedSource(source));
}

std::string normalizedSource(const std::string& source) {
    // Comments become a space (so that a/**/b stays two tokens), whitespace runs outside string and character
    // literals become one space, and the ends are trimmed. Literals are kept byte for byte.
    // What ends a run of ordinary characters: a slash (a comment may start), a space, a quote.
    static constexpr auto kSpecial = [] {
        std::array<bool, 256> t{};
        for (const unsigned char c : {'/', ' ', '\t', '\n', '\r', '\f', '\v', '"', '\''}) {
            t[c] = true;
        }
        return t;
    }();
    const auto isSpecial = [](char c) { return kSpecial[static_cast<unsigned char>(c)]; };
    std::string out;
    out.reserve(source.size());
    bool pending_space = false;
    const auto emit = [&](char c) {
        if (pending_space && !out.empty()) {
            out += ' ';
        }
        pending_space = false;
        out += c;
    };
    const std::size_t n = source.size();
    for (std::size_t i = 0; i < n; ++i) {
        const char c = source[i];
        if (c == '/' && i + 1 < n && source[i + 1] == '/') {
            const auto newline = source.find('\n', i + 2);
            i = newline == std::string::npos ? n : newline;
            pending_space = true;
            continue;
        }
        if (c == '/' && i + 1 < n && source[i + 1] == '*') {
            const auto end = source.find("*/", i + 2);
            i = end == std::string::npos ? n : end + 1;
            pending_space = true;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            pending_space = true;
            continue;
        }
        if (c == '"' || c == '\'') {
            emit(c);
            for (++i; i < n; ++i) {
                out += source[i];
                if (source[i] == '\\' && i + 1 < n) {
                    out += source[++i];
                } else if (source[i] == c || source[i] == '\n') {
                    break;
                }
            }
            continue;
        }
        // A run of ordinary characters (none that starts a comment, a space or a literal) goes in at once:
        // sources are mostly such runs, and an export normalizes every row's kernel.
        std::size_t end = i + 1;
        while (end < n && !isSpecial(source[end])) {
            ++end;
        }
        emit(c);
        out.append(source, i + 1, end - i - 1);
        i = end - 1;
    }
    return out;
}

std::string sha256Hex(const std::string& bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) {
        throw StoreError("sha256: OpenSSL failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[md[i] >> 4];
        out += kHex[md[i] & 0xf];
    }
    return out;
}

std::string utcNow() {
    const std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace kf::dataset
