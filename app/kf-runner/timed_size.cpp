// SPDX-License-Identifier: MIT
#include "timed_size.h"

#include "gpu/harness/timer.h"
#include "gpu/nvml/nvml_session.h"
#include "runner/review_flags.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace kf::runner_app {

namespace {

nlohmann::json finite(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

nlohmann::json sizeObject(const spec::Spec& spec, const spec::SizeCase& size) {
    nlohmann::json o = nlohmann::json::object();
    for (std::size_t i = 0; i < spec.params.size(); ++i) {
        o[spec.params[i]] = size.values.at(i);
    }
    return o;
}

nlohmann::json clocksJson(const std::optional<gpu::ClockSample>& start,
                          const std::optional<gpu::ClockSample>& end) {
    if (!start || !end) {
        return nullptr;
    }
    return {{"sm_mhz_start", start->sm_mhz}, {"sm_mhz_end", end->sm_mhz}, {"mem_mhz", end->mem_mhz},
            {"max_sm_mhz", end->max_sm_mhz}, {"power_w", end->power_w},   {"temp_c", end->temp_c},
            {"throttle", end->reasons}};
}

// Ceilings measured on another kind of GPU say nothing about this one.
nlohmann::json ceilingsFor(const nlohmann::json& ceilings, const gpu::DeviceInfo& device) {
    if (!ceilings.is_object() || !ceilings.contains("device") || !ceilings["device"].is_object() ||
        ceilings["device"].value("name", std::string()) != device.name) {
        return nullptr;
    }
    return ceilings;
}

} // namespace

runner::StopRule stopRule(const runner::JobOptions& options) {
    runner::StopRule rule = runner::stopRuleFor(options.budget);
    if (options.samples) {
        rule.min_samples = rule.max_samples = static_cast<std::size_t>(*options.samples);
        rule.time_cap_s = 1e9;
    }
    return rule;
}

TimedSize timeSize(const TimingContext& ctx, std::size_t size_index, bool first_timed_size,
                   const gpu::Checker& checker, const gpu::LauncherLibrary& candidate,
                   const gpu::LauncherLibrary& baseline) {
    const spec::SizeCase& size = checker.size();
    const gpu::LaunchArgs cand_args = checker.candidateArgs();
    const gpu::LaunchArgs base_args = checker.referenceArgs(); // the baseline writes the reference's outputs
    std::vector<gpu::TimedKernel> kernels(ctx.options.time_baseline ? 2 : 1);
    kernels[0].who = "candidate";
    kernels[0].launch = [&] { candidate.call(cand_args, ctx.stream); };
    if (ctx.options.time_baseline) {
        kernels[1].who = "baseline";
        kernels[1].launch = [&] { baseline.call(base_args, ctx.stream); };
    }
    runner::StopRule rule = stopRule(ctx.options);
    if (!first_timed_size) {
        rule.warmup_s = rule.later_warmup_s;
    }
    gpu::TimingSetup setup{.rule = rule,
                           .mode = ctx.options.mode,
                           .flush = ctx.flush.get(),
                           .flush_bytes = ctx.flush.bytes(),
                           .stream = ctx.stream};
    // For tests/bench/gpu/fidelity.py: an idle gap after each flush, the flush's lines left in L2, and the
    // number of evict-first passes (gpu/harness/timer.h says why the defaults are what they are).
    if (const char* settle = std::getenv("KF_TIMER_SETTLE_US"); settle != nullptr) {
        setup.settle_us = std::strtod(settle, nullptr);
    }
    if (const char* discard = std::getenv("KF_TIMER_DISCARD");
        discard != nullptr && std::string(discard) == "0") {
        setup.discard_flush = false;
    }
    if (const char* passes = std::getenv("KF_TIMER_DEMOTE_PASSES"); passes != nullptr) {
        setup.demote_passes = std::clamp(std::atoi(passes), 0, 8);
    }
    static const std::unique_ptr<gpu::KernelActivity> activity = [] {
        std::string why;
        auto a = gpu::KernelActivity::open(&why);
        if (!a) {
            std::fprintf(stderr, "kf-runner: timing with events only: %s\n", why.c_str());
        }
        return a;
    }();
    setup.activity = activity.get();
    static const std::unique_ptr<gpu::Nvml> nvml = [&] {
        std::string why;
        return gpu::Nvml::open(ctx.device.pci_bus_id, &why);
    }();
    std::vector<std::optional<gpu::ClockSample>> before;
    std::vector<std::optional<gpu::ClockSample>> after;
    const auto sample = [&] { return nvml ? std::optional(nvml->sample()) : std::nullopt; };
    before.push_back(sample());
    gpu::timeInterleaved(kernels, setup);
    after.push_back(sample());

    TimedSize out;
    std::vector<runner::SampleStats> stats;
    for (auto& k : kernels) {
        if (k.samples_us.size() > rule.max_samples) {
            k.samples_us.resize(rule.max_samples);
            k.event_samples_us.resize(rule.max_samples);
        }
        stats.push_back(runner::summarize(k.samples_us));
    }
    if (stats.size() > 1 && stats[0].median > 0) {
        out.speedup = stats[1].median / stats[0].median;
    }
    for (std::size_t i = 0; i < kernels.size(); ++i) {
        const runner::SampleStats& s = stats[i];
        std::vector<std::string> flags;
        if (i == 0) {
            flags = runner::reviewFlags(ctx.spec, size, s.median, out.speedup,
                                        ceilingsFor(ctx.options.ceilings, ctx.device));
        }
        if (kernels[i].stop == runner::StopReason::Timeout && s.rel_sem_median > rule.max_rel_sem) {
            flags.push_back("noisy");
        }
        const auto& end = after.front();
        if (end && !end->reasons.empty()) {
            flags.push_back("throttled");
        }
        if (end && end->max_sm_mhz > 0 && end->sm_mhz < 0.75 * end->max_sm_mhz) {
            flags.push_back("clock<75%");
        }
        const double med = s.median;
        nlohmann::json ev = {
            {"size_index", size_index},
            {"size", sizeObject(ctx.spec, size)},
            {"who", kernels[i].who},
            {"mode", ctx.options.mode == runner::TimingMode::Hot ? "hot" : "cold"},
            {"median_us", finite(med)},
            {"iqr_us", finite(s.iqr)},
            {"min_us", finite(s.min)},
            {"max_us", finite(s.max)},
            {"mean_us", finite(s.mean)},
            {"sem_us", finite(s.sem)},
            {"rel_std", finite(s.rel_std)},
            {"rel_sem_median", finite(s.rel_sem_median)},
            {"outliers", s.outliers},
            {"samples", s.n},
            {"batch", kernels[i].batch},
            {"stop", std::string(runner::stopReasonName(kernels[i].stop))},
            {"gflops", med > 0 ? finite(size.flops / med / 1e3) : nlohmann::json()},
            {"gbps", med > 0 ? finite(size.bytes / med / 1e3) : nlohmann::json()},
            {"timer", kernels[i].timer},
            {"event_median_us", finite(runner::summarize(kernels[i].event_samples_us).median)},
            {"event_overhead_us", finite(ctx.event_overhead_us)},
            {"budget", std::string(runner::budgetName(ctx.options.budget))},
            {"clocks", clocksJson(before.front(), end)},
            {"flags", flags}};
        if (i == 0) {
            ev["speedup"] = out.speedup > 0 ? nlohmann::json(out.speedup) : nlohmann::json();
            out.candidate = std::move(ev);
            out.flags = flags;
        } else {
            out.baseline = std::move(ev);
        }
    }
    return out;
}

} // namespace kf::runner_app
