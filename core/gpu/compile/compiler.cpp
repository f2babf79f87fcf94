// SPDX-License-Identifier: MIT
#include "compiler.h"

#include "compile_cache.h"
#include "compiler_environment.h"
#include "diagnostic_parser.h"
#include "fast_build.h"
#include "fast_host_pch.h"
#include "log_text.h"
#include "nvcc_command.h"
#include "nvcc_toolkit.h"
#include "proc/command.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <system_error>
#include <thread>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The translation unit's file: what nvcc is given, and what diagnostics in the prelude or the prototype name.
constexpr const char* kUnitName = "kf_translation_unit.cu";
constexpr const char* kLibraryName = "kf_translation_unit.so";
// A template error can produce thousands; the first ones are what a person or a teacher acts on.
constexpr std::size_t kMaxDiagnostics = 200;

double since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

CompileResult failure(const std::string& tool, const std::string& message, Clock::time_point t0) {
    CompileResult r;
    r.diagnostics.push_back({tool, 0, 0, "error", message});
    r.seconds = since(t0);
    return r;
}

// A private directory for one nvcc run (its input, output and, through TMPDIR, its intermediate files),
// removed with everything in it.
class PrivateDir {
public:
    explicit PrivateDir(const fs::path& parent) {
        std::string templ = (parent / "kf-nvcc-XXXXXX").string();
        if (::mkdtemp(templ.data()) != nullptr) {
            m_path = templ;
        } else {
            m_error =
                "cannot create a temporary directory in " + parent.string() + ": " + std::strerror(errno);
        }
    }
    PrivateDir(const PrivateDir&) = delete;
    PrivateDir& operator=(const PrivateDir&) = delete;
    ~PrivateDir() {
        std::error_code ec;
        if (!m_path.empty()) {
            fs::remove_all(m_path, ec);
        }
    }
    const fs::path& path() const { return m_path; }
    const std::string& error() const { return m_error; }

private:
    fs::path m_path;
    std::string m_error;
};

bool hasError(const std::vector<Diagnostic>& diagnostics) {
    return std::any_of(diagnostics.begin(), diagnostics.end(),
                       [](const auto& d) { return d.severity == "error"; });
}

void capDiagnostics(std::vector<Diagnostic>& diagnostics) {
    if (diagnostics.size() > kMaxDiagnostics) {
        const auto more = diagnostics.size() - kMaxDiagnostics;
        diagnostics.resize(kMaxDiagnostics);
        diagnostics.push_back(
            {"nvcc", 0, 0, "note", std::to_string(more) + " more diagnostics are in the log"});
    }
}

// The tool's output turned into the result: diagnostics, kernel resources, the log; on success the library
// moved out of the private directory under a name of its own; and the outcome stored in the cache when the
// source decided it.
struct ToolOutcome {
    std::string tool;    // "nvcc", or "g++/NVRTC" for the fast build
    std::string output;  // what it wrote
    bool exited = false; // ran to an exit of its own (no timeout, kill or cancel)
    bool ok = false;
    std::string describe; // how it ended ("exited with 1"), for a failure without a message
};

CompileResult finish(const CompileRequest& request, const std::string& unit, CompileResult result,
                     const ToolOutcome& tool, const fs::path& library_in_dir, const fs::path& out_dir,
                     const CacheKey& key, const CompileCache& cache, Clock::time_point t0) {
    const SourceTexts sources = {{request.source_name, request.source}, {kUnitName, unit}};
    result.diagnostics = parseDiagnostics(tool.output, sources);
    for (auto& d : result.diagnostics) {
        d.message = validUtf8(d.message);
        d.file = validUtf8(d.file);
    }
    result.kernels = parseKernelResources(tool.output);
    result.log = validUtf8(boundedLog(tool.output));
    if (!tool.exited) {
        result.diagnostics.push_back({tool.tool, 0, 0, "error", tool.tool + " " + tool.describe});
    } else if (!tool.ok && !hasError(result.diagnostics)) {
        result.diagnostics.push_back(
            {tool.tool, 0, 0, "error",
             tool.tool + " " + tool.describe + " without a message the parser knows; see the log"});
    }
    if (tool.ok) {
        const fs::path library =
            out_dir / (std::string(roleName(request.role)) + "-" + key.hash.substr(0, 16) + ".so");
        std::error_code ec;
        fs::rename(library_in_dir, library, ec);
        if (ec) {
            result.diagnostics.push_back({tool.tool, 0, 0, "error",
                                          tool.tool + " succeeded but its library could not be moved to " +
                                              library.string() + ": " + ec.message()});
        } else {
            result.ok = true;
            result.so_path = library.string();
        }
    }
    capDiagnostics(result.diagnostics);
    result.seconds = since(t0);
    // Only outcomes the source decides are kept: a success, or a failure the tool explained. A timeout, a
    // kill or an unexplained exit may go differently next time.
    if (cache.enabled() && (result.ok || (tool.exited && hasError(result.diagnostics)))) {
        if (const auto error = cache.store(key, result); !error.empty()) {
            result.notes.push_back("compile cache: result not stored: " + error);
        }
    }
    return result;
}

