// SPDX-License-Identifier: Apache-2.0
#include "base/text.hpp"

#include <algorithm>

namespace devflow {

bool is_printable_ascii(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return is_printable_ascii(static_cast<unsigned char>(c)); });
}

bool is_visible_ascii(std::string_view text) noexcept {
    return std::all_of(text.begin(), text.end(),
                       [](char c) { return c != ' ' && is_printable_ascii(static_cast<unsigned char>(c)); });
}

std::string hex_encode(std::span<const unsigned char> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * bytes.size());
    for (unsigned char byte : bytes) {
        hex += kDigits[byte >> 4];
        hex += kDigits[byte & 0x0f];
    }
    return hex;
}

}  // namespace devflow
