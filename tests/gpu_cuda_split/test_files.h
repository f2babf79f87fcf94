// SPDX-License-Identifier: MIT
#pragma once
// Reading the gold kernels and the corpus for the cuda_split tests.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace kf::gpu::cuda_split::test {

inline std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// resources/specs/*.gold.cu and tests/gpu/corpus/*.cu, sorted.
inline std::vector<std::filesystem::path> cudaFiles(bool gold_only) {
    std::vector<std::filesystem::path> out;
    const std::filesystem::path root(KF_SOURCE_DIR);
    for (const auto& e : std::filesystem::directory_iterator(root / "resources/specs"))
        if (e.path().string().ends_with(".gold.cu"))
            out.push_back(e.path());
    if (!gold_only)
        for (const auto& e : std::filesystem::directory_iterator(root / "tests/gpu/corpus"))
            if (e.path().extension() == ".cu")
                out.push_back(e.path());
    std::sort(out.begin(), out.end());
    return out;
}

// The translation unit kf-runner compiles around a user's file.
inline std::string translationUnit(const std::string& user) {
    return "#include <cstdint>\n#include <cuda_runtime.h>\n#include <cuda_fp16.h>\n#include <cuda_bf16.h>\n"
           "#line 1 \"kernel.cu\"\n" +
           user +
           "\nextern \"C\" void kf_call_candidate(void* const* args, cudaStream_t stream) {\n"
           "    (void)args;\n    (void)stream;\n}\n";
}

} // namespace kf::gpu::cuda_split::test
