// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace kf::gpu::compile {

// A function defined in an ELF object.
struct ElfFunction {
    std::string name; // as in the symbol table (mangled)
    bool local = false;
};

// The functions an x86-64 or aarch64 ELF64 relocatable object or shared object defines, from its .symtab.
// Throws std::runtime_error naming the file and what is wrong with it.
std::vector<ElfFunction> readElfFunctions(const std::string& path);

} // namespace kf::gpu::compile
