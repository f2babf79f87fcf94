// SPDX-License-Identifier: MIT
#include "fast_build.h"

#include "compiler_environment.h"
#include "elf_symbols.h"
#include "fast_host_pch.h"
#include "fast_host_runtime.h"
#include "gpu/cuda_split/source_outline.h"
#include "gpu/cuda_split/split_sources.h"
#include "kernel_instances.h"
#include "nvcc_command.h"
#include "nvrtc_headers.h"
#include "nvrtc_workers.h"
#include "proc/command.h"
#include "proc/cpu_count.h"
#include "proc/find_program.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <thread>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

// Thrown for anything that ends the fast build; the message becomes why_not.
struct NotBuilt : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream f(path, std::ios::binary);
    if (!(f << text) || !f.flush()) {
        throw NotBuilt("cannot write " + path.string());
    }
}

// The first n lines of a tool's message, for a one-line reason.
std::string firstLines(const std::string& text, int n) {
    std::size_t end = 0;
    for (int i = 0; i < n; ++i) {
        end = text.find('\n', end);
        if (end == std::string::npos) {
            return text;
        }
        ++end;
    }
    return text.substr(0, end - 1);
}

proc::CommandResult run(const FastBuildRequest& req, std::vector<std::string> argv,
                        std::string stdin_data = {}) {
    proc::Command c;
    c.argv = std::move(argv);
    c.env = compilerEnvironment(req.work_dir);
    c.cwd = req.work_dir;
    c.stdin_data = std::move(stdin_data);
    c.timeout = req.timeout;
    c.cancel = req.cancel;
    return proc::runCommand(c);
}

void requireOk(const proc::CommandResult& r, const std::string& what) {
    if (!r.ok()) {
        throw NotBuilt(what + " " + r.describe() + (r.err.empty() ? "" : ": " + firstLines(r.err, 3)));
    }
}

std::vector<std::string> nvrtcOptions(const FastBuildRequest& req) {
    std::vector<std::string> o = {"-arch=" + req.arch, "-std=c++17", "-lineinfo", "--ptxas-options=--verbose",
                                  "--ptxas-options=--warn-on-spills", "--display-error-number",
                                  // NVRTC allows no host functions: the unannotated ones left become device
                                  // functions (with their bodies removed; see nvrtcPrelude)
                                  "-default-device",
                                  // "missing return": removed host bodies, not the user's code
                                  "--diag-suppress=940",
                                  "-I" + (fs::path(req.cuda_root) / "include").string()};
    const fs::path cccl = fs::path(req.cuda_root) / "include" / "cccl";
    std::error_code ec;
    if (fs::is_directory(cccl, ec)) {
        o.push_back("-I" + cccl.string());
    }
    return o;
}

bool goldLinkerAvailable() {
    static const bool available = !proc::findProgram("ld.gold").empty();
    return available;
}

// One worker's share: kernel instances i, i + n, i + 2n, ...
struct Group {
    std::vector<std::size_t> instances;
    std::string cubin;
    std::vector<std::string> lowered;
    std::string log;
    std::string error;
};

// How many kf-nvrtc workers to start, before the kernel instances are known (g++ tells them): one per kernel
// when no kernel is a template, else one per CPU this process may use. Each warms up on a core of its own
// while the host code compiles, so a role with one kernel (a spec's reference) should not start sixteen.
// Fewer processes, each splitting its kernels over threads (-split-compile), did not help: for the softmax
// gold kernel's 26 instances on a 16-core H100 host, kf-runner's kernel step took 0.57 s with 16
// single-threaded workers and 0.63 s with 4 of 4 threads (tests/bench/gpu/fast_build.py); NVRTC alone took
// 0.94 s, 0.86 s and, as 2 processes of 8 threads, 1.1 s (nvrtc_groups.py).
std::size_t workersToStart(const FastBuildRequest& req, const cuda_split::SourceOutline& outline) {
    if (!outline.unsupported.empty()) {
        return 0; // nvcc builds it
    }
    std::size_t kernels = 0;
    bool templates = false;
    for (const auto& f : outline.functions) {
        if (f.space == cuda_split::ExecSpace::Global) {
            ++kernels;
            templates = templates || f.is_template;
        }
    }
    const std::size_t hw = proc::usableCpuCount();
    const std::size_t cap = req.max_workers != 0 ? req.max_workers : hw;
    return std::min(templates ? hw : kernels, cap);
}

