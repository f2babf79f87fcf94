// SPDX-License-Identifier: MIT
// kf-nvrtc: one NVRTC compile. Reads a request (JSON) on stdin:
//   {"name": "kf_translation_unit.cu", "source": "...", "options": ["-arch=sm_90a", ...],
//    "headers": [["cstdint", "..."], ...], "expressions": ["k<1>", ...], "cubin": "/path/to/out.cubin"}
// writes the CUBIN to "cubin" and one JSON line to stdout:
//   {"ok": true|false, "log": "...", "lowered": ["_Z...", ...], "error": "..."}
// "error" is set when NVRTC itself failed (not for errors in the source, which are in "log").
// `kf-nvrtc --warm-up OPTION...` first compiles a trivial kernel with those options, before it reads stdin:
// the fast build starts its workers while the host code compiles, and a process's first compile is the slow
// one. Empty input is no request: the worker was not needed, and exits with 0 and prints nothing.
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <nvrtc.h>
#include <string>
#include <vector>

namespace {

nlohmann::json failure(const std::string& what, nvrtcResult r) {
    return {{"ok", false},
            {"log", ""},
            {"lowered", nlohmann::json::array()},
            {"error", what + ": " + nvrtcGetErrorString(r)}};
}

nlohmann::json compile(const nlohmann::json& req) {
    const auto source = req.at("source").get<std::string>();
    const auto name = req.at("name").get<std::string>();
    std::vector<std::string> header_names, header_texts;
    for (const auto& h : req.at("headers")) {
        header_names.push_back(h.at(0).get<std::string>());
        header_texts.push_back(h.at(1).get<std::string>());
    }
    std::vector<const char*> names, texts;
    for (std::size_t i = 0; i < header_names.size(); ++i) {
        names.push_back(header_names[i].c_str());
        texts.push_back(header_texts[i].c_str());
    }
    nvrtcProgram prog = nullptr;
    nvrtcResult r = nvrtcCreateProgram(&prog, source.c_str(), name.c_str(), static_cast<int>(names.size()),
                                       texts.data(), names.data());
    if (r != NVRTC_SUCCESS) {
        return failure("nvrtcCreateProgram", r);
    }
    const auto expressions = req.at("expressions").get<std::vector<std::string>>();
    for (const auto& e : expressions) {
        if ((r = nvrtcAddNameExpression(prog, e.c_str())) != NVRTC_SUCCESS) {
            nvrtcDestroyProgram(&prog);
            return failure("nvrtcAddNameExpression(" + e + ")", r);
        }
    }
    const auto options = req.at("options").get<std::vector<std::string>>();
    std::vector<const char*> argv;
    for (const auto& o : options) {
        argv.push_back(o.c_str());
    }
    const nvrtcResult compiled = nvrtcCompileProgram(prog, static_cast<int>(argv.size()), argv.data());
    std::size_t log_size = 0;
    nvrtcGetProgramLogSize(prog, &log_size);
    std::string log(log_size, '\0');
    nvrtcGetProgramLog(prog, log.data());
    while (!log.empty() && log.back() == '\0') {
        log.pop_back();
    }
    nlohmann::json out{{"ok", false}, {"log", log}, {"lowered", nlohmann::json::array()}, {"error", ""}};
    if (compiled != NVRTC_SUCCESS) {
        if (compiled != NVRTC_ERROR_COMPILATION) {
            out["error"] = std::string("nvrtcCompileProgram: ") + nvrtcGetErrorString(compiled);
        }
        nvrtcDestroyProgram(&prog);
        return out;
    }
    for (const auto& e : expressions) {
        const char* lowered = nullptr;
        if ((r = nvrtcGetLoweredName(prog, e.c_str(), &lowered)) != NVRTC_SUCCESS) {
            nvrtcDestroyProgram(&prog);
            return failure("nvrtcGetLoweredName(" + e + ")", r);
        }
        out["lowered"].push_back(lowered);
    }
    std::size_t cubin_size = 0;
    if ((r = nvrtcGetCUBINSize(prog, &cubin_size)) != NVRTC_SUCCESS) {
        nvrtcDestroyProgram(&prog);
        return failure("nvrtcGetCUBINSize", r);
    }
    std::string cubin(cubin_size, '\0');
    nvrtcGetCUBIN(prog, cubin.data());
    nvrtcDestroyProgram(&prog);
    const auto path = req.at("cubin").get<std::string>();
    std::ofstream f(path, std::ios::binary);
    if (!(f << cubin) || !f.flush()) {
        out["error"] = "cannot write " + path;
        return out;
    }
    out["ok"] = true;
    return out;
}

// Its result is of no interest: a failure shows again, and is reported, in the real compile.
void warmUp(const std::vector<std::string>& options) {
    nvrtcProgram prog = nullptr;
    if (nvrtcCreateProgram(&prog, "__global__ void kf_warm_up(int* p) { *p = 1; }\n", "kf_warm_up.cu", 0,
                           nullptr, nullptr) != NVRTC_SUCCESS) {
        return;
    }
    std::vector<const char*> argv;
    for (const auto& o : options) {
        argv.push_back(o.c_str());
    }
    nvrtcCompileProgram(prog, static_cast<int>(argv.size()), argv.data());
    nvrtcDestroyProgram(&prog);
}

} // namespace

int main(int argc, char** argv) {
    if (argc > 1 && std::string(argv[1]) == "--warm-up") {
        warmUp(std::vector<std::string>(argv + 2, argv + argc));
    }
    nlohmann::json out;
    try {
        const std::string input((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
        if (input.empty()) {
            return 0;
        }
        out = compile(nlohmann::json::parse(input));
    } catch (const std::exception& e) {
        out = {{"ok", false},
               {"log", ""},
               {"lowered", nlohmann::json::array()},
               {"error", std::string("bad request: ") + e.what()}};
    }
    std::cout << out.dump() << '\n';
    return out.at("ok").get<bool>() ? 0 : 1;
}
