// SPDX-License-Identifier: MIT
#pragma once

#include "spec/dtype.h"
#include "spec/spec.h"

#include <cstddef>
#include <cstdint>
#include <cuda_runtime.h>

namespace kf::gpu {

// Fills n elements of type `type` from a counter-based generator: the same (seed, index) always gives the
// same value, on any GPU, with no state to keep.
void fillTensor(void* data, spec::DType type, std::size_t n, const spec::InitDist& dist, std::uint64_t seed,
                cudaStream_t stream);

// Every byte 0xFF: NaN in f64/f32/f16/bf16, so an element the kernel never writes fails the check.
void poison(void* data, std::size_t bytes, cudaStream_t stream);

// Evicts everything from L2 by reading `bytes` (at least twice the L2 size) of `buffer`. Reading leaves clean
// lines behind: a flush by writing (memset) leaves the L2 full of dirty lines whose write-back then lands
// inside the next timed kernel (about 11 us for a 60 MiB L2 on an H200, measured against ncu --cache-control
// all).
void flushL2(const void* buffer, std::size_t bytes, cudaStream_t stream);
// After flushL2(), reads the same buffer again with evict-first loads (__ldcs, demoteL2Kernel), so that L2's
// lines become evict-first ones older than anything the next kernel brings in. Why: after ncu's invalidation
// every way is free, but after a read flush L2 is full of evict-normal lines, and a kernel that streams with
// evict-first hints (__ldcs/__stcs) then keeps replacing its own lines, not the flush's. Such a kernel ran
// 4-5 % slower than under ncu --cache-control all (the softmax gold kernel on an H200: 67.0 us against
// 63.9 us; 64.9 us after two of these passes, 64.3 us after three); a kernel with plain accesses ran the
// same either way (tests/bench/gpu/cold_state.sh). On its own, without flushL2() first, this pass leaves the
// evict-normal lines of an earlier kernel in L2 (70.1 us).
void demoteL2(const void* buffer, std::size_t bytes, cudaStream_t stream);
// Drops buffer's lines from L2 without writing them back (discard.global.L2); its contents become undefined.
void discardL2(void* buffer, std::size_t bytes, cudaStream_t stream);
// Enqueues a one-thread kernel (settleKernel) that idles for `us` microseconds of GPU time.
void settle(double us, cudaStream_t stream);

// How far `got` is from `want` (measurement.md 2.1), accumulated in fp64 on the device.
struct Comparison {
    std::size_t n = 0;
    double rel_l2 = 0; // ||got - want|| / ||want|| over elements where both are finite
    double max_abs_err = 0;
    double max_rel_err = 0;         // over elements where want != 0
    std::size_t bad = 0;            // finite elements outside atol + rtol * |want|
    std::size_t unwritten = 0;      // got still holds the poison pattern where want does not
    std::size_t nonfinite = 0;      // got is NaN/Inf where want is finite (or differs from a non-finite want)
    std::size_t want_unwritten = 0; // the reference left poison behind (a broken spec), floating types only
    std::size_t worst_index = 0;    // the element furthest outside its tolerance
    double worst_got = 0, worst_want = 0;
    bool has_worst = false;
    double got_std = 0, want_std = 0;
};

// Synchronizes `stream`.
Comparison compareTensors(const void* got, const void* want, spec::DType type, std::size_t n, double atol,
                          double rtol, cudaStream_t stream);

// Elements whose bytes differ between a and b; `first` gets the first such element. Synchronizes `stream`.
std::size_t countDifferent(const void* a, const void* b, std::size_t n, int elem_bytes, std::size_t* first,
                           cudaStream_t stream);

// Elements that no longer hold the poison pattern. Synchronizes `stream`.
std::size_t countWritten(const void* data, std::size_t n, int elem_bytes, cudaStream_t stream);

} // namespace kf::gpu
