// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <cuda_runtime_api.h>

namespace kf::gpu::calibration {

enum class FillType { F32, BF16, F16 };

// Fills `count` elements with standard-normal values (as torch.randn), reproducible from `seed`. GEMMs must
// run on random data: on zeros the tensor cores draw less power and run ~13 % faster (measurement.md §5.3).
void fillNormal(void* data, std::size_t count, FillType type, std::uint64_t seed, cudaStream_t stream);

} // namespace kf::gpu::calibration
