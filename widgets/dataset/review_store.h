// SPDX-License-Identifier: MIT
#pragma once

// The review panel's work on the store, run on its worker threads: what it shows of an attempt, and writing
// a review. Each call opens (or is given) its own Store connection.

#include "core/dataset/store.h"

#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace kf::widgets {

// What the review panel shows of one attempt.
struct ReviewInfo {
    qint64 id = 0;
    QString title;
    QString subtitle;
    std::vector<kf::dataset::ReviewRecord> reviews; // oldest first
    // The attempt's latest kernel (kernel_id 0 when it has none), for the near-duplicate check.
    std::string spec_hash;
    qint64 kernel_id = 0;
    std::string kernel_source;
};

// Reads attempt `id`: header, history and its latest kernel. Throws StoreError, also for a missing id.
ReviewInfo readReviewInfo(const kf::dataset::Store& store, qint64 id);

// "Near duplicates of kernel 7: kernel 3 (attempt 2, 94%), ..." (kernels of the same spec at least 80%
// similar to the attempt's latest kernel, as the CLI's show and accept print them), "" when none. Reads
// every kernel of the spec: slower than readReviewInfo on a large dataset, so it runs after it.
QString nearDuplicatesLine(const kf::dataset::Store& store, const ReviewInfo& info);

// Adds `review` (its status, rating, notes, reviewer) to attempt `id` for the attempt's latest kernel, on
// `store` (opened from `path` when empty). Returns "" or what went wrong.
QString writeReview(std::optional<kf::dataset::Store>& store, const std::string& path, qint64 id,
                    const kf::dataset::ReviewRecord& review);

} // namespace kf::widgets
