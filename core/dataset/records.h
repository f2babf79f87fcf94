// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kf::dataset {

// What the store keeps (DESIGN.md "Dataset"). Ids are SQLite rowids; times are ISO-8601 UTC strings
// ("2026-11-22T01:02:03Z"). JSON-valued fields hold compact JSON text exactly as produced upstream, so that
// nothing is reinterpreted on the way in or out.

struct SpecRecord {
    std::string hash;     // sha256 of the normalized spec JSON: the key
    std::string spec_id;  // the spec's own id ("softmax-rows-f32")
    std::string json;     // normalized spec JSON (kforge spec json)
    std::string category; // op category, for exports
};

// One request/answer exchange with a teacher (or a human-written kernel: provider "human").
struct AttemptRecord {
    int64_t id = 0;
    std::string spec_hash;
    std::string provider;          // anthropic, openai, ollama, human
    std::string model;             // as the service reported it
    std::string settings_json;     // thinking mode, effort/budget, max_tokens, display (never a key)
    std::string conversation_json; // kernelforge.conversation/1: every turn and block exactly as received
    std::string raw_stream;        // the last turn's response bytes (provenance)
    std::string prompt_template;   // "kernel-task/1"
    std::string status;            // complete, failed, cancelled
    int64_t input_tokens = -1;
    int64_t output_tokens = -1;
    int64_t thinking_tokens = -1;
    std::string created_at;
    std::string generation_run; // "local:<uuid>" or "slurm:<job>_<task>"
};

struct KernelRecord {
    int64_t id = 0;
    std::optional<int64_t> attempt_id; // none for kernels written by hand
    std::string spec_hash;
    std::string source;
    std::string source_hash; // sha256 of the normalized source (exact-duplicate key)
    std::string origin;      // teacher, human, edited
    std::string created_at;
};

struct RunRecord {
    int64_t id = 0;
    int64_t kernel_id = 0;
    std::string device_json; // the runner's hello.device
    std::string harness_version;
    std::string events_json; // every runner event, as a JSON array
    std::string verdict;     // pass, fail, error
    double speedup = -1.0;   // ratio of medians, geomean over sizes; -1 when not timed
    std::string created_at;
};

enum class ReviewStatus { Accepted, Rejected, NeedsWork };
const char* reviewStatusName(ReviewStatus s); // accepted, rejected, needs-work
std::optional<ReviewStatus> parseReviewStatus(const std::string& s);

// Reviews are a history: the latest one is an attempt's status; none is ever deleted.
struct ReviewRecord {
    int64_t id = 0;
    int64_t attempt_id = 0;
    std::optional<int64_t> kernel_id; // the kernel reviewed (the teacher's, or a reviewer's edit)
    ReviewStatus status = ReviewStatus::NeedsWork;
    int rating = 0; // 1-5, 0 when not rated
    std::string notes;
    std::string reviewer;
    std::string created_at;
};

// One row of a listing: an attempt with what a reviewer needs to pick it.
struct AttemptSummary {
    int64_t id = 0;
    std::string spec_id;
    std::string provider;
    std::string model;
    std::string status;        // the attempt's own
    std::string review_status; // latest review, "" when unreviewed
    int rating = 0;
    std::string verdict; // latest run's, "" when never run
    double speedup = -1.0;
    std::string created_at;
};

// The order of a listing; ties are broken by id in the same direction.
enum class AttemptSort { Created, Id, Spec, Model, Review, Verdict, Speedup, Rating };

struct AttemptFilter {
    std::string spec_id;       // exact
    std::string review_status; // accepted, rejected, needs-work, unreviewed
    std::string verdict;       // pass, fail, error, none
    std::string provider;
    std::string model; // prefix
    std::string since; // created_at >= (ISO-8601 prefix)
    std::string until; // created_at <
    double min_speedup = -1.0;
    std::string search;                      // FTS5 query over reasoning, answers and code
    AttemptSort sort = AttemptSort::Created; // list() only
    bool ascending = false;                  // list() only: newest (largest) first by default
    int64_t limit = 50;
    int64_t offset = 0;
};

} // namespace kf::dataset