void compileGroup(const FastBuildRequest& req, const cuda_split::SourceOutline& outline,
                  const std::vector<KernelInstance>& instances, std::size_t index, NvrtcWorkers& workers,
                  Group& g) {
    std::set<std::string> names;
    nlohmann::json expressions = nlohmann::json::array();
    for (const auto i : g.instances) {
        names.insert(instances[i].base_name);
        expressions.push_back(instances[i].name_expression);
    }
    const auto keep = [&names](const cuda_split::FunctionDef& f) { return names.contains(f.name); };
    g.cubin = (fs::path(req.work_dir) / ("kernels-" + std::to_string(index) + ".cubin")).string();
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [name, text] : nvrtcStandardHeaders()) {
        headers.push_back({name, text});
    }
    const nlohmann::json request{
        {"name", req.unit_name},
        {"source", nvrtcPrelude() + cuda_split::deviceSource(req.unit, outline, keep)},
        {"options", nvrtcOptions(req)},
        {"headers", headers},
        {"expressions", expressions},
        {"cubin", g.cubin}};
    const auto r = workers.compile(index, request.dump(), req.cancel);
    try {
        const auto reply = nlohmann::json::parse(r.out);
        g.log = reply.at("log").get<std::string>();
        g.lowered = reply.at("lowered").get<std::vector<std::string>>();
        g.error = reply.at("error").get<std::string>();
        if (!reply.at("ok").get<bool>() && g.error.empty()) {
            g.error = "NVRTC: " + firstLines(g.log, 4);
        }
    } catch (const std::exception&) {
        g.error = "kf-nvrtc " + r.describe() + ": " + firstLines(r.err.empty() ? r.out : r.err, 3);
    }
    if (g.error.empty() && g.lowered.size() != g.instances.size()) {
        g.error = "kf-nvrtc returned " + std::to_string(g.lowered.size()) + " names for " +
                  std::to_string(g.instances.size()) + " kernels";
    }
}

FastHostPass runHostPass(const FastBuildRequest& req, const cuda_split::SourceOutline& outline) {
    FastHostPass pass;
    pass.outline = outline;
    if (!pass.outline.unsupported.empty()) {
        throw NotBuilt("the source uses what the fast build does not handle: " + pass.outline.unsupported);
    }
    const fs::path dir(req.work_dir);
    const fs::path host_cpp = dir / "host.cpp";
    pass.object = (dir / "host.o").string();
    std::vector<std::string> host_argv = {"g++"};
    for (const auto& f : fastHostFlags(req.cuda_root)) {
        host_argv.push_back(f);
    }
    if (req.host_prelude.empty()) {
        writeFile(host_cpp, fastHostRuntime() + cuda_split::hostSource(req.unit, pass.outline));
    } else { // the same text, precompiled
        writeFile(host_cpp, cuda_split::hostSource(req.unit, pass.outline));
        host_argv.insert(host_argv.end(), {"-include", req.host_prelude});
    }
    host_argv.insert(host_argv.end(), {"-c", host_cpp.filename().string(), "-o", "host.o"});
    const auto host = run(req, host_argv);
    requireOk(host, "g++ (host code)");
    pass.command = commandLine(host_argv);
    pass.log = host.err;
    pass.seconds = host.seconds;
    pass.instances = kernelInstances(readElfFunctions(pass.object), pass.outline.kernel_names);
    return pass;
}

