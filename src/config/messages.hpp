// SPDX-License-Identifier: Apache-2.0
// The pieces the configuration's messages are made of, so every message
// quotes and lists alike: "key" must be one of "a", "b", not "c".
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace devflow {

// `text` in double quotes, as it is (the configuration has no control
// characters to escape: they are refused first).
std::string quoted(std::string_view text);

// "a", "b", "c"
template <typename Range>
std::string quoted_list(const Range &items) {
    std::string out;
    for (const auto &item : items) {
        if (!out.empty()) out += ", ";
        out += quoted(item);
    }
    return out;
}

// "key" must be one of "a", "b", not "value" (did you mean "a"?)
std::string choice_error(std::string_view key, std::string_view value, std::span<const std::string_view> choices);

// "key" must be between MIN and MAX seconds, not VALUE
std::string range_error(std::string_view key, long min, long max, std::string_view value);

}  // namespace devflow
