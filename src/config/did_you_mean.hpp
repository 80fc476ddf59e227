// SPDX-License-Identifier: Apache-2.0
// The suggestion after an unknown key, choice or provider name: the known
// word a typo most likely meant.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace devflow {

// Edit distance counting a swap of neighbours as one edit ("max_wiat").
std::size_t edit_distance(std::string_view a, std::string_view b);

// " (did you mean "x"?)" for the closest candidate within two edits (the
// first of equally close ones, and only one longer than its distance), else "".
std::string did_you_mean(std::string_view wrong, std::span<const std::string_view> candidates);
std::string did_you_mean(std::string_view wrong, const std::vector<std::string> &candidates);

}  // namespace devflow
