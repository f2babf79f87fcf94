// SPDX-License-Identifier: MIT
// How long NVRTC takes to turn a kernel file into a CUBIN for this GPU, against nvcc's phases
// (compile_phases.sh). Usage: nvrtc_probe FILE ARCH [name-expression...]; prints one JSON line.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nvrtc.h>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: nvrtc_probe FILE ARCH [names...]\n");
        return 2;
    }
    std::ifstream in(argv[1]);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string src = ss.str();
    const std::string arch = std::string("-arch=") + argv[2];
    const auto t0 = std::chrono::steady_clock::now();
    nvrtcProgram prog;
    nvrtcCreateProgram(&prog, src.c_str(), argv[1], 0, nullptr, nullptr);
    for (int i = 3; i < argc; ++i)
        nvrtcAddNameExpression(prog, argv[i]);
    std::vector<const char*> opts = {arch.c_str(),       "-lineinfo",
                                     "-std=c++17",       "--ptxas-options=--verbose",
                                     "-default-device",  "-I/usr/local/cuda/include",
                                     "--split-compile=0"};
    const nvrtcResult r = nvrtcCompileProgram(prog, int(opts.size()), opts.data());
    const auto t1 = std::chrono::steady_clock::now();
    size_t log_size = 0;
    nvrtcGetProgramLogSize(prog, &log_size);
    std::string log(log_size, '\0');
    nvrtcGetProgramLog(prog, log.data());
    size_t cubin = 0;
    if (r == NVRTC_SUCCESS)
        nvrtcGetCUBINSize(prog, &cubin);
    std::fprintf(stderr, "%s\n", log.c_str());
    std::printf("{\"file\":\"%s\",\"ok\":%s,\"seconds\":%.3f,\"cubin_bytes\":%zu}\n", argv[1],
                r == NVRTC_SUCCESS ? "true" : "false", std::chrono::duration<double>(t1 - t0).count(), cubin);
    nvrtcDestroyProgram(&prog);
    return r == NVRTC_SUCCESS ? 0 : 1;
}
