// SPDX-License-Identifier: MIT
#include "nvcc_command.h"

#include <regex>
#include <stdexcept>

namespace kf::gpu::compile {

std::string gencodeFlag(std::string_view arch) {
    static const std::regex sm(R"(^sm_(\d{2,3}[af]?)$)");
    const std::string a(arch);
    std::smatch m;
    if (!std::regex_match(a, m, sm)) {
        throw std::invalid_argument("unknown GPU architecture '" + a +
                                    "': expected sm_NN, sm_NNa or sm_NNf (sm_90a)");
    }
    return "-gencode=arch=compute_" + m[1].str() + ",code=sm_" + m[1].str();
}

std::vector<std::string> NvccCommand::argv() const {
    std::vector<std::string> out = {
        nvcc, "-O3", "-std=c++17", gencodeFlag(arch), "-lineinfo", "-shared",
        // The library shares kf-runner's CUDA runtime: a launch error the candidate causes is then seen by
        // the runner's cudaGetLastError (a static runtime per library would keep it to itself).
        "-cudart=shared", "-Xcompiler=-fPIC",
        // No source excerpts from gcc (nvcc compiles regenerated host code: they would quote the wrong text),
        // and byte columns rather than tab-expanded ones.
        "-Xcompiler=-fno-diagnostics-show-caret", "-Xcompiler=-fdiagnostics-column-unit=byte",
        // An undefined host symbol fails here with the linker's message, not later at dlopen.
        "-Xlinker=--no-undefined",
        // Registers, spills, shared memory per kernel; and a warning for every spill.
        "-Xptxas=--verbose", "-Xptxas=--warn-on-spills", "--display-error-number",
        // NVVM and ptxas work on the kernels in parallel: the same code, a third less time to a verdict
        // (tests/bench/gpu/nvcc_flags.py: 4.9 s -> 3.3 s for the softmax gold kernel on an H200 host).
        "--split-compile=0"};
    for (const auto& lib : links) {
        if (lib != "cublas" && lib != "cublasLt") {
            throw std::invalid_argument("unknown library '" + lib +
                                        "' in links: expected cublas or cublasLt");
        }
        out.push_back("-l" + lib);
    }
    if (!toolkit_lib_dir.empty()) {
        out.push_back("-Xlinker=-rpath," + toolkit_lib_dir);
    }
    out.insert(out.end(), {"-o", output, input});
    return out;
}

std::string commandLine(const std::vector<std::string>& argv) {
    static const std::regex plain(R"(^[A-Za-z0-9_./=,+:@%-]+$)");
    std::string line;
    for (const auto& a : argv) {
        if (!line.empty()) {
            line += ' ';
        }
        if (std::regex_match(a, plain)) {
            line += a;
            continue;
        }
        line += '\'';
        for (const char c : a) {
            line += c == '\'' ? std::string("'\\''") : std::string(1, c);
        }
        line += '\'';
    }
    return line;
}

} // namespace kf::gpu::compile
