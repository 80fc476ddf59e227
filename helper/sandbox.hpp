// SPDX-License-Identifier: Apache-2.0
// The helper's self-confinement (privilege separation, docs/architecture.md).
// pam-device-flow-helper does the untrusted network work of a login: libcurl,
// TLS, JSON parsing, signature checks. The module starts it already dropped to
// its own unprivileged account; once the helper has read its start message,
// and before it touches the network, it gives up what a parser bug could use:
// new privileges (no_new_privs), the file system beyond what libcurl, OpenSSL
// and the resolver read and its state directory (Landlock, where the kernel
// has it), and every system call outside a short list (seccomp).
#pragma once

#include <string>
#include <vector>

namespace devflow {

struct SandboxPaths {
    std::string state_dir;               // read-write: discovery and JWKS cache, registrations, locks
    std::vector<std::string> read_only;  // more files or directories to read, e.g. a configured ca_file
};

// What confine_helper did, for the helper's debug log line.
struct SandboxReport {
    bool landlock = false;  // the file system is restricted
    int landlock_abi = 0;   // the kernel's Landlock ABI; 0 when it has none
    std::string landlock_note;
    // Set when Landlock left the state directory out because the helper's
    // account cannot reach it (missing, or a parent it may not search): the
    // login then runs without the state cache, as it would unconfined.
    std::string state_dir_problem;
};

// Sets no_new_privs, restricts the file system with Landlock where the kernel
// has it, and installs the seccomp filter, in that order: the filter allows
// none of the calls the earlier steps need. The process must be single-threaded
// (Landlock binds only the calling thread and those it creates afterwards) and
// must not run as root, nor with group root: the helper is started dropped, so
// either is a configuration bug. Read-only paths that do not exist are left
// out (the report names them), and so is a state directory the account cannot
// reach (report.state_dir_problem): then, as with an empty one, nothing is
// writable at all.
//
// Throws Failure(system_error) when a step that should work fails; a kernel
// without Landlock is not an error, the report says so. No way back: call it
// once, in the helper process, never in the module.
SandboxReport confine_helper(const SandboxPaths &paths);

}  // namespace devflow
