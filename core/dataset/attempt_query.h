// SPDX-License-Identifier: MIT
#pragma once

// The SQL of the store's attempt queries (list, count, forEachAttempt): an AttemptFilter's WHERE clause and
// how a full-text search joins it. Internal to kf_dataset.

#include "records.h"
#include "sqlite_util.h"

#include <sqlite3.h>
#include <string>
#include <variant>
#include <vector>

namespace kf::dataset::query {

// The WHERE clause of an AttemptFilter over `attempts a JOIN specs s`, with its parameters in order.
struct Where {
    std::string sql;
    std::vector<std::variant<std::string, double>> params;

    void add(const std::string& clause);
    void add(const std::string& clause, std::variant<std::string, double> p);
    int bind(sql::Statement& st) const; // returns the next free parameter index
};

// How a full-text condition joins the attempts. A set of the matching rowids suits a selective search; a
// word in most attempts makes that set as large as the table (180 ms for 100,000 attempts), while probing the
// index for each attempt in page order stops after a page's worth (tests/bench/dataset_bench.cpp).
enum class SearchPlan { MatchSet, ProbeEach };

Where whereOf(const AttemptFilter& f, SearchPlan plan = SearchPlan::MatchSet);

// Probing pays when at least a quarter of the attempts match and the page is near the top: the scan then
// stops within about four times the page's end.
SearchPlan searchPlanFor(sqlite3* db, const AttemptFilter& f);

// A search that is not valid FTS5 syntax is the user's error, not the store's: check it on its own, so that
// the message names the query (and an unrelated failure of the main query is not blamed on it).
void checkSearch(sqlite3* db, const AttemptFilter& f);

} // namespace kf::dataset::query
