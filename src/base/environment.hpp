// SPDX-License-Identifier: Apache-2.0
// The host's environment variables, behind a function: the module reads them
// with secure_getenv (under sudo the environment is the invoking user's), the
// helper process answers from the variables the module handed over, tests
// from a map.
#pragma once

#include <functional>

namespace devflow {

// Reads one environment variable; nullptr when unset.
using EnvironmentLookup = std::function<const char *(const char *)>;

// ::secure_getenv.
const char *secure_environment(const char *name);

}  // namespace devflow
