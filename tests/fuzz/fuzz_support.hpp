// SPDX-License-Identifier: Apache-2.0
// Small helpers the newer fuzz targets share: the invariant check and a
// bracket-depth scan that lets a target skip its own recursive work (copy,
// dump) on inputs nested deeper than any real document.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <string_view>

namespace devflow::fuzz {

// A broken invariant stops the fuzzer with the input saved.
inline void require(bool condition) {
    if (!condition) std::abort();
}

// The deepest nesting of [ and { in `text` outside JSON strings (an
// approximation is enough: it only guards the target's own recursion).
inline std::size_t json_nesting_depth(std::string_view text) {
    std::size_t depth = 0;
    std::size_t deepest = 0;
    bool in_string = false;
    bool escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped) escaped = false;
            else if (c == '\\') escaped = true;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > deepest) deepest = depth;
        } else if ((c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return deepest;
}

}  // namespace devflow::fuzz
