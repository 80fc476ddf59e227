// SPDX-License-Identifier: Apache-2.0
// The login helper this build of the module starts: the build tree's or the
// installed one (CMakeLists.txt builds the module once for each).
#include "pam_services.hpp"

namespace devflow {

const char *default_helper_path() noexcept { return DEVFLOW_HELPER_PATH; }

}  // namespace devflow
