// SPDX-License-Identifier: MIT
// cuBLASLt loaded on demand for the calibration (no GPU needed for these calls).
#include "gpu/calibrate/cublaslt_api.h"

#include <gtest/gtest.h>
#include <string>

TEST(CublasLtApi, LoadsTheToolkitsLibraryOnDemand) {
    const auto& lt = kf::gpu::calibration::cublasLt();
    EXPECT_EQ(lt.getVersion() / 10000, static_cast<std::size_t>(CUBLAS_VER_MAJOR));
    EXPECT_EQ(std::string(lt.getStatusName(CUBLAS_STATUS_NOT_INITIALIZED)), "CUBLAS_STATUS_NOT_INITIALIZED");
    EXPECT_EQ(&lt, &kf::gpu::calibration::cublasLt()); // loaded once
}
