// SPDX-License-Identifier: MIT
#pragma once

#include "device_buffer.h"
#include "launcher_library.h"
#include "spec/spec.h"
#include "tensor_ops.h"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

namespace kf::gpu {

// A failure that is not the candidate's answer being wrong: a CUDA error or crash inside a launcher, or a
// reference that misbehaves. `stage` is the protocol's error stage ("launch", "check").
class HarnessError : public std::runtime_error {
public:
    HarnessError(std::string stage, const std::string& what, bool fatal)
        : std::runtime_error(what)
        , stage_(std::move(stage))
        , fatal_(fatal) {}
    const std::string& stage() const { return stage_; }
    bool fatal() const { return fatal_; } // the CUDA context is unusable: end the process after reporting

private:
    std::string stage_;
    bool fatal_;
};

// One `checked` event's worth of findings.
struct CheckOutcome {
    bool ok = true;
    std::vector<std::string> problems;
    nlohmann::json event; // every field of the `checked` event but "event"
};

// Verifies a candidate against the reference at the spec's sizes (measurement.md 2): fresh inputs per seed,
// outputs poisoned before every call, inputs compared with a pristine copy, results compared in fp64, results
// that do not follow fresh inputs, and work that is not on the given stream.
class Checker {
public:
    Checker(const spec::Spec& spec, const LauncherLibrary& candidate, const LauncherLibrary& reference,
            cudaStream_t stream);

    // Allocates the buffers of one size (and frees the previous size's).
    void prepare(std::size_t size_index);

    // Fills the inputs from `seed`, runs reference and candidate, compares. `repeat` runs the candidate a
    // second time on the same inputs and checks that result too (a race shows up as a second answer that
    // differs).
    CheckOutcome checkSeed(std::uint64_t seed, const std::string& phase, bool repeat);

    // Runs the candidate under stream capture on the inputs of the last checkSeed: work that lands anywhere
    // but the given stream runs while capturing and is caught writing outputs; the captured graph must
    // reproduce the reference's result.
    CheckOutcome checkStream(std::uint64_t seed, bool results_were_right);

    // Fills the inputs from `seed` without checking (timing inputs).
    void fillInputs(std::uint64_t seed);

    LaunchArgs candidateArgs() const;
    LaunchArgs referenceArgs() const;
    const spec::SizeCase& size() const { return spec_.sizes.at(size_index_); }

private:
    struct TensorBuffers {
        const spec::Tensor* tensor = nullptr;
        std::size_t count = 0;
        DeviceBuffer data;     // inputs: shared by reference and candidate; outputs: the candidate's
        DeviceBuffer other;    // inputs: the pristine copy; outputs: the reference's
        DeviceBuffer previous; // outputs: the candidate's result for the previous seed
        bool has_previous = false;
    };

    void runLauncher(const LauncherLibrary& lib, const LaunchArgs& args, const char* what);
    void compareOutputs(CheckOutcome& out, bool record);
    void checkInputsUnchanged(CheckOutcome& out, const char* who);
    void finishEvent(CheckOutcome& out, std::uint64_t seed, const std::string& phase);
    std::string indexText(const TensorBuffers& t, std::size_t flat) const;

    const spec::Spec& spec_;
    const LauncherLibrary& candidate_;
    const LauncherLibrary& reference_;
    cudaStream_t stream_;
    std::size_t size_index_ = 0;
    std::vector<TensorBuffers> inputs_;
    std::vector<TensorBuffers> outputs_;
    nlohmann::json worst_;
    double max_abs_ = 0, max_rel_ = 0, rel_l2_ = 0;
    std::size_t bad_ = 0, unwritten_ = 0, nonfinite_ = 0;
};

} // namespace kf::gpu
