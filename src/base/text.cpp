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

}  // namespace devflow
