// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kf::teacher {

struct CodeBlock {
    std::string lang; // the fence's info string, lowercased ("cuda", "c++", "")
    std::string code;
    int line = 0; // 1-based line of the opening fence in the answer
};

struct ExtractedKernel {
    bool ok = false;
    std::string source;      // what to compile
    std::vector<int> blocks; // indices into fencedBlocks() that were joined, in order
    std::string message;     // why nothing was found, or how the source was assembled
};

// Every fenced block (``` or ~~~, any length >= 3) of a markdown answer, in order.
std::vector<CodeBlock> fencedBlocks(std::string_view markdown);

// The kernel in a teacher's answer: the last C/C++/CUDA block that defines kf_launch; when that block
// launches or calls code it does not define, the earlier blocks that define it (and include-only blocks) are
// joined in front, in answer order. A clear message when there is no such block.
ExtractedKernel extractKernel(std::string_view answer);

} // namespace kf::teacher
