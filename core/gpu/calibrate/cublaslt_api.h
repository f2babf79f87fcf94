// SPDX-License-Identifier: MIT
#pragma once

#include <cublasLt.h>

namespace kf::gpu::calibration {

// The cuBLASLt functions the tensor-core ceilings use, from the library loaded (dlopen) when a calibration
// first needs it. Linked, cuBLASLt's static initialisers cost every kf-runner process about 0.15 s before
// main() and 210 MB of memory, and only calibrate jobs use it.
struct CublasLtApi {
    decltype(&cublasLtCreate) create;
    decltype(&cublasLtDestroy) destroy;
    decltype(&cublasLtGetVersion) getVersion;
    decltype(&cublasLtGetStatusName) getStatusName;
    decltype(&cublasLtGetStatusString) getStatusString;
    decltype(&cublasLtMatmul) matmul;
    decltype(&cublasLtMatmulAlgoGetHeuristic) matmulAlgoGetHeuristic;
    decltype(&cublasLtMatmulAlgoConfigGetAttribute) matmulAlgoConfigGetAttribute;
    decltype(&cublasLtMatmulDescCreate) matmulDescCreate;
    decltype(&cublasLtMatmulDescDestroy) matmulDescDestroy;
    decltype(&cublasLtMatmulDescSetAttribute) matmulDescSetAttribute;
    decltype(&cublasLtMatmulPreferenceCreate) matmulPreferenceCreate;
    decltype(&cublasLtMatmulPreferenceDestroy) matmulPreferenceDestroy;
    decltype(&cublasLtMatmulPreferenceSetAttribute) matmulPreferenceSetAttribute;
    decltype(&cublasLtMatrixLayoutCreate) matrixLayoutCreate;
    decltype(&cublasLtMatrixLayoutDestroy) matrixLayoutDestroy;
};

// Loads libcublasLt once (thread-safe) and returns its functions. Throws std::runtime_error naming what was
// tried and why it failed ("libcublasLt.so.13: cannot open shared object file ...").
const CublasLtApi& cublasLt();

} // namespace kf::gpu::calibration
