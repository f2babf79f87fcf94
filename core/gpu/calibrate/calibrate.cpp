// SPDX-License-Identifier: MIT
#include "calibrate.h"

#include "gpu/calibrate/cublaslt_api.h"
#include "gpu/calibrate/cuda_check.h"
#include "gpu/calibrate/dram.h"
#include "gpu/calibrate/flops.h"
#include "gpu/calibrate/l2.h"
#include "gpu/calibrate/tensor.h"
#include "gpu/nvml/nvml_session.h"

#include <chrono>
#include <memory>

namespace kf::gpu {

using namespace calibration;

namespace {

constexpr int kSustainedLaunches = 200; // measurement.md §5.1: a sustained run of 200 back-to-back GEMMs

struct StreamFree {
    void operator()(CUstream_st* s) const { cudaStreamDestroy(s); }
};

std::string versionText(int v) { // 13000 -> "13.0"
    return std::to_string(v / 1000) + "." + std::to_string(v % 1000 / 10);
}

} // namespace

nlohmann::json calibrate(const CalibrateOptions& options) {
    const auto t0 = std::chrono::steady_clock::now();
    MeasureContext ctx;
    ctx.quick = options.quick;
    ctx.plan = options.quick ? RepPlan{0.05, 10} : RepPlan{0.3, 50};
    ctx.progress = options.progress;

    KF_CUDA_CHECK(cudaGetDevice(&ctx.device));
    cudaDeviceProp prop{};
    KF_CUDA_CHECK(cudaGetDeviceProperties(&prop, ctx.device));
    ctx.sms = prop.multiProcessorCount;
    ctx.l2_bytes = static_cast<std::size_t>(prop.l2CacheSize);
    ctx.mem_bytes = prop.totalGlobalMem;
    char bus_id[64] = {};
    KF_CUDA_CHECK(cudaDeviceGetPCIBusId(bus_id, sizeof bus_id, ctx.device));
    int runtime_version = 0;
    int driver_version = 0;
    KF_CUDA_CHECK(cudaRuntimeGetVersion(&runtime_version));
    KF_CUDA_CHECK(cudaDriverGetVersion(&driver_version));

    std::string nvml_why_not;
    const std::unique_ptr<Nvml> nvml = Nvml::open(bus_id, &nvml_why_not);
    ctx.nvml = nvml.get();
    if (nvml == nullptr) {
        ctx.say("NVML unavailable (" + nvml_why_not + "): clocks and power are not recorded");
    }

    cudaStream_t raw_stream = nullptr;
    KF_CUDA_CHECK(cudaStreamCreateWithFlags(&raw_stream, cudaStreamNonBlocking));
    const std::unique_ptr<CUstream_st, StreamFree> stream(raw_stream);
    ctx.stream = stream.get();

    // Light work first, then the GEMMs that torch is compared with, then the power-hungry FMA kernels, and
    // the sustained GEMM last so that its heat does not lower the others.
    const CeilingResult dram = measureDram(ctx);
    const CeilingResult l2 = measureL2(ctx);
    const CeilingResult bf16 = measureGemm(ctx, GemmType::BF16);
    const CeilingResult fp16 = measureGemm(ctx, GemmType::FP16);
    const CeilingResult tf32 = measureGemm(ctx, GemmType::TF32);
    const CeilingResult fp32 = measureFp32(ctx);
    const CeilingResult fp64 = measureFp64(ctx);
    nlohmann::json sustained = nullptr;
    if (!options.quick) {
        sustained = toJson(measureGemm(ctx, GemmType::BF16, kSustainedLaunches));
    }
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));
    KF_CUDA_CHECK(cudaGetLastError());

    nlohmann::json details;
    details["dram"] = toJson(dram);
    details["l2"] = toJson(l2);
    details["fp32"] = toJson(fp32);
    details["fp64"] = toJson(fp64);
    details["bf16"] = toJson(bf16);
    details["fp16"] = toJson(fp16);
    details["tf32"] = toJson(tf32);
    details["bf16_sustained"] = sustained;
    details["method"] =
        "each ceiling is the median of timed repetitions (one cudaEvent pair each, recorded back to "
        "back on a dedicated non-blocking stream) after a timed warm-up; 'best' is the fastest "
        "repetition; DRAM copies count read + write bytes; FLOPs are 2 per FMA";
    details["quick"] = options.quick;
    details["plan"] = {{"warmup_s", ctx.plan.warmup_s}, {"reps", ctx.plan.reps}};
    details["pci_bus_id"] = bus_id;
    details["cuda_runtime"] = versionText(runtime_version);
    details["cuda_driver"] = versionText(driver_version);
    details["cublaslt_version"] = cublasLt().getVersion();
    details["nvml"] = nvml != nullptr ? nlohmann::json{{"available", true}, {"uuid", nvml->uuid()}}
                                      : nlohmann::json{{"available", false}, {"why_not", nvml_why_not}};
    details["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

    return {{"dram_gbps", dram.value},   {"l2_gbps", l2.value},          {"fp32_tflops", fp32.value},
            {"fp64_tflops", fp64.value}, {"bf16_tflops", bf16.value},    {"fp16_tflops", fp16.value},
            {"tf32_tflops", tf32.value}, {"details", std::move(details)}};
}

} // namespace kf::gpu
