// SPDX-License-Identifier: MIT
#pragma once

// The dataset card (README.md) of an export: YAML front matter per ../shared/docs/dataset-format.md §7, then
// the sections the Hub expects, with the export's counts. Internal to kf_dataset.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace kf::dataset::detail {

struct CardStats {
    std::string name;
    std::string dataset_version;
    int64_t rows = 0;
    int64_t tasks = 0;
    int64_t preference_rows = 0;
    std::map<std::string, int64_t> splits;           // train/validation -> rows
    std::map<std::string, int64_t> reasoning_format; // full/summarized/omitted/redacted -> rows
    std::map<std::string, int64_t> models;           // teacher_model -> rows
    std::map<std::string, int64_t> gpus;             // gpu_name -> rows
    std::map<std::string, int64_t> harness;          // harness_version -> rows

    // One exported row: its split, reasoning_format, teacher_model, gpu_name and harness_version.
    void add(const std::string& split, const std::string& reasoning_format, const std::string& model,
             const std::string& gpu, const std::string& harness_version);
};

std::string datasetCard(const CardStats& stats, const std::vector<std::string>& configs);

} // namespace kf::dataset::detail
