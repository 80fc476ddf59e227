// Bytes as ASCII text: which values pass as printable.
#pragma once

#include <string_view>

namespace devflow {

// 0x20..0x7e: printable ASCII, the space included.
constexpr bool is_printable_ascii(unsigned char byte) noexcept { return byte >= 0x20 && byte <= 0x7e; }

// Every byte is 0x20..0x7e. True for "".
bool is_printable_ascii(std::string_view text) noexcept;

// Every byte is 0x21..0x7e: printable ASCII without the space, as tokens,
// keys and error codes are. True for "".
bool is_visible_ascii(std::string_view text) noexcept;

}  // namespace devflow
