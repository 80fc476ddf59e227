// SPDX-License-Identifier: Apache-2.0
// Bytes as ASCII text: which values pass as printable, and the lower-case hex
// spelling of binary data (digests, random file names, \xNN escapes).
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace devflow {

// 0x20..0x7e: printable ASCII, the space included.
constexpr bool is_printable_ascii(unsigned char byte) noexcept { return byte >= 0x20 && byte <= 0x7e; }

// Every byte is 0x20..0x7e. True for "".
bool is_printable_ascii(std::string_view text) noexcept;

// Every byte is 0x21..0x7e: printable ASCII without the space, as tokens,
// keys and error codes are. True for "".
bool is_visible_ascii(std::string_view text) noexcept;

// Two lower-case hex digits per byte: {0x00, 0xab} -> "00ab".
std::string hex_encode(std::span<const unsigned char> bytes);

}  // namespace devflow
