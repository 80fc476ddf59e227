// SPDX-License-Identifier: Apache-2.0
// The libraries of an ELF program or shared object: the ones it names as
// DT_NEEDED (what `readelf -d` shows), read from the file itself so the
// benchmark needs no binutils; and for a program, all it loads, as ld.so
// resolves them (what `ldd` shows).
#pragma once

#include <string>
#include <vector>

namespace devflow::bench {

// In the order the file lists them. Throws std::runtime_error when `path` is
// not a readable 64-bit ELF file with a dynamic section.
std::vector<std::string> needed_libraries(const std::string &path);

// Every shared object ld.so maps for `program` before its main (ld.so itself
// included, the vDSO not), by running it with LD_TRACE_LOADED_OBJECTS=1 as
// ldd does: ld.so lists them and exits without running the program.
std::vector<std::string> loaded_libraries(const std::string &program);

}  // namespace devflow::bench
