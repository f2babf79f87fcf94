// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/calibrate/measure_context.h"
#include "gpu/calibrate/measurement.h"

namespace kf::gpu::calibration {

enum class GemmType {
    BF16, // bf16 in and out, fp32 accumulate (CUBLAS_COMPUTE_32F)
    FP16, // fp16 in and out, fp32 accumulate (CUBLAS_COMPUTE_32F)
    TF32, // fp32 in and out, CUBLAS_COMPUTE_32F_FAST_TF32
};

// Tensor-core throughput (measurement.md §5.1): a cuBLASLt matmul of 8192^3 on standard-normal data with the
// heuristic's first algorithm and a 32 MiB workspace, laid out as torch.matmul lays out a row-major
// A[M,K] @ B[K,N] (column-major C^T = B^T A^T, both operands 'N'), so the figure compares with torch's.
// `sustained_launches` > 0 times that many back-to-back matmuls in a single repetition instead (the sustained
// rate under the power cap).
CeilingResult measureGemm(const MeasureContext& ctx, GemmType type, int sustained_launches = 0);

const char* gemmName(GemmType type); // "bf16"

} // namespace kf::gpu::calibration
