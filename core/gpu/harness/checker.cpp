// SPDX-License-Identifier: MIT
#include "checker.h"

#include "spec/dtype.h"

#include <cmath>
#include <cstdio>

namespace kf::gpu {

namespace {

std::uint64_t mix(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

std::string count(std::size_t n) {
    std::string s = std::to_string(n);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) {
        s.insert(static_cast<std::size_t>(i), ",");
    }
    return s;
}

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

// NaN and infinities are not JSON: unknown numbers are null.
nlohmann::json finite(double v) {
    return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

void syncOrThrow(const char* what) {
    const cudaError_t launch = cudaGetLastError();
    const cudaError_t sync = cudaDeviceSynchronize();
    const cudaError_t e = launch != cudaSuccess ? launch : sync;
    if (e != cudaSuccess) {
        const CudaError probe(e, "");
        throw HarnessError("launch", std::string(what) + ": " + cudaErrorText(e), probe.sticky());
    }
}

} // namespace

Checker::Checker(const spec::Spec& spec, const LauncherLibrary& candidate, const LauncherLibrary& reference,
                 cudaStream_t stream)
    : spec_(spec)
    , candidate_(candidate)
    , reference_(reference)
    , stream_(stream) {}

void Checker::prepare(std::size_t size_index) {
    inputs_.clear();
    outputs_.clear();
    size_index_ = size_index;
    const spec::SizeCase& sc = spec_.sizes.at(size_index);
    const auto tensors = spec_.tensors();
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        TensorBuffers tb;
        tb.tensor = tensors[i];
        tb.count = 1;
        for (const std::int64_t d : sc.dims.at(i)) {
            tb.count *= static_cast<std::size_t>(d);
        }
        const std::size_t bytes = tb.count * static_cast<std::size_t>(spec::dtypeBytes(tb.tensor->dtype));
        tb.data = DeviceBuffer(bytes);
        tb.other = DeviceBuffer(bytes);
        if (i >= spec_.inputs.size()) {
            tb.previous = DeviceBuffer(bytes);
            outputs_.push_back(std::move(tb));
        } else {
            inputs_.push_back(std::move(tb));
        }
    }
}

LaunchArgs Checker::candidateArgs() const {
    LaunchArgs a;
    for (const auto& t : inputs_) {
        a.tensors.push_back(t.data.get());
    }
    for (const auto& t : outputs_) {
        a.tensors.push_back(t.data.get());
    }
    a.params = size().values;
    return a;
}

LaunchArgs Checker::referenceArgs() const {
    LaunchArgs a = candidateArgs();
    for (std::size_t i = 0; i < outputs_.size(); ++i) {
        a.tensors[inputs_.size() + i] = outputs_[i].other.get();
    }
    return a;
}

void Checker::fillInputs(std::uint64_t seed) {
    for (std::size_t i = 0; i < inputs_.size(); ++i) {
        auto& t = inputs_[i];
        fillTensor(t.data.get(), t.tensor->dtype, t.count, t.tensor->init, mix(seed ^ mix(i + 1)), stream_);
        KF_CUDA(
            cudaMemcpyAsync(t.other.get(), t.data.get(), t.data.bytes(), cudaMemcpyDeviceToDevice, stream_));
    }
    KF_CUDA(cudaStreamSynchronize(stream_));
}

void Checker::runLauncher(const LauncherLibrary& lib, const LaunchArgs& args, const char* what) {
    lib.call(args, stream_);
    // A device-wide sync: work a launcher put on another stream is finished before anything is read.
    syncOrThrow(what);
}

std::string Checker::indexText(const TensorBuffers& t, std::size_t flat) const {
    const std::size_t which = static_cast<std::size_t>(&t - outputs_.data()) + inputs_.size();
    const auto& dims = size().dims.at(which);
    std::vector<std::int64_t> idx(dims.size());
    for (std::size_t k = dims.size(); k-- > 0;) {
        idx[k] = static_cast<std::int64_t>(flat % static_cast<std::size_t>(dims[k]));
        flat /= static_cast<std::size_t>(dims[k]);
    }
    std::string s = t.tensor->name + "[";
    for (std::size_t k = 0; k < idx.size(); ++k) {
        s += (k ? ", " : "") + std::to_string(idx[k]);
    }
    return s + "]";
}

void Checker::checkInputsUnchanged(CheckOutcome& out, const char* who) {
    for (auto& t : inputs_) {
        std::size_t first = 0;
        const std::size_t changed = countDifferent(t.data.get(), t.other.get(), t.count,
                                                   spec::dtypeBytes(t.tensor->dtype), &first, stream_);
        if (changed == 0) {
            continue;
        }
        const std::string what = std::string("inputs modified: ") + who + " changed " + count(changed) +
                                 " of " + count(t.count) + " elements of input " + t.tensor->name +
                                 " (first at flat index " + std::to_string(first) + ")";
        if (std::string(who) == "kf_reference") {
            throw HarnessError("check", "the spec's reference is broken: " + what, false);
        }
        out.ok = false;
        out.problems.push_back(what);
        // Later calls must see the inputs the reference saw.
        KF_CUDA(
            cudaMemcpyAsync(t.data.get(), t.other.get(), t.data.bytes(), cudaMemcpyDeviceToDevice, stream_));
    }
}

void Checker::compareOutputs(CheckOutcome& out, bool record) {
    const spec::Tolerance& tol = spec_.tolerance;
    for (auto& t : outputs_) {
        const Comparison c = compareTensors(t.data.get(), t.other.get(), t.tensor->dtype, t.count, tol.atol,
                                            tol.rtol, stream_);
        if (c.want_unwritten > 0) {
            throw HarnessError("check",
                               "the spec's reference is broken: it left " + count(c.want_unwritten) + " of " +
                                   count(t.count) + " elements of " + t.tensor->name + " unwritten",
                               false);
        }
        if (record) {
            max_abs_ = std::fmax(max_abs_, c.max_abs_err);
            max_rel_ = std::fmax(max_rel_, c.max_rel_err);
            rel_l2_ =
                std::isfinite(c.rel_l2) && std::isfinite(rel_l2_) ? std::fmax(rel_l2_, c.rel_l2) : INFINITY;
            bad_ += c.bad;
            unwritten_ += c.unwritten;
            nonfinite_ += c.nonfinite;
        }
        const std::string of = " of " + count(t.count) + " elements of " + t.tensor->name;
        if (c.unwritten > 0) {
            out.problems.push_back("unwritten outputs: " + count(c.unwritten) + of +
                                   " still hold the poison pattern (first " + indexText(t, c.worst_index) +
                                   ")");
        }
        if (c.nonfinite > 0) {
            out.problems.push_back("NaN/Inf: " + count(c.nonfinite) + of +
                                   " are not finite where the reference is");
        }
        const bool l2_bad = !(c.rel_l2 <= tol.rel_l2);
        if (c.bad > 0 || (l2_bad && c.unwritten == 0 && c.nonfinite == 0)) {
            std::string p = "wrong values: " + count(c.bad) + of + " outside atol " + num(tol.atol) +
                            " + rtol " + num(tol.rtol) + " * |ref|";
            if (c.has_worst) {
                p += "; worst " + indexText(t, c.worst_index) + " = " + num(c.worst_got) + " (reference " +
                     num(c.worst_want) + ")";
            }
            p += "; rel-L2 " + num(c.rel_l2) + (l2_bad ? " > " : " <= ") + num(tol.rel_l2);
            out.problems.push_back(p);
        }
        if (c.unwritten > 0 || c.nonfinite > 0 || c.bad > 0 || l2_bad) {
            out.ok = false;
            if (record && worst_.is_null() && c.has_worst) {
                worst_ = {{"output", t.tensor->name},
                          {"index", indexText(t, c.worst_index)},
                          {"flat_index", c.worst_index},
                          {"got", finite(c.worst_got)},
                          {"want", finite(c.worst_want)}};
            }
        }
    }
}

void Checker::finishEvent(CheckOutcome& out, std::uint64_t seed, const std::string& phase) {
    nlohmann::json size_obj = nlohmann::json::object();
    for (std::size_t i = 0; i < spec_.params.size(); ++i) {
        size_obj[spec_.params[i]] = size().values.at(i);
    }
    out.event = {{"size_index", size_index_},
                 {"size", size_obj},
                 {"seed", seed},
                 {"phase", phase},
                 {"ok", out.ok},
                 {"max_abs_err", finite(max_abs_)},
                 {"max_rel_err", finite(max_rel_)},
                 {"rel_l2", finite(rel_l2_)},
                 {"bad", bad_},
                 {"unwritten", unwritten_},
                 {"nonfinite", nonfinite_},
                 {"worst", worst_},
                 {"problems", out.problems}};
}

CheckOutcome Checker::checkSeed(std::uint64_t seed, const std::string& phase, bool repeat) {
    CheckOutcome out;
    worst_ = nullptr;
    max_abs_ = max_rel_ = rel_l2_ = 0;
    bad_ = unwritten_ = nonfinite_ = 0;
    fillInputs(seed);
    for (auto& t : outputs_) {
        poison(t.other.get(), t.other.bytes(), stream_);
        poison(t.data.get(), t.data.bytes(), stream_);
    }
    runLauncher(reference_, referenceArgs(), "kf_reference");
    checkInputsUnchanged(out, "kf_reference");
    runLauncher(candidate_, candidateArgs(), "kf_launch");
    checkInputsUnchanged(out, "kf_launch");
    compareOutputs(out, true);

    // A result identical to the previous seed's, for different inputs, was replayed or is a constant. An
    // output never written at all is reported as unwritten instead.
    if (!out.ok) {
        for (auto& t : outputs_) {
            const int eb = spec::dtypeBytes(t.tensor->dtype);
            if (t.has_previous &&
                countDifferent(t.data.get(), t.previous.get(), t.count, eb, nullptr, stream_) == 0 &&
                countWritten(t.data.get(), t.count, eb, stream_) > 0) {
                out.problems.push_back(
                    "stale result: " + t.tensor->name +
                    " does not follow fresh inputs: it is bit-identical to the previous call's "
                    "output although the inputs changed (a replayed or constant result)");
            }
        }
    }
    for (auto& t : outputs_) {
        KF_CUDA(cudaMemcpyAsync(t.previous.get(), t.data.get(), t.data.bytes(), cudaMemcpyDeviceToDevice,
                                stream_));
        t.has_previous = true;
    }
    if (repeat && out.ok) {
        for (auto& t : outputs_) {
            poison(t.data.get(), t.data.bytes(), stream_);
        }
        // Finished before the call: work a launcher puts on another stream must not race with the poison.
        KF_CUDA(cudaStreamSynchronize(stream_));
        runLauncher(candidate_, candidateArgs(), "kf_launch (second run)");
        CheckOutcome again;
        compareOutputs(again, false);
        if (!again.ok) {
            out.ok = false;
            out.problems.push_back("nondeterministic: a second run on the same inputs is wrong (a race?): " +
                                   again.problems.front());
        }
    }
    finishEvent(out, seed, phase);
    return out;
}

CheckOutcome Checker::checkStream(std::uint64_t seed, bool results_were_right) {
    CheckOutcome out;
    worst_ = nullptr;
    max_abs_ = max_rel_ = rel_l2_ = 0;
    bad_ = unwritten_ = nonfinite_ = 0;
    for (auto& t : outputs_) {
        poison(t.data.get(), t.data.bytes(), stream_);
    }
    KF_CUDA(cudaDeviceSynchronize());
    cudaGraph_t graph = nullptr;
    KF_CUDA(cudaStreamBeginCapture(stream_, cudaStreamCaptureModeRelaxed));
    candidate_.call(candidateArgs(), stream_);
    const cudaError_t captured = cudaStreamEndCapture(stream_, &graph);
    cudaGetLastError(); // a failed capture leaves its error behind; it is reported below
    syncOrThrow("kf_launch (under stream capture)");

    std::size_t written = 0;
    for (auto& t : outputs_) {
        written += countWritten(t.data.get(), t.count, spec::dtypeBytes(t.tensor->dtype), stream_);
    }
    if (written > 0) {
        out.ok = false;
        out.problems.push_back(
            "work not on the given stream: kf_launch wrote " + count(written) +
            " output elements outside its stream (they were written while the stream was only "
            "being recorded, so the work ran on another stream or synchronously)");
    }
    if (captured != cudaSuccess || graph == nullptr) {
        out.ok = false;
        out.problems.push_back("work not on the given stream: kf_launch cannot be captured on its stream (" +
                               cudaErrorText(captured) +
                               "); it must enqueue all its work on `stream` and not "
                               "synchronize");
    } else {
        cudaGraphExec_t exec = nullptr;
        const cudaError_t inst = cudaGraphInstantiate(&exec, graph, 0);
        // Replaying only says something about streams when the direct calls gave the right answer.
        if (inst == cudaSuccess && !results_were_right) {
            cudaGraphExecDestroy(exec);
        } else if (inst == cudaSuccess) {
            for (auto& t : outputs_) {
                poison(t.data.get(), t.data.bytes(), stream_);
            }
            KF_CUDA(cudaGraphLaunch(exec, stream_));
            syncOrThrow("kf_launch (replayed from its stream's graph)");
            CheckOutcome replay;
            compareOutputs(replay, true);
            if (!replay.ok) {
                out.ok = false;
                out.problems.push_back(
                    "work not on the given stream: the work kf_launch put on `stream` does not "
                    "produce the result: " +
                    replay.problems.front());
            }
            cudaGraphExecDestroy(exec);
        } else {
            cudaGetLastError();
            out.problems.push_back("note: the captured stream could not be instantiated as a graph (" +
                                   cudaErrorText(inst) + "); only the outside-the-stream test ran");
        }
        cudaGraphDestroy(graph);
    }
    finishEvent(out, seed, "stream");
    return out;
}

} // namespace kf::gpu
