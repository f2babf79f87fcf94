// SPDX-License-Identifier: MIT
#pragma once

#include "gpu/calibrate/measure_context.h"
#include "gpu/calibrate/measurement.h"

namespace kf::gpu::calibration {

// DRAM bandwidth (measurement.md §5.1): device-to-device cudaMemcpy, a float4 copy kernel and a read-only
// kernel over 2 GiB buffers. Copies count read + write bytes. The ceiling is the best copy (the median of
// each), since that is what a kernel that reads its inputs and writes its outputs can reach; the read-only
// figure is reported beside it.
CeilingResult measureDram(const MeasureContext& ctx);

} // namespace kf::gpu::calibration
