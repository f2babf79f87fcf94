// SPDX-License-Identifier: MIT
#pragma once

#include "records.h"
#include "store.h"

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace kf::dataset {

class ExportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ExportOptions {
    std::string out_dir;
    std::vector<std::string> configs = {"sft", "full", "preference"};
    AttemptFilter filter;     // review_status "accepted" unless include_all
    bool include_all = false; // every attempt (sft and preference still pair by review status)
    std::string name = "kernelforge-dataset";
    std::string dataset_version = "0.1.0";
    double validation_fraction =
        0.1; // of specs (split by task, deterministic: first 8 bytes of sha256(spec id))
    int64_t max_shard_bytes = int64_t{190} << 20; // a data file rolls over to -00001, ... past this size
    std::function<void(int64_t done, int64_t total)> progress; // called from the exporting thread
};

struct ExportResult {
    int64_t sft_rows = 0;
    int64_t full_rows = 0;
    int64_t preference_rows = 0;
    std::vector<std::string> files; // written, relative to out_dir
};

// Writes data/<config>/{train,validation}-NNNNN.jsonl (at least -00000; older shards beyond the new ones are
// removed), README.md (dataset card) and MANIFEST.sha256 per
// ../shared/docs/dataset-format.md: every row carries every key with one type, no nulls (sentinels), floats
// as doubles, variable-shape data as JSON strings. Each file goes through a temporary file and a rename, so a
// crash never leaves a partial file under a final name.
ExportResult exportDataset(const Store& store, const ExportOptions& options);

struct ImportResult {
    int64_t rows_read = 0;
    int64_t attempts_added = 0;
    int64_t duplicates = 0; // rows whose id was already in the store (or earlier in the input)
};

// Reads `full` JSONL files back (a round trip loses nothing the store keeps) and merges several part files,
// deduplicating by row id: how shards produced on a cluster come home. Throws ExportError naming file:line.
ImportResult importFull(Store& store, const std::vector<std::string>& jsonl_files);

} // namespace kf::dataset
