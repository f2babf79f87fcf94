// SPDX-License-Identifier: MIT
#pragma once

#include "records.h"
#include "store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kf::dataset {

// Similarity of two kernel sources: Jaccard index of their token 4-gram shingles after normalization
// (comments and whitespace removed), in [0, 1]. Renamed variables and reordered helpers still share most
// shingles; unrelated kernels for the same spec share few.
double sourceSimilarity(const std::string& a, const std::string& b);

struct NearDuplicate {
    KernelRecord kernel;
    double similarity = 0.0;
};

// Kernels for the same spec whose similarity to `source` is at least `threshold`, most similar first; the
// kernel `exclude` (the one being reviewed) and exact duplicates of it are included only if they are other
// kernels. Shown at review time so a reviewer does not accept the same kernel twice.
std::vector<NearDuplicate> nearDuplicates(const Store& store, const std::string& spec_hash,
                                          const std::string& source, double threshold = 0.8,
                                          std::optional<int64_t> exclude = std::nullopt);

} // namespace kf::dataset
