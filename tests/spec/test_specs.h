// SPDX-License-Identifier: MIT
#pragma once

// A small valid spec the tests start from and break one piece at a time.
inline constexpr const char* kValidSpec = R"(id: softmax-rows-f32
title: Row-wise softmax, fp32
description: |
  y[r, c] = exp(x[r, c] - max(x[r, :])) / sum(exp(x[r, :] - max(x[r, :])))
params: [rows, cols]
inputs:
  - {name: x, dtype: f32, shape: [rows, cols], init: {dist: normal, std: 3.0}}
outputs:
  - {name: y, dtype: f32, shape: [rows, cols]}
flops: 5 * rows * cols
bytes: 4 * rows * cols * 2
tolerance: {rtol: 1.0e-5, atol: 1.0e-6}
sizes:
  - {rows: 4096, cols: 8192}
  - {rows: 1, cols: 1000003}
reference: |
  extern "C" void kf_reference(const float* x, float* y, int64_t rows, int64_t cols, cudaStream_t stream) {}
)";