FastBuildRequest fastRequest(const CompileRequest& request, const std::string& unit, const std::string& nvcc,
                             const std::string& nvcc_version) {
    FastBuildRequest fb;
    fb.unit = unit;
    fb.unit_name = kUnitName;
    fb.arch = request.options.arch;
    if (request.role != spec::Role::Candidate) {
        fb.links = request.spec.links;
    }
    fb.cuda_root = fs::path(nvcc).parent_path().parent_path().string();
    fb.toolkit_lib_dir = toolkitLibDir(nvcc);
    fb.worker = request.options.nvrtc_worker;
    fb.max_workers = request.options.nvrtc_workers;
    fb.warm_up_workers = request.options.nvrtc_warm_up;
    if (!fb.worker.empty() && request.options.host_pch) {
        fb.host_prelude =
            usableHostPch(fs::path(fb.worker).parent_path().string(), fb.cuda_root, nvcc_version);
    }
    fb.timeout = request.options.timeout;
    fb.cancel = request.options.cancel;
    return fb;
}

CompileResult runNvcc(const CompileRequest& request, const std::string& unit, const CompileResult& result,
                      const std::vector<std::string>& argv, const fs::path& dir, const fs::path& out_dir,
                      const CacheKey& key, const CompileCache& cache, Clock::time_point t0) {
    if (!(std::ofstream(dir / kUnitName, std::ios::binary) << unit)) {
        return failure("nvcc", "cannot write " + (dir / kUnitName).string(), t0);
    }
    proc::Command run;
    run.argv = argv;
    run.env = compilerEnvironment(dir.string());
    run.cwd = dir.string();
    run.timeout = request.options.timeout;
    run.cancel = request.options.cancel;
    const auto r = proc::runCommand(run);
    // nvcc and its tools write everything to stderr; stdout is kept in case a host compiler differs.
    std::string output = r.err;
    if (!r.out.empty()) {
        output += (output.empty() || output.back() == '\n' ? "" : "\n") + r.out;
    }
    const bool exited = r.spawn_error.empty() && !r.timed_out && !r.cancelled && r.signal == 0;
    return finish(request, unit, result, {"nvcc", output, exited, r.ok(), r.describe()}, dir / kLibraryName,
                  out_dir, key, cache, t0);
}

std::string fastBuildNote(const FastBuildOutcome& built) {
    char phases[160];
    std::snprintf(phases, sizeof phases, "host code %.2f s, kernels %.2f s, link %.2f s", built.host_seconds,
                  built.kernel_seconds, built.link_seconds);
    return "built with g++ and NVRTC (" + std::to_string(built.kernels) + " kernels, " +
           std::to_string(built.workers) + " workers; " + phases + ")";
}

