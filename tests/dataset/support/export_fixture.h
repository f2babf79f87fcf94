// SPDX-License-Identifier: MIT
#pragma once

// A store filled with realistic attempts for the export tests: several specs, teacher answers with every
// reasoning_format, accepted, edited, rejected, failing and unreviewed attempts, runs with invalid UTF-8 in
// their logs and a non-finite speedup.

#include "dataset/store.h"

#include <cstdint>
#include <string>

namespace kf::dataset::testing {

struct FixtureOptions {
    int specs = 12;
    int attempts_per_spec = 8;
    std::size_t reasoning_bytes = 2000; // per attempt, roughly
    std::size_t kernel_bytes = 600;
};

struct FixtureCounts {
    int64_t attempts = 0;
    int64_t accepted = 0; // latest review accepted (edited or not)
};

FixtureCounts fillStore(Store& store, const FixtureOptions& options = {});

// A fresh directory under the build tree, emptied first.
std::string scratchDir(const std::string& name);

} // namespace kf::dataset::testing
