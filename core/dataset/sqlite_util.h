// SPDX-License-Identifier: MIT
#pragma once

// Internal to kf_dataset: a thin RAII layer over the SQLite C API. Every failure becomes a StoreError that
// names the operation, the database file and SQLite's own message.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace kf::dataset::sql {

[[noreturn]] void fail(sqlite3* db, const std::string& op);

// Runs statements that return no rows (schema, pragmas, BEGIN/COMMIT).
void exec(sqlite3* db, const std::string& sql, const std::string& op);

class Statement {
public:
    Statement(sqlite3* db, std::string_view sql, std::string op);
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Parameters are 1-based, as in SQLite. Text is copied, so temporaries are safe.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, const std::optional<int64_t>& value);
    Statement& bindBlob(int index, std::string_view bytes);
    Statement& bindNull(int index);

    // true while a row is available; false when done. Errors throw.
    bool step();
    // Steps a statement that must not return rows.
    void run();
    void reset();

    bool isNull(int col) const;
    std::string text(int col) const; // "" for NULL; blobs come back byte for byte
    int64_t int64(int col) const;
    double real(int col) const;
    std::optional<int64_t> optInt64(int col) const;

    sqlite3_stmt* handle() const { return m_stmt; }

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    std::string m_op;
};

// BEGIN IMMEDIATE ... COMMIT outside a transaction, SAVEPOINT ... RELEASE inside one; rolls back unless
// commit() was called.
class Transaction {
public:
    Transaction(sqlite3* db, std::string op, bool write = true);
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    void commit();

private:
    sqlite3* m_db = nullptr;
    std::string m_op;
    bool m_savepoint = false;
    bool m_done = false;
};

} // namespace kf::dataset::sql
