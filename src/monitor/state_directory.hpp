// SPDX-License-Identifier: Apache-2.0
// The state directory (discovery and JWKS cache, AWS client registrations,
// reuse records, locks) belongs to the helper's account, mode 0700: the
// helper reads and writes it, the module never parses it.
#pragma once

#include "base/logger.hpp"
#include "monitor/helper_account.hpp"

#include <string>

namespace devflow {

// Creates `path` (0700, the helper's) when missing; its parent must exist.
// One owned by root, as older versions left it, is handed over: the
// directory and the regular files directly in it change owner (never through
// a symlink). One owned by anyone else is left alone: the helper then runs
// without a state cache and says why. Never throws; problems are warnings.
void prepare_state_directory(const std::string &path, const HelperAccount &account, Logger &logger) noexcept;

}  // namespace devflow
