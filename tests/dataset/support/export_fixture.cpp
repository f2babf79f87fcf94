// SPDX-License-Identifier: MIT
#include "export_fixture.h"

#include <cstdio>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

namespace kf::dataset::testing {

namespace {

using ojson = nlohmann::ordered_json;

std::string stamp(int64_t n) {
    // Distinct, ordered ISO-8601 times: 2026-11-01 plus n seconds (n < 10 days).
    const int64_t day = 1 + n / 86400;
    const int64_t rest = n % 86400;
    char buf[64];
    std::snprintf(buf, sizeof buf, "2026-11-%02lldT%02lld:%02lld:%02lldZ", static_cast<long long>(day),
                  static_cast<long long>(rest / 3600), static_cast<long long>(rest / 60 % 60),
                  static_cast<long long>(rest % 60));
    return buf;
}

std::string filler(const std::string& seed, std::size_t bytes) {
    std::string out;
    int i = 0;
    while (out.size() < bytes) {
        out += seed + " step " + std::to_string(i++) +
               ": consider the memory traffic per row, coalesce loads, keep the reduction in registers. ";
    }
    return out;
}

std::string specJson(int s) {
    const std::string id = "op-" + std::to_string(s) + "-f32";
    ojson j;
    j["format"] = "kernelforge.spec/1";
    j["id"] = id;
    j["title"] = "Operation " + std::to_string(s);
    j["description"] = "Row-wise operation number " + std::to_string(s) + ".";
    j["category"] = s % 2 == 0 ? "reduction" : "elementwise";
    j["tags"] = {"test"};
    j["params"] = {"rows", "cols"};
    j["inputs"] = ojson::array({ojson{{"name", "x"},
                                      {"dtype", "f32"},
                                      {"shape", {"rows", "cols"}},
                                      {"init", {{"dist", "normal"}, {"mean", 0.0}, {"std", 1.0}}}}});
    j["outputs"] = ojson::array({ojson{{"name", "y"}, {"dtype", "f32"}, {"shape", {"rows", "cols"}}}});
    j["flops"] = "5 * rows * cols";
    j["bytes"] = "8 * rows * cols";
    j["tolerance"] = {{"rel_l2", 1e-5}, {"rtol", 1e-4}, {"atol", 1e-6}};
    j["sizes"] = ojson::array({ojson{{"params", {{"rows", 4096}, {"cols", 1024}}},
                                     {"flops", 20971520.0},
                                     {"bytes", 33554432.0},
                                     {"shapes", {{"x", {4096, 1024}}, {"y", {4096, 1024}}}}}});
    j["reference"] =
        "__global__ void kf_reference(const float* x, float* y, int rows, int cols) { /* " + id + " */ }\n";
    j["baseline"] = {{"kind", "reference"}};
    j["links"] = ojson::array();
    j["rules"] = ojson::array();
    return j.dump();
}

ojson block(const char* kind, std::string text) {
    return ojson{{"kind", kind}, {"text", std::move(text)}, {"signature", ""}, {"data", ""}, {"raw", ""}};
}

} // namespace

std::string scratchDir(const std::string& name) {
    const auto dir = std::filesystem::path(KF_BINARY_DIR) / "test-scratch" / "dataset_export" / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

FixtureCounts fillStore(Store& store, const FixtureOptions& o) {
    FixtureCounts counts;
    int64_t clock = 0;
    for (int s = 0; s < o.specs; ++s) {
        SpecRecord spec;
        spec.json = specJson(s);
        spec.spec_id = "op-" + std::to_string(s) + "-f32";
        spec.category = s % 2 == 0 ? "reduction" : "elementwise";
        spec.hash = store.putSpec(spec);
        const std::string prompt = "# Task: " + spec.spec_id + "\nWrite a CUDA kernel `kf_kernel` for " +
                                   spec.spec_id + ". Reference:\n```cuda\n// reference\n```\n";
        for (int k = 0; k < o.attempts_per_spec; ++k) {
            const int kind = (s + k) % 8; // 0,1 accepted; 2 accepted+edited; 3 rejected; 4 fails; 5 compile
                                          // error; 6 unreviewed pass; 7 needs-work
            const std::string tag = spec.spec_id + "#" + std::to_string(k);
            const std::string kernel = "// kernel " + tag +
                                       "\n__global__ void kf_kernel(const float* x, float* y) {\n" +
                                       filler("  // body " + tag, o.kernel_bytes) + "\n}\n";
            const std::string answer = "Here is the kernel for " + tag + ".\n\n```cuda\n" + kernel + "```\n";
            const int format = k % 4; // full, summarized, omitted, redacted
            ojson blocks = ojson::array();
            std::string reasoning =
                filler("Thinking about " + tag + " (\xc3\xa9t\xc3\xa9)", o.reasoning_bytes);
            if (format == 3) {
                blocks.push_back(block("redacted_thinking", ""));
            }
            if (format != 2) {
                blocks.push_back(block("thinking", reasoning));
            }
            blocks.push_back(block("text", answer));
            ojson settings{{"thinking",
                            {{"type", "enabled"},
                             {"budget_tokens", 8000},
                             {"display", format == 1 ? "summarized" : "full"}}},
                           {"max_tokens", 16000}};
            ojson conv{{"format", "kernelforge.conversation/1"},
                       {"turns", ojson::array({ojson{{"role", "user"},
                                                     {"blocks", ojson::array({block("text", prompt)})}},
                                               ojson{{"role", "assistant"},
                                                     {"blocks", blocks},
                                                     {"status", "complete"},
                                                     {"model", "claude-test-1"},
                                                     {"message_id", "msg_" + std::to_string(k)},
                                                     {"stop_reason", "end_turn"},
                                                     {"stop_details", ""},
                                                     {"request_id", "req_" + tag},
                                                     {"error_type", ""},
                                                     {"error", ""},
                                                     {"usage",
                                                      {{"input_tokens", 1200},
                                                       {"output_tokens", 3000 + k},
                                                       {"thinking_tokens", format == 2 ? 0 : 2000},
                                                       {"cache_read_tokens", -1},
                                                       {"cache_write_tokens", -1}}}}})}};
            AttemptRecord a;
            a.spec_hash = spec.hash;
            a.provider = k % 3 == 0 ? "openai" : "anthropic";
            a.model = k % 3 == 0 ? "qwen3-coder-test" : "claude-test-1";
            a.settings_json = settings.dump();
            a.conversation_json = conv.dump();
            a.raw_stream = "event: message_start\ndata: {}\n\n" + tag;
            a.prompt_template = "kernel-task/1";
            a.status = "complete";
            a.input_tokens = 1200;
            a.output_tokens = 3000 + k;
            a.thinking_tokens = format == 2 ? 0 : 2000;
            a.created_at = stamp(clock++);
            a.generation_run = "local:00000000-0000-0000-0000-00000000000" + std::to_string(s % 10);
            a.id = store.addAttempt(a);
            ++counts.attempts;

            KernelRecord kr;
            kr.attempt_id = a.id;
            kr.spec_hash = spec.hash;
            kr.source = kernel;
            kr.origin = "teacher";
            kr.created_at = stamp(clock++);
            kr.id = store.addKernel(kr);

            RunRecord run;
            run.kernel_id = kr.id;
            run.device_json =
                R"({"name":"NVIDIA H100 80GB HBM3","driver_version":"580.1","cuda_version":"13.0"})";
            run.harness_version = "harness-1";
            run.verdict = kind == 4 || kind == 7 ? "fail" : kind == 5 ? "error" : "pass";
            run.events_json = std::string(R"([{"event":"compile","log":"warning: \xff\xfe odd bytes"}])");
            run.speedup = run.verdict == "pass" ? 1.0 + 0.25 * k : -1.0;
            if (s == 1 && k == 0) {
                run.speedup = std::numeric_limits<double>::infinity(); // SQLite stores NaN as NULL
            }
            run.created_at = stamp(clock++);
            store.addRun(run);

            ReviewRecord review;
            review.attempt_id = a.id;
            review.reviewer = "reviewer-" + std::to_string(k % 2);
            if (kind == 0 || kind == 1) {
                // A history: needs-work first, then accepted.
                review.status = ReviewStatus::NeedsWork;
                review.reviewer = "second-reader";
                review.notes = "check the tail";
                review.created_at = stamp(clock++);
                store.addReview(review);
                review.status = ReviewStatus::Accepted;
                review.reviewer = "reviewer-" + std::to_string(k % 2);
                review.rating = 4;
                review.kernel_id = kr.id;
                review.notes = "good";
                review.created_at = stamp(clock++);
                store.addReview(review);
                ++counts.accepted;
            } else if (kind == 2) {
                KernelRecord edit = kr;
                edit.source = kernel + "// reviewer: guard the tail\n";
                edit.origin = "edited";
                edit.created_at = stamp(clock++);
                edit.id = store.addKernel(edit);
                RunRecord erun = run;
                erun.kernel_id = edit.id;
                erun.speedup = 1.5;
                erun.created_at = stamp(clock++);
                store.addRun(erun);
                review.status = ReviewStatus::Accepted;
                review.rating = 5;
                review.kernel_id = edit.id;
                review.notes = "edited the tail guard";
                review.created_at = stamp(clock++);
                store.addReview(review);
                ++counts.accepted;
            } else if (kind == 3) {
                review.status = ReviewStatus::Rejected;
                review.rating = 1;
                review.notes = "reads out of bounds";
                review.created_at = stamp(clock++);
                store.addReview(review);
            } else if (kind == 7) {
                review.status = ReviewStatus::NeedsWork;
                review.rating = 2;
                review.created_at = stamp(clock++);
                store.addReview(review);
            }
        }
    }
    return counts;
}

} // namespace kf::dataset::testing
