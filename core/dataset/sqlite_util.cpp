// SPDX-License-Identifier: MIT
#include "sqlite_util.h"

#include "store.h"

#include <sqlite3.h>

namespace kf::dataset::sql {

namespace {

// SQLITE_TRANSIENT is a C-style cast in sqlite3.h; spell it without one.
sqlite3_destructor_type transient() {
    return reinterpret_cast<sqlite3_destructor_type>(static_cast<intptr_t>(-1));
}

std::string fileOf(sqlite3* db) {
    const char* f = db ? sqlite3_db_filename(db, "main") : nullptr;
    return f && *f ? f : "(memory)";
}

} // namespace

void fail(sqlite3* db, const std::string& op) {
    const char* msg = db ? sqlite3_errmsg(db) : "out of memory";
    throw StoreError(op + ": " + fileOf(db) + ": " + msg);
}

void exec(sqlite3* db, const std::string& sql, const std::string& op) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errmsg(db);
        sqlite3_free(err);
        throw StoreError(op + ": " + fileOf(db) + ": " + msg);
    }
}

Statement::Statement(sqlite3* db, std::string_view sql, std::string op)
    : m_db(db)
    , m_op(std::move(op)) {
    if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr) != SQLITE_OK) {
        fail(db, m_op);
    }
}

Statement::~Statement() {
    sqlite3_finalize(m_stmt);
}

Statement& Statement::bind(int index, std::string_view text) {
    if (sqlite3_bind_text64(m_stmt, index, text.data(), text.size(), transient(), SQLITE_UTF8) != SQLITE_OK) {
        fail(m_db, m_op);
    }
    return *this;
}

Statement& Statement::bind(int index, int64_t value) {
    if (sqlite3_bind_int64(m_stmt, index, value) != SQLITE_OK) {
        fail(m_db, m_op);
    }
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (sqlite3_bind_double(m_stmt, index, value) != SQLITE_OK) {
        fail(m_db, m_op);
    }
    return *this;
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
    return value ? bind(index, *value) : bindNull(index);
}

Statement& Statement::bindBlob(int index, std::string_view bytes) {
    if (sqlite3_bind_blob64(m_stmt, index, bytes.data(), bytes.size(), transient()) != SQLITE_OK) {
        fail(m_db, m_op);
    }
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (sqlite3_bind_null(m_stmt, index) != SQLITE_OK) {
        fail(m_db, m_op);
    }
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) {
        return true;
    }
    if (rc == SQLITE_DONE) {
        return false;
    }
    // Reset so that the statement can be reused; the error message stays on the connection until the next
    // call.
    std::string msg = sqlite3_errmsg(m_db);
    sqlite3_reset(m_stmt);
    throw StoreError(m_op + ": " + fileOf(m_db) + ": " + msg);
}

void Statement::run() {
    while (step()) {
    }
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int col) const {
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

std::string Statement::text(int col) const {
    if (sqlite3_column_type(m_stmt, col) == SQLITE_BLOB) {
        const void* p = sqlite3_column_blob(m_stmt, col);
        const int n = sqlite3_column_bytes(m_stmt, col);
        return p ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
    }
    const unsigned char* p = sqlite3_column_text(m_stmt, col);
    const int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
}

int64_t Statement::int64(int col) const {
    return sqlite3_column_int64(m_stmt, col);
}

double Statement::real(int col) const {
    return sqlite3_column_double(m_stmt, col);
}

std::optional<int64_t> Statement::optInt64(int col) const {
    if (isNull(col)) {
        return std::nullopt;
    }
    return int64(col);
}

Transaction::Transaction(sqlite3* db, std::string op, bool write)
    : m_db(db)
    , m_op(std::move(op))
    , m_savepoint(sqlite3_get_autocommit(db) == 0) {
    exec(m_db, m_savepoint ? "SAVEPOINT kf_tx" : (write ? "BEGIN IMMEDIATE" : "BEGIN"), m_op);
}

Transaction::~Transaction() {
    if (m_done) {
        return;
    }
    // Best effort: a failed rollback leaves SQLite to roll back when the connection closes.
    if (m_savepoint) {
        sqlite3_exec(m_db, "ROLLBACK TO kf_tx; RELEASE kf_tx", nullptr, nullptr, nullptr);
    } else {
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void Transaction::commit() {
    exec(m_db, m_savepoint ? "RELEASE kf_tx" : "COMMIT", m_op);
    m_done = true;
}

} // namespace kf::dataset::sql
