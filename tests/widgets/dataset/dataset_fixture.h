// SPDX-License-Identifier: MIT
#pragma once

// Stores for the dataset widgets' tests, filled through core/dataset's Store API with attempts as the
// workbench writes them: a conversation with thinking and an answer, the extracted kernel, a run with the
// runner's events, and reviews. Every attempt's fields follow from its index, so tests compute what a
// filter, search or sort must list.

#include "core/dataset/store.h"

#include <QtGlobal>
#include <cstdint>
#include <string>
#include <vector>

namespace kf::widgets::testing {

struct FixtureAttempt {
    qint64 id = 0;
    qint64 kernel_id = 0;
    std::string spec_id;
    std::string provider;
    std::string model;
    std::string created_at;
    std::string verdict; // "" when never run
    double speedup = -1.0;
    std::string review_status; // "" when unreviewed
    int rating = 0;
    std::string topic; // "warp", "tiling" or "tensor": a word of its reasoning
};

struct Fixture {
    std::vector<FixtureAttempt> attempts; // in insertion order (ids ascending, created_at ascending)
    qint64 count(bool (*pred)(const FixtureAttempt&)) const;
};

// Attempt i (0-based): spec kSpecIds[i % 5]; provider/model cycle of 4; created 2026-01-01 + i hours; never
// run when i % 7 == 0, fail at 1, error at 2, else pass with a speedup in [0.5, 3.5); reviewed accepted
// (rating 1 + i % 5) when i % 6 == 0, rejected at 1, needs-work at 2, else unreviewed. Its reasoning names
// its topic (i % 3: warp, tiling, tensor) and the token marker_<i>.
Fixture fillStore(kf::dataset::Store& store, int attempts);

// The five spec ids, sorted.
const std::vector<std::string>& specIds();

} // namespace kf::widgets::testing