CompileResult compileUnchecked(const CompileRequest& request, Clock::time_point t0) {
    const auto& options = request.options;
    if (options.cancel != nullptr && options.cancel->load()) {
        return failure("nvcc", "compile cancelled before nvcc started", t0);
    }
    const auto nvcc = findNvcc(options.nvcc);
    if (nvcc.path.empty()) {
        return failure("nvcc", nvcc.error, t0);
    }
    const auto version = nvccVersion(nvcc.path);
    if (!version.error.empty()) {
        return failure("nvcc", version.error, t0);
    }
    const auto unit = spec::translationUnit(request.spec, request.role, request.source, request.source_name);
    const fs::path out_dir = options.out_dir.empty() ? fs::temp_directory_path() : fs::path(options.out_dir);
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    const PrivateDir dir(out_dir); // inside out_dir, so that the library is moved out by a rename
    if (dir.path().empty()) {
        return failure("nvcc", dir.error(), t0);
    }
    FastBuildRequest fast = fastRequest(request, unit, nvcc.path, version.version);
    fast.work_dir = dir.path().string();
    fast.library = (dir.path() / kLibraryName).string();
    const bool try_fast = !options.nvrtc_worker.empty();
    // The host pass and the NVRTC workers' warm-up need no arch: they run while a device query may still.
    std::optional<FastBuildStart> fast_start;
    if (try_fast) {
        fast_start.emplace(fast);
    }

    // The arch may come from a device query that runs meanwhile.
    const std::string arch =
        options.arch.empty() && options.later_arch.valid() ? options.later_arch.get() : options.arch;
    NvccCommand command;
    command.nvcc = nvcc.path;
    command.arch = arch;
    if (request.role != spec::Role::Candidate) {
        command.links = request.spec.links; // the candidate links nothing: it is the CUDA code under test
    }
    command.toolkit_lib_dir = toolkitLibDir(nvcc.path);
    command.input = kUnitName;
    command.output = kLibraryName;
    std::vector<std::string> argv;
    try {
        argv = command.argv();
    } catch (const std::invalid_argument& e) {
        return failure("nvcc", e.what(), t0);
    }
    fast.arch = arch;

    CompileResult result;
    result.command = commandLine(argv);
    const auto key = compileCacheKey(unit, argv, version.version, arch);
    const auto fast_key = compileCacheKey(unit, fastBuildArgv(fast), version.version, arch);
    const CompileCache cache(options.cache_dir);
    if (!cache.note().empty()) {
        result.notes.push_back(cache.note());
    }
    for (const auto* k : {try_fast ? &fast_key : nullptr, &key}) {
        if (k == nullptr) {
            continue;
        }
        if (auto hit = cache.lookup(*k)) {
            hit->seconds = since(t0);
            hit->notes = result.notes;
            return *hit;
        }
    }
    if (try_fast) {
        const auto built = fastBuild(fast, &*fast_start);
        if (built.built) {
            CompileResult fast_result = result;
            fast_result.command = built.command;
            fast_result.notes.push_back(fastBuildNote(built));
            return finish(request, unit, fast_result, {"g++/NVRTC", built.log, true, true, "succeeded"},
                          dir.path() / kLibraryName, out_dir, fast_key, cache, t0);
        }
        result.notes.push_back("fast build not used (" + built.why_not + "); compiled with nvcc");
    }
    return runNvcc(request, unit, result, argv, dir.path(), out_dir, key, cache, t0);
}

} // namespace

CompileResult compileRole(const CompileRequest& request) {
    const auto t0 = Clock::now();
    try {
        return compileUnchecked(request, t0);
    } catch (const std::exception& e) {
        return failure("nvcc", std::string("compile stage failed: ") + e.what(), t0);
    }
}

std::vector<RoleCompile> compileRoles(const spec::Spec& spec, const std::string& candidate_source,
                                      const std::string& candidate_name, const CompileOptions& options) {
    std::vector<CompileRequest> requests;
    requests.push_back({spec, spec::Role::Candidate, candidate_source, candidate_name, options});
    requests.push_back({spec, spec::Role::Reference, spec.reference, spec.id + ".reference.cu", options});
    if (!spec.baseline.is_reference) {
        requests.push_back(
            {spec, spec::Role::Baseline, spec.baseline.source, spec.id + ".baseline.cu", options});
    }
    std::vector<RoleCompile> out;
    for (const auto& r : requests) {
        out.push_back({r.role, {}});
    }
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < requests.size(); ++i) {
        try {
            threads.emplace_back([&out, &requests, i] { out[i].result = compileRole(requests[i]); });
        } catch (const std::system_error&) {
            out[i].result = compileRole(requests[i]); // no thread to be had: compile it here, in turn
        }
    }
    for (auto& t : threads) {
        t.join();
    }
    return out;
}

} // namespace kf::gpu::compile
