// SPDX-License-Identifier: MIT
#include "elf_symbols.h"

#include <cstring>
#include <elf.h>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace kf::gpu::compile {
namespace {

template <typename T>
T readAt(const std::string& bytes, std::size_t offset, const std::string& path) {
    if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
        throw std::runtime_error(path + ": truncated ELF file (offset " + std::to_string(offset) + ")");
    }
    T value;
    std::memcpy(&value, bytes.data() + offset, sizeof(T));
    return value;
}

} // namespace

std::vector<ElfFunction> readElfFunctions(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw std::runtime_error("cannot read " + path);
    }
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto eh = readAt<Elf64_Ehdr>(bytes, 0, path);
    if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
        eh.e_ident[EI_DATA] != ELFDATA2LSB) {
        throw std::runtime_error(path + ": not a little-endian ELF64 file");
    }
    std::vector<Elf64_Shdr> sections;
    for (std::size_t i = 0; i < eh.e_shnum; ++i) {
        sections.push_back(readAt<Elf64_Shdr>(bytes, eh.e_shoff + i * eh.e_shentsize, path));
    }
    std::vector<ElfFunction> out;
    for (const auto& sh : sections) {
        if (sh.sh_type != SHT_SYMTAB || sh.sh_entsize == 0) {
            continue;
        }
        if (sh.sh_link >= sections.size()) {
            throw std::runtime_error(path + ": symbol table names no string table");
        }
        const auto& strtab = sections[sh.sh_link];
        for (std::size_t off = 0; off + sizeof(Elf64_Sym) <= sh.sh_size; off += sh.sh_entsize) {
            const auto sym = readAt<Elf64_Sym>(bytes, sh.sh_offset + off, path);
            if (ELF64_ST_TYPE(sym.st_info) != STT_FUNC || sym.st_shndx == SHN_UNDEF) {
                continue;
            }
            const std::size_t at = strtab.sh_offset + sym.st_name;
            if (sym.st_name >= strtab.sh_size || at >= bytes.size()) {
                throw std::runtime_error(path + ": a symbol's name lies outside the string table");
            }
            const char* name = bytes.data() + at;
            out.push_back({std::string(name, strnlen(name, bytes.size() - at)),
                           ELF64_ST_BIND(sym.st_info) == STB_LOCAL});
        }
    }
    return out;
}

} // namespace kf::gpu::compile
