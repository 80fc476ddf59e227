// SPDX-License-Identifier: Apache-2.0
// Which program the module runs in, for the one answer that must depend on
// it: a final no (Outcome::refused) is PAM_ABORT under sudo, which retries
// PAM_AUTH_ERR up to passwd_tries times and would start a new device flow
// each time, and PAM_AUTH_ERR everywhere else, as the module's result
// contract says (docs/security.md, "A final no ends sudo's retries").
#pragma once

namespace devflow {

// True when the process is sudo(8) (or sudoedit, the same program): the
// basename of /proc/self/exe, or of the program name when /proc is missing.
bool host_program_is_sudo() noexcept;

}  // namespace devflow
