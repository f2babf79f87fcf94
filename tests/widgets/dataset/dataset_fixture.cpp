// SPDX-License-Identifier: MIT
#include "dataset_fixture.h"

#include <ctime>
#include <nlohmann/json.hpp>

namespace kf::widgets::testing {

namespace {

using kf::dataset::ReviewStatus;
using ojson = nlohmann::ordered_json;

const char* const kTopics[] = {"warp", "tiling", "tensor"};
const char* const kReasoning[] = {
    "Each row fits in one warp: reduce the maximum with warp shuffles, then the sum, no shared memory.",
    "Stage tiles of the input in shared memory tiling 32x32 so that both reads and writes are coalesced.",
    "Use tensor cores through wmma fragments of 16x16x16; accumulate in fp32 and convert on store."};

struct Provider {
    const char* provider;
    const char* model;
};
const Provider kProviders[] = {{"anthropic", "claude-sonnet-4-5"},
                               {"openai", "gpt-5"},
                               {"ollama", "qwen3-coder"},
                               {"anthropic", "claude-opus-4-1"}};

std::string conversation(int i, const std::string& kernel) {
    const auto block = [](const char* kind, const std::string& text) {
        return ojson{{"kind", kind}, {"text", text}, {"signature", ""}, {"data", ""}, {"raw", ""}};
    };
    const std::string reasoning =
        std::string(kReasoning[i % 3]) + " Bounds are checked per element. marker_" + std::to_string(i);
    ojson user{{"role", "user"}, {"blocks", ojson::array({block("text", "Write kf_launch for the spec.")})}};
    ojson assistant{
        {"role", "assistant"},
        {"blocks", ojson::array({block("thinking", reasoning),
                                 block("text", "Here is the kernel:\n```cuda\n" + kernel + "\n```")})},
        {"status", "complete"},
        {"model", kProviders[i % 4].model},
        {"message_id", "msg_" + std::to_string(i)},
        {"stop_reason", "end_turn"},
        {"stop_details", ""},
        {"request_id", "req_" + std::to_string(i)},
        {"error_type", ""},
        {"error", ""},
        {"usage",
         {{"input_tokens", 1200},
          {"output_tokens", 900 + i},
          {"thinking_tokens", 600},
          {"cache_read_tokens", 0},
          {"cache_write_tokens", 0}}}};
    return ojson{{"format", "kernelforge.conversation/1"}, {"turns", ojson::array({user, assistant})}}.dump();
}

std::string kernelSource(int i, const std::string& spec_id) {
    // Distinct per attempt (its own constants and names), so that near-duplicate checks stay quiet.
    return "// " + spec_id + " attempt " + std::to_string(i) + "\n__global__ void k_" + std::to_string(i) +
           "(const float* __restrict__ in, float* __restrict__ out, int n_" + std::to_string(i) +
           ") {\n  int t = blockIdx.x * " + std::to_string(32 * (1 + i % 8)) +
           " + threadIdx.x;\n  if (t < n_" + std::to_string(i) + ") out[t] = in[t] * " +
           std::to_string(i + 1) + ".0f + " + std::to_string(i % 11) + ".5f;\n}\nvoid kf_launch_" +
           std::to_string(i) + "(const float* in, float* out) { k_" + std::to_string(i) + "<<<" +
           std::to_string(i + 3) + ", 256>>>(in, out, " + std::to_string(1000 + i) + "); }\n";
}

std::string hoursAfterNewYear(int i) {
    const std::time_t t = 1767225600 + static_cast<std::time_t>(i) * 3600; // 2026-01-01T00:00:00Z
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace

const std::vector<std::string>& specIds() {
    static const std::vector<std::string> ids = {"gemm-f16", "layernorm-f32", "reduce-sum-f32",
                                                 "softmax-rows-f32", "transpose-f32"};
    return ids;
}

qint64 Fixture::count(bool (*pred)(const FixtureAttempt&)) const {
    qint64 n = 0;
    for (const auto& a : attempts) {
        n += pred(a) ? 1 : 0;
    }
    return n;
}

Fixture fillStore(kf::dataset::Store& store, int attempts) {
    // Spec order chosen so that i % 5 does not follow the sorted order.
    static const int kSpecOrder[] = {3, 0, 1, 4, 2};
    std::vector<std::string> hashes;
    for (int s = 0; s < 5; ++s) {
        kf::dataset::SpecRecord spec;
        spec.spec_id = specIds()[static_cast<size_t>(kSpecOrder[s])];
        spec.category = s == 1 ? "matmul" : "reduction";
        spec.json = nlohmann::json{{"id", spec.spec_id}, {"params", {"rows", "cols"}}}.dump();
        spec.hash = kf::dataset::sha256Hex(spec.json);
        hashes.push_back(store.putSpec(spec));
    }
    Fixture f;
    for (int i = 0; i < attempts; ++i) {
        FixtureAttempt fa;
        fa.spec_id = specIds()[static_cast<size_t>(kSpecOrder[i % 5])];
        fa.provider = kProviders[i % 4].provider;
        fa.model = kProviders[i % 4].model;
        fa.created_at = hoursAfterNewYear(i);
        fa.topic = kTopics[i % 3];
        const std::string kernel = kernelSource(i, fa.spec_id);

        kf::dataset::AttemptRecord a;
        a.spec_hash = hashes[static_cast<size_t>(i % 5)];
        a.provider = fa.provider;
        a.model = fa.model;
        a.settings_json = R"({"thinking":"enabled","budget_tokens":8000,"max_tokens":16000})";
        a.conversation_json = conversation(i, kernel);
        a.raw_stream = "event: message_start\ndata: {}\n\n";
        a.prompt_template = "kernel-task/1";
        a.status = "complete";
        a.input_tokens = 1200;
        a.output_tokens = 900 + i;
        a.thinking_tokens = 600;
        a.created_at = fa.created_at;
        a.generation_run = "local:fixture";
        fa.id = store.addAttempt(a);

        kf::dataset::KernelRecord k;
        k.attempt_id = fa.id;
        k.source = kernel;
        k.origin = "teacher";
        k.created_at = fa.created_at;
        fa.kernel_id = store.addKernel(k);

        if (i % 7 != 0) {
            kf::dataset::RunRecord r;
            r.kernel_id = fa.kernel_id;
            r.device_json = R"({"name":"NVIDIA H100 80GB HBM3","cc":"9.0","sm_count":132})";
            r.harness_version = "kf-runner 0.1.0";
            fa.verdict = i % 7 == 1 ? "fail" : i % 7 == 2 ? "error" : "pass";
            fa.speedup = fa.verdict == "pass" ? 0.5 + (i * 37 % 300) / 100.0 : -1.0;
            r.verdict = fa.verdict;
            r.speedup = fa.speedup;
            r.events_json = R"([{"event":"done","verdict":")" + fa.verdict + R"("}])";
            r.created_at = fa.created_at;
            store.addRun(r);
        }
        if (i % 6 < 3) {
            kf::dataset::ReviewRecord rv;
            rv.attempt_id = fa.id;
            rv.kernel_id = fa.kernel_id;
            rv.status = i % 6 == 0   ? ReviewStatus::Accepted
                        : i % 6 == 1 ? ReviewStatus::Rejected
                                     : ReviewStatus::NeedsWork;
            rv.rating = i % 6 == 0 ? 1 + i % 5 : 0;
            rv.notes = "fixture review";
            rv.reviewer = "fixture";
            rv.created_at = fa.created_at;
            store.addReview(rv);
            fa.review_status = kf::dataset::reviewStatusName(rv.status);
            fa.rating = rv.rating;
        }
        f.attempts.push_back(fa);
    }
    return f;
}

} // namespace kf::widgets::testing
