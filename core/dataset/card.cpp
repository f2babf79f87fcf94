// SPDX-License-Identifier: MIT
#include "card.h"

#include <algorithm>
#include <sstream>

namespace kf::dataset::detail {

namespace {

const char* sizeCategory(int64_t n) {
    if (n < 1000) {
        return "n<1K";
    }
    if (n < 10000) {
        return "1K<n<10K";
    }
    if (n < 100000) {
        return "10K<n<100K";
    }
    if (n < 1000000) {
        return "100K<n<1M";
    }
    return "1M<n<10M";
}

std::string counts(const std::map<std::string, int64_t>& m) {
    if (m.empty()) {
        return "none";
    }
    std::string out;
    for (const auto& [k, v] : m) {
        if (!out.empty()) {
            out += ", ";
        }
        out += "`" + (k.empty() ? std::string("(unknown)") : k) + "` " + std::to_string(v);
    }
    return out;
}

} // namespace

void CardStats::add(const std::string& split, const std::string& format, const std::string& model,
                    const std::string& gpu, const std::string& harness_version) {
    ++rows;
    ++splits[split];
    ++reasoning_format[format];
    ++models[model];
    ++gpus[gpu];
    ++harness[harness_version];
}

std::string datasetCard(const CardStats& s, const std::vector<std::string>& configs) {
    std::ostringstream o;
    o << "---\n"
      << "pretty_name: " << s.name << " CUDA Kernels with Reasoning\n"
      << "license: other # placeholder: set the dataset license before publishing\n"
      << "language: [en, code]\n"
      << "task_categories: [text-generation]\n"
      << "tags: [cuda, gpu-kernels, code, reasoning, distillation, synthetic, sft]\n"
      << "size_categories: [" << sizeCategory(s.rows) << "]\n"
      << "annotations_creators: [expert-generated]\n"
      << "language_creators: [machine-generated]\n"
      << "source_datasets: [original]\n"
      << "configs:\n";
    for (const auto& c : configs) {
        o << "  - config_name: " << c << "\n";
        if (c == configs.front()) {
            o << "    default: true\n";
        }
        o << "    data_files:\n"
          << "      - {split: train, path: data/" << c << "/train-*.jsonl}\n"
          << "      - {split: validation, path: data/" << c << "/validation-*.jsonl}\n";
    }
    const auto split = [&](const char* k) {
        const auto it = s.splits.find(k);
        return it == s.splits.end() ? int64_t{0} : it->second;
    };
    o << "---\n"
      << "# " << s.name << "\n\n"
      << "## Summary\n\n"
      << s.rows << " reviewed CUDA kernels with the teacher's reasoning for " << s.tasks << " tasks, plus "
      << s.preference_rows << " preference pairs. dataset_version " << s.dataset_version
      << ". GPUs: " << counts(s.gpus) << ". Intended students: open code models fine-tuned on CUDA kernel "
      << "writing (Qwen2.5-Coder, Qwen3, R1-distilled Qwen).\n\n"
      << "## Quick start\n\n"
      << "```python\nfrom datasets import load_dataset\nds = load_dataset(\"<org>/" << s.name
      << "\", \"sft\")\n```\n\n"
      << "Assistant turns carry the reasoning inline as `<think>\\n...\\n</think>\\n\\n` followed by the "
         "answer. "
      << "`<think>` is a special token in Qwen3 and the R1-distilled tokenizers but not in Qwen2.5-Coder: "
         "add it "
      << "as a special token, or keep it as plain text consistently. Filter on `has_reasoning`.\n\n"
      << "## Data fields\n\n"
      << "- `sft`: `id`, `task_id`, `messages`, `prompt`, `completion` (lists of `{role, content}`), "
      << "`has_reasoning`, `reasoning_format`.\n"
      << "- `full`: every `sft` column plus task, teacher output, build, correctness, performance (times in "
         "ms), "
      << "roofline (FLOP, bytes), review, provenance and hygiene columns, and `attempt_status`, "
      << "`original_answer`, `review_history_json`, `runs_json` (what a re-import needs). Every row has "
         "every "
      << "column; \"not known\" is `\"\"`, `-1`, `-1.0`, `[]` or `false`.\n"
      << "- `preference`: `prompt`, `chosen`, `rejected`, `chosen_id`, `rejected_id`, `task_id`, `split`, "
      << "`dataset_version`, `rejected_reason`, `margin_speedup` (ratio of speedups, `-1.0` when "
         "untimed).\n\n"
      << "## Creation\n\n"
      << "### Tasks\n\nKernelForge specs (`task_source` `internal`); reference code is part of each spec.\n\n"
      << "### Teacher\n\nModels: " << counts(s.models)
      << ".\nreasoning_format: " << counts(s.reasoning_format)
      << ". `summarized` rows carry a summary written by another model, not the raw chain of thought.\n\n"
      << "### Verification\n\nEach kernel is compiled, checked against the reference at every size and timed "
         "by "
      << "the KernelForge harness. harness_version: " << counts(s.harness) << ".\n\n"
      << "### Human review\n\nOnly rows a reviewer accepted are exported by default; `accepted_edited` rows "
      << "carry the reviewer's kernel in place of the teacher's.\n\n"
      << "### Hygiene\n\n`exact_hash` is the sha256 of the kernel without comments and whitespace runs.\n\n"
      << "## Splits\n\nBy task, never by sample: `validation` when the first 8 bytes of sha256(task_id) fall "
         "below "
      << "the validation fraction. train " << split("train") << " rows, validation " << split("validation")
      << " rows.\n\n"
      << "## Limitations\n\nOne GPU family per timing; timings are noisy; kernels may exploit the harness in "
         "ways "
      << "its anti-cheat checks do not catch; summarized reasoning is not the teacher's own.\n\n"
      << "## License and terms\n\nDataset license: to be set. Third-party reference code keeps its license. "
         "The "
      << "teacher provider's output-use terms apply to the generated reasoning and code.\n\n"
      << "## Changelog\n\n- " << s.dataset_version << ": export from KernelForge.\n";
    return o.str();
}

} // namespace kf::dataset::detail