FastBuildOutcome build(const FastBuildRequest& req, FastBuildStart& started) {
    FastBuildOutcome out;
    const FastHostPass pass = started.hostPass().get();
    if (!pass.error.empty()) {
        throw NotBuilt(pass.error);
    }
    const auto& outline = pass.outline;
    const auto& instances = pass.instances;
    const fs::path dir(req.work_dir);
    const fs::path host_o = pass.object, blob = dir / "kernels.s";
    out.host_seconds = pass.seconds;
    const auto t_kernels = std::chrono::steady_clock::now();

    std::vector<Group> groups(std::min(started.workers().size(), instances.size()));
    if (groups.empty() && !instances.empty()) {
        throw NotBuilt("g++ found " + std::to_string(instances.size()) +
                       " kernels where the source outline has none");
    }
    for (std::size_t i = 0; i < instances.size(); ++i) {
        groups[i % groups.size()].instances.push_back(i);
    }
    std::vector<std::thread> threads;
    for (std::size_t k = 0; k < groups.size(); ++k) {
        threads.emplace_back(
            [&, k] { compileGroup(req, outline, instances, k, started.workers(), groups[k]); });
    }
    for (auto& t : threads) {
        t.join();
    }
    const auto t_link = std::chrono::steady_clock::now();
    out.kernel_seconds = std::chrono::duration<double>(t_link - t_kernels).count();
    std::vector<std::string> cubins;
    std::vector<FastKernelEntry> entries(instances.size());
    std::vector<std::string> globalize;
    for (std::size_t k = 0; k < groups.size(); ++k) {
        const auto& g = groups[k];
        out.log += g.log;
        if (!g.error.empty()) {
            throw NotBuilt(g.error);
        }
        cubins.push_back(g.cubin);
        for (std::size_t j = 0; j < g.instances.size(); ++j) {
            const auto& inst = instances[g.instances[j]];
            entries[g.instances[j]] = {inst.stub_symbol, g.lowered[j], k};
            if (inst.stub_local) {
                globalize.push_back("--globalize-symbol=" + inst.stub_symbol);
            }
        }
    }
    if (!globalize.empty()) { // the table in kernels.s names the stubs; a local symbol cannot be named there
        globalize.insert(globalize.begin(), "objcopy");
        globalize.push_back(host_o.filename().string());
        requireOk(run(req, globalize), "objcopy");
    }
    writeFile(blob, fastBlobAssembly(cubins, entries));
    std::vector<std::string> link = {"g++",
                                     "-shared",
                                     "-o",
                                     req.library,
                                     host_o.filename().string(),
                                     blob.filename().string(),
                                     "-L" + req.toolkit_lib_dir,
                                     "-lcudart",
                                     "-Wl,--no-undefined",
                                     "-Wl,-rpath," + req.toolkit_lib_dir};
    if (goldLinkerAvailable()) {
        link.push_back("-fuse-ld=gold"); // links this small library in half the time of ld.bfd
    }
    for (const auto& l : req.links) {
        link.push_back("-l" + l);
    }
    const auto linked = run(req, link);
    requireOk(linked, "g++ (link)");
    out.link_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_link).count();
    out.log += pass.log + linked.err;
    out.command = pass.command + " && kf-nvrtc x" + std::to_string(groups.size()) + " (" +
                  commandLine(nvrtcOptions(req)) + ") && " + commandLine(link);
    out.kernels = instances.size();
    out.workers = groups.size();
    out.built = true;
    return out;
}

} // namespace

std::vector<std::string> fastBuildArgv(const FastBuildRequest& request) {
    auto argv = nvrtcOptions(request);
    argv.insert(argv.begin(), "kf-fast-build/1");
    for (const auto& l : request.links) {
        argv.push_back("-l" + l);
    }
    return argv;
}

FastBuildStart::FastBuildStart(FastBuildRequest request) {
    NvrtcWorkers::Setup setup;
    setup.worker = request.worker;
    setup.warm_up = {"-std=c++17", "-default-device"};
    if (!request.arch.empty()) {
        setup.warm_up.push_back("-arch=" + request.arch);
    }
    setup.env = compilerEnvironment(request.work_dir);
    // NVRTC would store every compile in the CUDA driver's JIT cache (~/.nv/ComputeCache), where it is not
    // found again (each compile's anonymous namespace gets another mangled name; the fast build took as long
    // with the cache as without, tests/bench/gpu/fast_build.py) and would push out the user's entries.
    setup.env.push_back("CUDA_CACHE_DISABLE=1");
    setup.cwd = request.work_dir;
    setup.timeout = request.timeout;
    setup.warm_up_first = request.warm_up_workers;
    auto outline = cuda_split::outlineCudaSource(request.unit);
    m_workers = std::make_unique<NvrtcWorkers>(setup, workersToStart(request, outline));
    request.cancel = &m_stop;
    m_host_pass = std::async(std::launch::async, [request, outline = std::move(outline)] {
        try {
            return runHostPass(request, outline);
        } catch (const std::exception& e) {
            FastHostPass failed;
            failed.error = e.what();
            return failed;
        }
    });
}

FastBuildStart::~FastBuildStart() {
    m_stop = true;
    if (m_host_pass.valid()) {
        m_host_pass.wait();
    }
}

FastBuildOutcome fastBuild(const FastBuildRequest& request, FastBuildStart* started) {
    try {
        if (started != nullptr) {
            return build(request, *started);
        }
        FastBuildStart here(request);
        return build(request, here);
    } catch (const std::exception& e) {
        FastBuildOutcome out;
        out.why_not = e.what();
        return out;
    }
}

} // namespace kf::gpu::compile
