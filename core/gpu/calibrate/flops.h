// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/calibrate/measure_context.h"
#include "gpu/calibrate/measurement.h"

namespace kf::gpu::calibration {

// Vector (non-tensor) FMA throughput (measurement.md §5.1): eight independent FMA chains per thread at full
// occupancy, FLOPs = 2 per FMA. measureFp32 uses FFMA, measureFp64 DFMA.
CeilingResult measureFp32(const MeasureContext& ctx);
CeilingResult measureFp64(const MeasureContext& ctx);

} // namespace kf::gpu::calibration
