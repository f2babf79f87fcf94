// Why the fast build compiles kernels in worker processes, not threads: NVRTC compiles of one kernel each
// (name expressions), on 1..N threads of one process. Usage: nvrtc_parallel FILE THREADS SPLIT NAME...;
// $CUDA_HOME (else /usr/local/cuda) gives the include path. tests/bench/gpu times processes with xargs -P.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nvrtc.h>
#include <sstream>
#include <string>
#include <thread>
#include <vector>
int main(int argc, char** argv) {
    std::ifstream in(argv[1]);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string src = ss.str();
    int threads = std::atoi(argv[2]);
    bool split = std::atoi(argv[3]);
    std::vector<std::string> names(argv + 4, argv + argc);
    const char* home = std::getenv("CUDA_HOME");
    const std::string include = std::string("-I") + (home ? home : "/usr/local/cuda") + "/include";
    std::atomic<int> next{0};
    auto t0 = std::chrono::steady_clock::now();
    std::vector<double> per(names.size());
    std::vector<std::thread> ts;
    for (int t = 0; t < threads; ++t)
        ts.emplace_back([&] {
            for (int i; (i = next++) < int(names.size());) {
                auto a = std::chrono::steady_clock::now();
                nvrtcProgram prog;
                nvrtcCreateProgram(&prog, src.c_str(), "k.cu", 0, nullptr, nullptr);
                nvrtcAddNameExpression(prog, names[i].c_str());
                std::vector<const char*> opts = {"-arch=sm_90a",    "-lineinfo",
                                                 "-std=c++17",      "--ptxas-options=--verbose",
                                                 "-default-device", include.c_str()};
                if (split)
                    opts.push_back("--split-compile=0");
                nvrtcResult r = nvrtcCompileProgram(prog, int(opts.size()), opts.data());
                if (r != NVRTC_SUCCESS)
                    std::printf("fail %s\n", names[i].c_str());
                nvrtcDestroyProgram(&prog);
                per[i] = std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count();
            }
        });
    for (auto& t : ts)
        t.join();
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    double sum = 0, mx = 0;
    for (double p : per) {
        sum += p;
        mx = std::max(mx, p);
    }
    std::printf("threads %d split %d wall %.3f sum %.3f max %.3f\n", threads, split, wall, sum, mx);
    for (size_t i = 0; i < names.size(); ++i)
        std::printf("  %.3f %s\n", per[i], names[i].c_str());
}
