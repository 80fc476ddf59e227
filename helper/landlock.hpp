// SPDX-License-Identifier: Apache-2.0
// The helper's file system under Landlock (sandbox.hpp): read-only where
// libcurl, OpenSSL and the resolver read, read-write beneath the state
// directory, nothing elsewhere. landlock.cpp lists each path and why.
#pragma once

#include "helper/sandbox.hpp"

namespace devflow {

// The kernel's Landlock ABI version; 0 when it has none (not built in, or not
// enabled at boot). Throws Failure(system_error) on any other error.
int landlock_abi();

// Restricts the calling thread, and the threads it creates afterwards, to the
// paths above plus `paths`; fills the report's landlock fields. A kernel
// without Landlock leaves the report saying so. no_new_privs must be set.
// Throws Failure(system_error) when a rule or the restriction fails. A state
// directory the account cannot reach is left out (report.state_dir_problem).
void restrict_file_system(const SandboxPaths &paths, SandboxReport &report);

}  // namespace devflow
