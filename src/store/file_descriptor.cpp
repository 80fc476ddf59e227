// SPDX-License-Identifier: Apache-2.0
#include "store/file_descriptor.hpp"

#include <array>
#include <cstdio>
#include <cstring>

namespace devflow {

std::string errno_text(int error) { return std::strerror(error); }

std::string octal_mode(mode_t mode) {
    std::array<char, 8> buffer{};
    std::snprintf(buffer.data(), buffer.size(), "%04o", static_cast<unsigned>(mode & 07777));
    return buffer.data();
}

}  // namespace devflow
