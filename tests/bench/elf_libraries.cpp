// SPDX-License-Identifier: Apache-2.0
#include "elf_libraries.hpp"

#include "probe_runs.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

namespace devflow::bench {
namespace {

template <typename T>
T read_at(const std::string &file, std::size_t offset) {
    if (offset > file.size() || file.size() - offset < sizeof(T)) throw std::runtime_error("truncated ELF file");
    T value;
    std::memcpy(&value, file.data() + offset, sizeof(T));
    return value;
}

Elf64_Shdr section(const std::string &file, const Elf64_Ehdr &header, std::size_t index) {
    return read_at<Elf64_Shdr>(file, header.e_shoff + index * header.e_shentsize);
}

}  // namespace

std::vector<std::string> needed_libraries(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    const std::string file((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto header = read_at<Elf64_Ehdr>(file, 0);
    if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0 || header.e_ident[EI_CLASS] != ELFCLASS64) {
        throw std::runtime_error(path + " is not a 64-bit ELF file");
    }
    for (std::size_t i = 0; i < header.e_shnum; ++i) {
        const Elf64_Shdr dynamic = section(file, header, i);
        if (dynamic.sh_type != SHT_DYNAMIC) continue;
        const Elf64_Shdr strings = section(file, header, dynamic.sh_link);  // .dynstr
        std::vector<std::string> needed;
        for (std::size_t at = 0; at + sizeof(Elf64_Dyn) <= dynamic.sh_size; at += sizeof(Elf64_Dyn)) {
            const auto entry = read_at<Elf64_Dyn>(file, dynamic.sh_offset + at);
            if (entry.d_tag == DT_NULL) break;
            if (entry.d_tag != DT_NEEDED) continue;
            const std::size_t name = strings.sh_offset + entry.d_un.d_val;
            if (name >= file.size()) throw std::runtime_error("truncated ELF file");
            needed.emplace_back(file.c_str() + name);
        }
        return needed;
    }
    throw std::runtime_error(path + " has no dynamic section");
}

std::vector<std::string> loaded_libraries(const std::string &program) {
    int status = 0;
    std::istringstream lines(program_output(program, {}, {"LD_TRACE_LOADED_OBJECTS=1"}, status));
    std::vector<std::string> libraries;
    std::string name;
    std::string line;
    while (std::getline(lines, line)) {
        // "\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "\t/lib64/ld-linux-x86-64.so.2 (0x...)"
        std::istringstream words(line);
        if (words >> name && name.find("linux-vdso") == std::string::npos) libraries.push_back(name);
    }
    if (status != 0 || libraries.empty()) throw std::runtime_error("ld.so could not list the libraries of " + program);
    return libraries;
}

}  // namespace devflow::bench
