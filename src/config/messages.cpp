// SPDX-License-Identifier: Apache-2.0
#include "config/messages.hpp"

#include "config/did_you_mean.hpp"

namespace devflow {

std::string quoted(std::string_view text) {
    std::string out = "\"";
    out += text;
    out += '"';
    return out;
}

std::string choice_error(std::string_view key, std::string_view value, std::span<const std::string_view> choices) {
    return quoted(key) + " must be one of " + quoted_list(choices) + ", not " + quoted(value) +
           did_you_mean(value, choices);
}

std::string range_error(std::string_view key, long min, long max, std::string_view value) {
    return quoted(key) + " must be between " + std::to_string(min) + " and " + std::to_string(max) + " seconds, not " +
           std::string(value);
}

}  // namespace devflow
