// SPDX-License-Identifier: Apache-2.0
#include "base/environment.hpp"

#include <cstdlib>

namespace devflow {

const char *secure_environment(const char *name) { return ::secure_getenv(name); }

}  // namespace devflow
