// SPDX-License-Identifier: MIT
#include "attempt_query.h"

#include "store.h"

namespace kf::dataset::query {

using sql::Statement;

void Where::add(const std::string& clause) {
    sql += (sql.empty() ? " WHERE " : " AND ") + clause;
}

void Where::add(const std::string& clause, std::variant<std::string, double> p) {
    add(clause);
    params.push_back(std::move(p));
}

int Where::bind(sql::Statement& st) const {
    int i = 1;
    for (const auto& p : params) {
        if (const auto* s = std::get_if<std::string>(&p)) {
            st.bind(i++, *s);
        } else {
            st.bind(i++, std::get<double>(p));
        }
    }
    return i;
}

Where whereOf(const AttemptFilter& f, SearchPlan plan) {
    Where w;
    // A spec has few attempts: when it is given, its index is the way in. Without ANALYZE statistics SQLite
    // would rather take the review or verdict index (thousands of rows each); a unary + keeps those columns
    // out of index selection.
    const std::string col = f.spec_id.empty() ? "a." : "+a.";
    if (!f.spec_id.empty()) {
        w.add("s.spec_id = ?", f.spec_id);
    }
    if (!f.review_status.empty()) {
        if (f.review_status == "unreviewed") {
            w.add(col + "review_status IS NULL");
        } else if (parseReviewStatus(f.review_status)) {
            w.add(col + "review_status = ?", f.review_status);
        } else {
            throw StoreError("filter: unknown review status \"" + f.review_status +
                             "\" (accepted, rejected, needs-work, unreviewed)");
        }
    }
    if (!f.verdict.empty()) {
        if (f.verdict == "none") {
            w.add(col + "verdict IS NULL");
        } else if (f.verdict == "pass" || f.verdict == "fail" || f.verdict == "error") {
            w.add(col + "verdict = ?", f.verdict);
        } else {
            throw StoreError("filter: unknown verdict \"" + f.verdict + "\" (pass, fail, error, none)");
        }
    }
    if (!f.provider.empty()) {
        w.add(col + "provider = ?", f.provider);
    }
    if (!f.model.empty()) {
        w.add("substr(a.model, 1, length(?)) = ?", f.model); // characters, not bytes
        w.params.emplace_back(f.model);
    }
    if (!f.since.empty()) {
        w.add("a.created_at >= ?", f.since);
    }
    if (!f.until.empty()) {
        w.add("a.created_at < ?", f.until);
    }
    if (f.min_speedup >= 0.0) {
        w.add("a.speedup >= ?", f.min_speedup);
    }
    if (!f.search.empty()) {
        w.add(plan == SearchPlan::ProbeEach
                  ? "EXISTS (SELECT 1 FROM attempt_fts WHERE attempt_fts MATCH ? AND rowid = a.id)"
                  : "a.id IN (SELECT rowid FROM attempt_fts WHERE attempt_fts MATCH ?)",
              f.search);
    }
    return w;
}

SearchPlan searchPlanFor(sqlite3* db, const AttemptFilter& f) {
    if (f.search.empty() || f.limit < 0 || f.offset + f.limit > 2000) {
        return SearchPlan::MatchSet;
    }
    const auto countOf = [&](const char* sql, bool bind_search) {
        Statement st(db, sql, "plan search");
        if (bind_search) {
            st.bind(1, f.search);
        }
        return st.step() ? st.int64(0) : int64_t{0};
    };
    const int64_t matches = countOf("SELECT count(*) FROM attempt_fts WHERE attempt_fts MATCH ?", true);
    const int64_t attempts = countOf("SELECT count(*) FROM attempts", false);
    return matches * 4 >= attempts && matches > 0 ? SearchPlan::ProbeEach : SearchPlan::MatchSet;
}

void checkSearch(sqlite3* db, const AttemptFilter& f) {
    if (f.search.empty()) {
        return;
    }
    try {
        Statement st(db, "SELECT rowid FROM attempt_fts WHERE attempt_fts MATCH ? LIMIT 1", "search");
        st.bind(1, f.search);
        st.step();
    } catch (const StoreError& e) {
        throw StoreError("search \"" + f.search + "\": not a valid full-text query (" + e.what() + ")");
    }
}

} // namespace kf::dataset::query
