// SPDX-License-Identifier: MIT
#include "fast_host_pch.h"

#include "compiler_environment.h"
#include "fast_host_runtime.h"
#include "nvcc_toolkit.h"
#include "proc/command.h"

#include <filesystem>
#include <fstream>
#include <iterator>

namespace kf::gpu::compile {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHeader = "kf_host_prelude.h";
constexpr const char* kStamp = "kf_host_prelude.stamp";

std::string stampText(const std::string& cuda_root, const std::string& nvcc_version) {
    return "cuda_root=" + cuda_root + "\nnvcc=" + nvcc_version + "\n";
}

} // namespace

std::vector<std::string> fastHostFlags(const std::string& cuda_root) {
    return {"-std=c++17",
            "-O1",             // launchers need little optimising; -O1 compiles them fastest (even than -O0)
            "-fno-ipa-icf",    // every kernel stub keeps an address of its own
            "-fno-gnu-unique", // inline statics stay in their role's library
            "-fPIC",
            "-w",
            "-I" + (fs::path(cuda_root) / "include").string()};
}

std::string prepareHostPch(const std::string& dir, const std::string& nvcc) {
    const auto version = nvccVersion(nvcc);
    if (!version.error.empty()) {
        return version.error;
    }
    const std::string root = fs::path(nvcc).parent_path().parent_path().lexically_normal().string();
    std::error_code ec;
    fs::create_directories(dir, ec);
    const fs::path header = fs::path(dir) / kHeader;
    const fs::path gch = fs::path(dir) / (std::string(kHeader) + ".gch");
    fs::remove(fs::path(dir) / kStamp, ec); // no stamp while the pair is being replaced
    if (!(std::ofstream(header, std::ios::binary)
          << fastHostRuntime() << "#include <cstdint>\n#include <cuda_fp16.h>\n#include <cuda_bf16.h>\n")) {
        return "cannot write " + header.string();
    }
    proc::Command c;
    c.argv = {"g++"};
    for (const auto& f : fastHostFlags(root)) {
        c.argv.push_back(f);
    }
    c.argv.insert(c.argv.end(), {"-x", "c++-header", header.string(), "-o", gch.string()});
    c.env = compilerEnvironment();
    c.timeout = std::chrono::seconds(120);
    const auto r = proc::runCommand(c);
    if (!r.ok()) {
        return "g++ " + r.describe() + ": " + r.err.substr(0, 2000);
    }
    if (!(std::ofstream(fs::path(dir) / kStamp, std::ios::binary) << stampText(root, version.version))) {
        return "cannot write the stamp in " + dir;
    }
    return {};
}

std::string usableHostPch(const std::string& dir, const std::string& cuda_root,
                          const std::string& nvcc_version) {
    std::ifstream in(fs::path(dir) / kStamp, std::ios::binary);
    const std::string stamp{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    const std::string root = fs::path(cuda_root).lexically_normal().string();
    std::error_code ec;
    if (stamp.empty() || stamp != stampText(root, nvcc_version) ||
        !fs::exists(fs::path(dir) / (std::string(kHeader) + ".gch"), ec)) {
        return {};
    }
    return (fs::path(dir) / kHeader).string();
}

} // namespace kf::gpu::compile
