// SPDX-License-Identifier: MIT
#pragma once

// Internal to kf_dataset: the versioned schema (PRAGMA user_version) and its migrations.

#include <string>

struct sqlite3;

namespace kf::dataset::schema {

int userVersion(sqlite3* db, const std::string& op);

// Brings the database to `target`: refuses a newer schema (StoreError naming both versions), migrates an
// older one step by step inside one transaction.
void migrate(sqlite3* db, const std::string& path, int target);

} // namespace kf::dataset::schema
