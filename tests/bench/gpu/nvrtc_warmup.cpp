// SPDX-License-Identifier: MIT
// What a kf-nvrtc worker could save by starting early: NVRTC's load and first compile, against a compile of
// the real request in a process that has already compiled once.
//   nvrtc_warmup REQUEST.json [OPTION...]
// REQUEST.json is a request as kf-nvrtc reads it (nvrtc_groups.py --save-request writes one). The warm-up
// compile uses the OPTIONs, or the request's when none are given ("-" alone: no options). Prints one line of
// milliseconds. CUDA_CACHE_DISABLE=1 is set: repeated compiles would otherwise be found in the CUDA driver's
// cache. Build: g++ -O2 -std=c++17 -I$CUDA/include nvrtc_warmup.cpp -ldl (libnvrtc is dlopened).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <dlfcn.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <nvrtc.h>
#include <string>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

struct Nvrtc {
    decltype(&nvrtcCreateProgram) create;
    decltype(&nvrtcAddNameExpression) add;
    decltype(&nvrtcCompileProgram) compile;
    decltype(&nvrtcDestroyProgram) destroy;
};

bool compileOnce(const Nvrtc& n, const std::string& src, const std::vector<std::string>& headers_names,
                 const std::vector<std::string>& headers_texts, const std::vector<std::string>& exprs,
                 const std::vector<std::string>& options) {
    std::vector<const char*> hn, ht, opt;
    for (std::size_t i = 0; i < headers_names.size(); ++i) {
        hn.push_back(headers_names[i].c_str());
        ht.push_back(headers_texts[i].c_str());
    }
    for (const auto& o : options) {
        opt.push_back(o.c_str());
    }
    nvrtcProgram p = nullptr;
    if (n.create(&p, src.c_str(), "warm.cu", static_cast<int>(hn.size()), ht.data(), hn.data()) !=
        NVRTC_SUCCESS) {
        return false;
    }
    for (const auto& e : exprs) {
        n.add(p, e.c_str());
    }
    const bool ok = n.compile(p, static_cast<int>(opt.size()), opt.data()) == NVRTC_SUCCESS;
    n.destroy(&p);
    return ok;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: nvrtc_warmup REQUEST.json [OPTION...]\n");
        return 2;
    }
    const auto req = nlohmann::json::parse(std::ifstream(argv[1]));
    std::vector<std::string> hn, ht;
    for (const auto& h : req.at("headers")) {
        hn.push_back(h.at(0));
        ht.push_back(h.at(1));
    }
    const auto options = req.at("options").get<std::vector<std::string>>();
    const auto exprs = req.at("expressions").get<std::vector<std::string>>();
    // As in kf-runner's workers: repeats would otherwise be found in the CUDA driver's cache.
    ::setenv("CUDA_CACHE_DISABLE", "1", 1);
    const auto t0 = Clock::now();
    void* lib = dlopen("libnvrtc.so", RTLD_NOW);
    if (lib == nullptr) {
        lib = dlopen("libnvrtc.so.13", RTLD_NOW);
    }
    if (lib == nullptr) {
        std::fprintf(stderr, "cannot load libnvrtc: %s\n", dlerror());
        return 1;
    }
    const Nvrtc n{reinterpret_cast<decltype(&nvrtcCreateProgram)>(dlsym(lib, "nvrtcCreateProgram")),
                  reinterpret_cast<decltype(&nvrtcAddNameExpression)>(dlsym(lib, "nvrtcAddNameExpression")),
                  reinterpret_cast<decltype(&nvrtcCompileProgram)>(dlsym(lib, "nvrtcCompileProgram")),
                  reinterpret_cast<decltype(&nvrtcDestroyProgram)>(dlsym(lib, "nvrtcDestroyProgram"))};
    const double load = msSince(t0);
    // The same options, a trivial kernel: what a worker could do while the host pass runs.
    const std::string trivial = "__global__ void kf_warm(int* p) { *p = 1; }\n";
    auto t = Clock::now();
    std::vector<std::string> warm_options = options;
    if (argc > 2) {
        warm_options.assign(argv + 2, argv + argc);
        if (warm_options == std::vector<std::string>{"-"}) {
            warm_options.clear();
        }
    }
    const bool ok1 = compileOnce(n, trivial, {}, {}, {}, warm_options);
    const double first = msSince(t);
    t = Clock::now();
    const bool ok2 = compileOnce(n, req.at("source").get<std::string>(), hn, ht, exprs, options);
    const double real = msSince(t);
    t = Clock::now();
    const bool ok3 = compileOnce(n, req.at("source").get<std::string>(), hn, ht, exprs, options);
    const double again = msSince(t);
    std::printf(
        "load %.1f ms, trivial first compile %.1f ms, request after it %.1f ms, request again %.1f ms%s\n",
        load, first, real, again, ok1 && ok2 && ok3 ? "" : " (a compile failed)");
    return ok1 && ok2 && ok3 ? 0 : 1;
}
