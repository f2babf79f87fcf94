// SPDX-License-Identifier: MIT
#include "timer.h"

#include "cuda_check.h"
#include "tensor_ops.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace kf::gpu {

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

void syncChecked() {
    KF_CUDA(cudaGetLastError());
    KF_CUDA(cudaDeviceSynchronize());
}

class EventPool {
public:
    explicit EventPool(std::size_t n)
        : events_(n, nullptr) {
        for (auto& e : events_) {
            KF_CUDA(cudaEventCreate(&e));
        }
    }
    ~EventPool() {
        for (auto e : events_) {
            cudaEventDestroy(e);
        }
    }
    EventPool(const EventPool&) = delete;
    EventPool& operator=(const EventPool&) = delete;
    cudaEvent_t operator[](std::size_t i) const { return events_[i]; }

private:
    std::vector<cudaEvent_t> events_;
};

void warmUp(TimedKernel& k, double warmup_s) {
    const auto t0 = Clock::now();
    int n = 0;
    do {
        k.launch();
        syncChecked();
        ++n;
    } while (secondsSince(t0) < warmup_s && n < 100000);
    k.per_call_s = secondsSince(t0) / n;
}

// Splits one chunk's kernel records into calls: every call follows one of the harness's flush kernels, in the
// order the rounds were enqueued. Returns false (and adds nothing) when the records do not fit that pattern.
bool addKernelSpans(std::vector<TimedKernel>& kernels, const std::vector<std::size_t>& active,
                    std::size_t chunk, const std::vector<KernelRecord>& records) {
    std::vector<std::vector<const KernelRecord*>> calls;
    for (const auto& r : records) {
        if (r.name.find("settleKernel") != std::string::npos ||
            r.name.find("discardL2Kernel") != std::string::npos ||
            r.name.find("demoteL2Kernel") != std::string::npos) {
            continue;
        }
        if (r.name.find("flushKernel") != std::string::npos) {
            calls.emplace_back();
        } else if (!calls.empty()) {
            calls.back().push_back(&r);
        }
    }
    if (calls.size() != chunk * active.size() ||
        std::any_of(calls.begin(), calls.end(), [](const auto& c) { return c.empty(); })) {
        return false;
    }
    std::size_t c = 0;
    for (std::size_t r = 0; r < chunk; ++r) {
        for (const std::size_t i : active) {
            std::uint64_t first = ~0ull, last = 0;
            for (const KernelRecord* k : calls[c]) {
                first = std::min(first, k->start_ns);
                last = std::max(last, k->end_ns);
            }
            kernels[i].samples_us.push_back(static_cast<double>(last - first) / 1000.0);
            ++c;
        }
    }
    return true;
}

} // namespace

double eventOverheadUs(cudaStream_t stream) {
    constexpr int kPairs = 100;
    EventPool ev(2 * kPairs);
    for (int i = 0; i < kPairs; ++i) {
        KF_CUDA(cudaEventRecord(ev[2 * i], stream));
        KF_CUDA(cudaEventRecord(ev[2 * i + 1], stream));
    }
    KF_CUDA(cudaStreamSynchronize(stream));
    std::vector<double> us(kPairs);
    for (int i = 0; i < kPairs; ++i) {
        float ms = 0;
        KF_CUDA(cudaEventElapsedTime(&ms, ev[2 * i], ev[2 * i + 1]));
        us[i] = ms * 1000.0;
    }
    std::nth_element(us.begin(), us.begin() + kPairs / 2, us.end());
    return us[kPairs / 2];
}

void timeInterleaved(std::vector<TimedKernel>& kernels, const TimingSetup& setup) {
    const bool cold = setup.mode == runner::TimingMode::Cold;
    double round_s = 0;
    for (auto& k : kernels) {
        warmUp(k, setup.rule.warmup_s);
        if (!cold) {
            // Enough back-to-back launches per sample that launch gaps are overlapped (about 100 us of work).
            k.batch =
                static_cast<int>(std::clamp(std::ceil(100e-6 / std::max(k.per_call_s, 1e-7)), 1.0, 1000.0));
        }
        round_s += k.per_call_s * k.batch;
    }
    if (cold) {
        round_s += static_cast<double>(setup.flush_bytes) / 2.5e12 *
                   (1.0 + std::max(setup.demote_passes, 0)) * static_cast<double>(kernels.size());
    }
    // Rounds enqueued between host synchronizations: about 20 ms of GPU work, so the queue never runs dry.
    const auto chunk = static_cast<std::size_t>(std::clamp(0.02 / std::max(round_s, 1e-6), 1.0, 50.0));
    EventPool ev(2 * chunk * kernels.size());
    std::vector<double> elapsed(kernels.size(), 0.0);
    bool use_activity = cold && setup.activity != nullptr && setup.activity->enable();

    // The first chunk of a size is only as many rounds as the stop rule needs before it may stop: an
    // interactive run whose samples agree at 10 does not wait for 50 cold rounds, each with its flush (0.11 s
    // less from click to verdict for the softmax gold kernel on an H100).
    std::size_t rounds = std::min(chunk, std::max<std::size_t>(setup.rule.min_samples, 1));
    while (true) {
        std::vector<std::size_t> active;
        for (std::size_t i = 0; i < kernels.size(); ++i) {
            if (kernels[i].stop == runner::StopReason::None) {
                active.push_back(i);
            }
        }
        if (active.empty()) {
            break;
        }
        const auto t0 = Clock::now();
        std::size_t slot = 0;
        for (std::size_t r = 0; r < rounds; ++r) {
            for (const std::size_t i : active) {
                if (cold) {
                    flushL2(setup.flush, setup.flush_bytes, setup.stream);
                    for (int p = 0; p < setup.demote_passes; ++p) {
                        demoteL2(setup.flush, setup.flush_bytes, setup.stream);
                    }
                    if (setup.discard_flush) {
                        discardL2(setup.flush, setup.flush_bytes - 16, setup.stream); // the sink stays
                    }
                    if (setup.settle_us > 0) {
                        settle(setup.settle_us, setup.stream);
                    }
                }
                KF_CUDA(cudaEventRecord(ev[slot], setup.stream));
                for (int b = 0; b < kernels[i].batch; ++b) {
                    kernels[i].launch();
                }
                KF_CUDA(cudaEventRecord(ev[slot + 1], setup.stream));
                slot += 2;
            }
        }
        syncChecked();
        const double wall = secondsSince(t0);
        slot = 0;
        for (std::size_t r = 0; r < rounds; ++r) {
            for (const std::size_t i : active) {
                float ms = 0;
                KF_CUDA(cudaEventElapsedTime(&ms, ev[slot], ev[slot + 1]));
                kernels[i].event_samples_us.push_back(ms * 1000.0 / kernels[i].batch);
                slot += 2;
            }
        }
        if (use_activity) {
            use_activity = addKernelSpans(kernels, active, rounds, setup.activity->collect());
        }
        for (auto& k : kernels) {
            if (!use_activity) {
                k.samples_us = k.event_samples_us; // one clock for every sample of a run
            }
        }
        for (const std::size_t i : active) {
            elapsed[i] += wall / static_cast<double>(active.size());
            kernels[i].stop = runner::shouldStop(setup.rule, kernels[i].samples_us, elapsed[i]);
        }
        rounds = chunk;
    }
    if (setup.activity != nullptr) {
        setup.activity->disable();
    }
    for (auto& k : kernels) {
        k.timer = use_activity ? "cupti" : "events";
    }
}

} // namespace kf::gpu
