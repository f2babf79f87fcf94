// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/calibrate/measure_context.h"
#include "gpu/calibrate/measurement.h"

namespace kf::gpu::calibration {

// L2 read bandwidth (measurement.md §5.1): a sweep of working sets that fit in L2 (4 to 32 MiB, those within
// three quarters of the device's L2), each read over and over within one launch with L1-bypassing loads
// (__ldcg), eight independent loads in flight per thread. The ceiling is the best median of the sweep.
CeilingResult measureL2(const MeasureContext& ctx);

} // namespace kf::gpu::calibration
