// SPDX-License-Identifier: MIT
#pragma once

#include "dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace kf::spec {

// How the harness fills an input. For integer tensors `a`/`b` are inclusive integer bounds.
struct InitDist {
    enum class Kind { Normal, Uniform };
    Kind kind = Kind::Normal;
    double a = 0.0; // normal: mean; uniform: low
    double b = 1.0; // normal: std;  uniform: high
    bool operator==(const InitDist&) const = default;
};

struct Tensor {
    std::string name;
    DType dtype = DType::F32;
    std::vector<std::string> shape; // each dim is a formula over the params ("rows", "3", "h - 2")
    InitDist init;                  // inputs only
    bool operator==(const Tensor&) const = default;
};

// One size the kernel is checked and timed at. Everything derived from the formulas is evaluated once here,
// so that a GPU host can run a job without a formula parser.
struct SizeCase {
    std::vector<int64_t> values;            // one per Spec::params, same order
    double flops = 0.0;                     // evaluated Spec::flops
    double bytes = 0.0;                     // evaluated Spec::bytes
    std::vector<std::vector<int64_t>> dims; // one per tensor, inputs then outputs
    bool operator==(const SizeCase&) const = default;
};

struct Baseline {
    bool is_reference = true; // speedup is measured against kf_reference
    std::string source;       // otherwise: CUDA C++ defining kf_baseline
    bool operator==(const Baseline&) const = default;
};

struct Spec {
    std::string id;
    std::string title;
    std::string description;
    std::string category;
    std::vector<std::string> tags;
    std::vector<std::string> params;
    std::vector<Tensor> inputs;
    std::vector<Tensor> outputs;
    std::string flops;
    std::string bytes;
    Tolerance tolerance;
    std::vector<SizeCase> sizes; // the first is the headline size
    std::string reference;
    Baseline baseline;
    std::vector<std::string> links; // "cublas", "cublasLt": what the reference and baseline may link
    std::vector<std::string> rules; // extra rules for the teacher
    bool operator==(const Spec&) const = default;

    // Inputs then outputs: the order of the launcher's pointer arguments and of SizeCase::dims.
    std::vector<const Tensor*> tensors() const;
};

// Compulsory traffic at one size: every input read once and every output written once, in bytes.
double footprintBytes(const Spec& spec, const SizeCase& size);

} // namespace kf::spec
