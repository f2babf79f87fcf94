// SPDX-License-Identifier: MIT
#include "schema.h"

#include "sqlite_util.h"
#include "store.h"

#include <sqlite3.h>

namespace kf::dataset::schema {

namespace {

// v0 (an empty file) -> v1. Small columns come first in `attempts` so that listings read them from the row's
// first page without touching the overflow pages of the conversation. review_status/rating/verdict/speedup on
// attempts cache the latest review and the latest run (maintained in the same transaction as the insert), so
// that filters and listings use indexes instead of correlated subqueries. attempt_fts is a contentless FTS5
// index (rowid = attempt id) over the text of the assistant turns and the attempt's kernels.
constexpr const char* kV1 = R"sql(
CREATE TABLE specs (
    hash       TEXT PRIMARY KEY NOT NULL,
    spec_id    TEXT NOT NULL,
    category   TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    json       TEXT NOT NULL
);
CREATE INDEX specs_spec_id ON specs(spec_id);

CREATE TABLE attempts (
    id              INTEGER PRIMARY KEY,
    spec_hash       TEXT NOT NULL REFERENCES specs(hash),
    provider        TEXT NOT NULL,
    model           TEXT NOT NULL,
    prompt_template TEXT NOT NULL,
    status          TEXT NOT NULL,
    input_tokens    INTEGER NOT NULL,
    output_tokens   INTEGER NOT NULL,
    thinking_tokens INTEGER NOT NULL,
    created_at      TEXT NOT NULL,
    generation_run  TEXT NOT NULL,
    review_status   TEXT,
    rating          INTEGER NOT NULL DEFAULT 0,
    verdict         TEXT,
    speedup         REAL NOT NULL DEFAULT -1.0,
    settings_json   TEXT NOT NULL,
    conversation_json TEXT NOT NULL,
    raw_stream      BLOB NOT NULL
);
CREATE INDEX attempts_created ON attempts(created_at);
CREATE INDEX attempts_spec ON attempts(spec_hash, review_status, speedup, verdict, created_at);
CREATE INDEX attempts_review ON attempts(review_status, created_at);
CREATE INDEX attempts_verdict ON attempts(verdict, created_at);
CREATE INDEX attempts_provider ON attempts(provider, model, created_at);
CREATE INDEX attempts_model ON attempts(model);

CREATE TABLE kernels (
    id          INTEGER PRIMARY KEY,
    attempt_id  INTEGER REFERENCES attempts(id),
    spec_hash   TEXT NOT NULL REFERENCES specs(hash),
    source_hash TEXT NOT NULL,
    origin      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    source      TEXT NOT NULL
);
CREATE INDEX kernels_attempt ON kernels(attempt_id);
CREATE INDEX kernels_source_hash ON kernels(source_hash);
CREATE INDEX kernels_spec ON kernels(spec_hash);

CREATE TABLE runs (
    id              INTEGER PRIMARY KEY,
    kernel_id       INTEGER NOT NULL REFERENCES kernels(id),
    harness_version TEXT NOT NULL,
    verdict         TEXT NOT NULL,
    speedup         REAL NOT NULL,
    created_at      TEXT NOT NULL,
    device_json     TEXT NOT NULL,
    events_json     TEXT NOT NULL
);
CREATE INDEX runs_kernel ON runs(kernel_id, created_at);

CREATE TABLE reviews (
    id         INTEGER PRIMARY KEY,
    attempt_id INTEGER NOT NULL REFERENCES attempts(id),
    kernel_id  INTEGER REFERENCES kernels(id),
    status     TEXT NOT NULL CHECK (status IN ('accepted', 'rejected', 'needs-work')),
    rating     INTEGER NOT NULL CHECK (rating BETWEEN 0 AND 5),
    reviewer   TEXT NOT NULL,
    created_at TEXT NOT NULL,
    notes      TEXT NOT NULL
);
CREATE INDEX reviews_attempt ON reviews(attempt_id, created_at);

CREATE VIRTUAL TABLE attempt_fts USING fts5(
    text, code, content='', tokenize="unicode61 tokenchars '_'"
);
)sql";

struct Migration {
    int to;
    const char* sql;
};

constexpr Migration kMigrations[] = {{1, kV1}};

} // namespace

int userVersion(sqlite3* db, const std::string& op) {
    sql::Statement st(db, "PRAGMA user_version", op);
    return st.step() ? static_cast<int>(st.int64(0)) : 0;
}

void migrate(sqlite3* db, const std::string& path, int target) {
    const auto newer = [&](int v) {
        return StoreError(path + " was written by a newer KernelForge (schema " + std::to_string(v) +
                          "; this build reads up to " + std::to_string(target) + ")");
    };
    int v = userVersion(db, "read schema version");
    if (v > target) {
        throw newer(v);
    }
    if (v == target) {
        return;
    }
    sql::Transaction tx(db, "migrate schema");
    v = userVersion(db, "read schema version"); // another process may have migrated meanwhile
    if (v > target) {
        throw newer(v);
    }
    for (const auto& m : kMigrations) {
        if (m.to > v && m.to <= target) {
            sql::exec(db, m.sql, "migrate schema to version " + std::to_string(m.to));
            sql::exec(db, "PRAGMA user_version = " + std::to_string(m.to),
                      "migrate schema to version " + std::to_string(m.to));
            v = m.to;
        }
    }
    tx.commit();
}

} // namespace kf::dataset::schema
