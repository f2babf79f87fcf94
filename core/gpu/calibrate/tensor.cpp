// SPDX-License-Identifier: MIT
#include "tensor.h"

#include "gpu/calibrate/cublaslt_api.h"
#include "gpu/calibrate/cuda_check.h"
#include "gpu/calibrate/device_buffer.h"
#include "gpu/calibrate/random_fill.h"

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace kf::gpu::calibration {
namespace {

constexpr std::uint64_t kDim = 8192; // M = N = K
constexpr std::size_t kWorkspaceBytes = std::size_t{32} << 20;

struct GemmSpec {
    cudaDataType_t data; // A, B, C and D
    cublasComputeType_t compute;
    FillType fill;
    std::size_t elem_bytes;
    const char* data_name;
    const char* compute_name;
};

GemmSpec specFor(GemmType type) {
    switch (type) {
    case GemmType::BF16:
        return {CUDA_R_16BF, CUBLAS_COMPUTE_32F, FillType::BF16, 2, "CUDA_R_16BF", "CUBLAS_COMPUTE_32F"};
    case GemmType::FP16:
        return {CUDA_R_16F, CUBLAS_COMPUTE_32F, FillType::F16, 2, "CUDA_R_16F", "CUBLAS_COMPUTE_32F"};
    case GemmType::TF32:
        return {CUDA_R_32F,   CUBLAS_COMPUTE_32F_FAST_TF32,  FillType::F32, 4,
                "CUDA_R_32F", "CUBLAS_COMPUTE_32F_FAST_TF32"};
    }
    throw std::invalid_argument("unknown GemmType");
}

// cuBLASLt objects, destroyed whatever happens.
struct LtFree {
    void operator()(cublasLtContext* p) const { cublasLt().destroy(p); }
    void operator()(cublasLtMatmulDescOpaque_t* p) const { cublasLt().matmulDescDestroy(p); }
    void operator()(cublasLtMatrixLayoutOpaque_t* p) const { cublasLt().matrixLayoutDestroy(p); }
    void operator()(cublasLtMatmulPreferenceOpaque_t* p) const { cublasLt().matmulPreferenceDestroy(p); }
};
template <class Handle>
using LtPtr = std::unique_ptr<std::remove_pointer_t<Handle>, LtFree>;

LtPtr<cublasLtMatrixLayout_t> layout(cudaDataType_t type, std::uint64_t rows, std::uint64_t cols,
                                     std::int64_t ld) {
    cublasLtMatrixLayout_t raw = nullptr;
    KF_CUBLAS_CHECK(cublasLt().matrixLayoutCreate(&raw, type, rows, cols, ld));
    return LtPtr<cublasLtMatrixLayout_t>(raw);
}

// One algorithm attribute for the details; an attribute this cuBLASLt does not know is left out.
template <class T>
void addAlgoConfig(Measurement& m, const cublasLtMatmulAlgo_t& algo,
                   cublasLtMatmulAlgoConfigAttributes_t attr, const char* name) {
    T value{};
    std::size_t written = 0;
    if (cublasLt().matmulAlgoConfigGetAttribute(&algo, attr, &value, sizeof value, &written) ==
            CUBLAS_STATUS_SUCCESS &&
        written == sizeof value) {
        m.params.emplace_back(name, static_cast<double>(value));
    }
}

} // namespace

const char* gemmName(GemmType type) {
    switch (type) {
    case GemmType::BF16:
        return "bf16";
    case GemmType::FP16:
        return "fp16";
    case GemmType::TF32:
        return "tf32";
    }
    return "?";
}

CeilingResult measureGemm(const MeasureContext& ctx, GemmType type, int sustained_launches) {
    const GemmSpec spec = specFor(type);
    const std::size_t matrix_bytes = kDim * kDim * spec.elem_bytes;
    DeviceBuffer a(matrix_bytes, "GEMM operand A");
    DeviceBuffer b(matrix_bytes, "GEMM operand B");
    DeviceBuffer c(matrix_bytes, "GEMM result C");
    DeviceBuffer workspace(kWorkspaceBytes, "the cuBLASLt workspace");
    fillNormal(a.get(), kDim * kDim, spec.fill, 0x5EED0010ULL, ctx.stream);
    fillNormal(b.get(), kDim * kDim, spec.fill, 0x5EED0011ULL, ctx.stream);
    KF_CUDA_CHECK(cudaMemsetAsync(c.get(), 0, matrix_bytes, ctx.stream));
    KF_CUDA_CHECK(cudaStreamSynchronize(ctx.stream));

    cublasLtHandle_t raw_handle = nullptr;
    KF_CUBLAS_CHECK(cublasLt().create(&raw_handle));
    const LtPtr<cublasLtHandle_t> handle(raw_handle);
    cublasLtMatmulDesc_t raw_desc = nullptr;
    KF_CUBLAS_CHECK(cublasLt().matmulDescCreate(&raw_desc, spec.compute, CUDA_R_32F));
    const LtPtr<cublasLtMatmulDesc_t> desc(raw_desc);
    const cublasOperation_t no_transpose = CUBLAS_OP_N;
    KF_CUBLAS_CHECK(cublasLt().matmulDescSetAttribute(desc.get(), CUBLASLT_MATMUL_DESC_TRANSA, &no_transpose,
                                                      sizeof no_transpose));
    KF_CUBLAS_CHECK(cublasLt().matmulDescSetAttribute(desc.get(), CUBLASLT_MATMUL_DESC_TRANSB, &no_transpose,
                                                      sizeof no_transpose));
    // Row-major A[M,K] @ B[K,N] = C[M,N] is column-major C^T[N,M] = B^T[N,K] A^T[K,M]: cuBLASLt's "A" is our
    // B.
    const auto lt_a = layout(spec.data, kDim, kDim, static_cast<std::int64_t>(kDim)); // B^T: N x K, ld N
    const auto lt_b = layout(spec.data, kDim, kDim, static_cast<std::int64_t>(kDim)); // A^T: K x M, ld K
    const auto lt_c = layout(spec.data, kDim, kDim, static_cast<std::int64_t>(kDim)); // C^T: N x M, ld N

    cublasLtMatmulPreference_t raw_pref = nullptr;
    KF_CUBLAS_CHECK(cublasLt().matmulPreferenceCreate(&raw_pref));
    const LtPtr<cublasLtMatmulPreference_t> pref(raw_pref);
    const std::size_t max_workspace = kWorkspaceBytes;
    KF_CUBLAS_CHECK(cublasLt().matmulPreferenceSetAttribute(
        pref.get(), CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &max_workspace, sizeof max_workspace));
    const std::uint32_t alignment = 256; // cudaMalloc's; torch passes the pointers' alignment the same way
    for (auto attr :
         {CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES,
          CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES}) {
        KF_CUBLAS_CHECK(
            cublasLt().matmulPreferenceSetAttribute(pref.get(), attr, &alignment, sizeof alignment));
    }
    cublasLtMatmulHeuristicResult_t heuristic{};
    int found = 0;
    KF_CUBLAS_CHECK(cublasLt().matmulAlgoGetHeuristic(handle.get(), desc.get(), lt_a.get(), lt_b.get(),
                                                      lt_c.get(), lt_c.get(), pref.get(), 1, &heuristic,
                                                      &found));
    if (found < 1 || heuristic.state != CUBLAS_STATUS_SUCCESS) {
        throw std::runtime_error(std::string("cublasLtMatmulAlgoGetHeuristic found no algorithm for ") +
                                 gemmName(type) + " 8192^3 (" + spec.data_name + ", " + spec.compute_name +
                                 ")");
    }

    const float alpha = 1.0f;
    const float beta = 0.0f;
    auto launch = [&] {
        KF_CUBLAS_CHECK(cublasLt().matmul(handle.get(), desc.get(), &alpha, b.get(), lt_a.get(), a.get(),
                                          lt_b.get(), &beta, c.get(), lt_c.get(), c.get(), lt_c.get(),
                                          &heuristic.algo, workspace.get(), kWorkspaceBytes, ctx.stream));
    };

    const bool sustained = sustained_launches > 0;
    ctx.say(std::string(gemmName(type)) + ": cuBLASLt matmul 8192^3" +
            (sustained ? ", " + std::to_string(sustained_launches) + " back to back" : std::string()));
    Measurement m;
    m.name =
        std::string("cuBLASLt matmul ") + gemmName(type) + " 8192^3" +
        (sustained ? " sustained (" + std::to_string(sustained_launches) + " back to back)" : std::string());
    m.unit = RateUnit::TFLOPs;
    const double flops =
        2.0 * static_cast<double>(kDim) * static_cast<double>(kDim) * static_cast<double>(kDim);
    m.work_per_rep = flops * (sustained ? sustained_launches : 1);
    m.params.emplace_back("m", static_cast<double>(kDim));
    m.params.emplace_back("n", static_cast<double>(kDim));
    m.params.emplace_back("k", static_cast<double>(kDim));
    m.params.emplace_back("workspace_bytes", static_cast<double>(kWorkspaceBytes));
    m.params.emplace_back("algo_workspace_bytes", static_cast<double>(heuristic.workspaceSize));
    m.params.emplace_back("algo_waves_count", static_cast<double>(heuristic.wavesCount));
    addAlgoConfig<std::int32_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_ID, "algo_id");
    addAlgoConfig<std::uint32_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_TILE_ID, "algo_tile_id");
    addAlgoConfig<std::uint32_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_STAGES_ID, "algo_stages_id");
    addAlgoConfig<std::int32_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_SPLITK_NUM, "algo_splitk_num");
    addAlgoConfig<std::uint32_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_REDUCTION_SCHEME,
                                 "algo_reduction_scheme");
    addAlgoConfig<std::uint32_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_CTA_SWIZZLING, "algo_cta_swizzling");
    addAlgoConfig<std::uint32_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_CUSTOM_OPTION, "algo_custom_option");
    addAlgoConfig<std::uint16_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_INNER_SHAPE_ID,
                                 "algo_inner_shape_id");
    addAlgoConfig<std::uint16_t>(m, heuristic.algo, CUBLASLT_ALGO_CONFIG_CLUSTER_SHAPE_ID,
                                 "algo_cluster_shape_id");
    m.notes.emplace_back("data_type", spec.data_name);
    m.notes.emplace_back("compute_type", spec.compute_name);
    m.notes.emplace_back("layout",
                         "row-major A[M,K] @ B[K,N] as column-major C^T = B^T A^T, transa = transb = N "
                         "(as torch.matmul)");
    m.notes.emplace_back("inputs", "standard normal");
    m.notes.emplace_back("algo", "cublasLtMatmulAlgoGetHeuristic's first result");
    m.notes.emplace_back("flops_counted", "2 * M * N * K per matmul");
    m.run = sustained ? timeRepetitions(ctx, launch, 1, sustained_launches)
                      : timeRepetitions(ctx, launch, ctx.plan.reps);
    m.counts_for_ceiling = !sustained;

    CeilingResult result;
    result.measurements.push_back(std::move(m));
    result.pick();
    if (sustained) { // nothing counts for the ceiling; the caller reports it beside the median
        result.value = result.measurements.front().medianRate();
        result.from = result.measurements.front().name;
    }
    return result;
}

} // namespace kf::gpu::calibration
