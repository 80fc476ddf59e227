// SPDX-License-Identifier: Apache-2.0
// The helper's system calls under seccomp (sandbox.hpp): an allowlist, and
// any other call kills the process. seccomp_filter.cpp lists each call and
// what needs it.
#pragma once

namespace devflow {

// Installs the filter on the calling thread and the threads it creates
// afterwards. no_new_privs must be set. The last step of the sandbox: the
// filter allows none of the calls that set up the others (prctl, Landlock).
// Throws Failure(system_error).
void install_seccomp_filter();

}  // namespace devflow
