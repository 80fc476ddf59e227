// SPDX-License-Identifier: Apache-2.0
// Network code runs with an empty environment.
//
// libcurl reads environment variables with plain getenv: it opens
// SSLKEYLOGFILE for append when it initialises and takes proxies and NO_PROXY
// from the environment on every transfer. Inside su, login, or sudo with
// !env_reset, the environment is the invoking user's, and the module runs as
// root: a user's variable must never steer what root does.
//
// While a ScrubbedEnvironment is alive:
// - `environ` points at an empty list. The host's own list is not touched and
//   is back, unchanged, when the scope ends.
// - Hosts that interpose getenv read their own copy, not `environ`: sudo does,
//   answering from the environment it prepared for the command. For them the
//   variables libcurl reads (network_environment_variables) are unset through
//   the host's own unsetenv and set again, with the same values, when the scope
//   ends; the command still gets every one of them. A variable that cannot be
//   hidden is a Failure (system_error): the scope refuses rather than run
//   network code that sees it.
//
// One pointer swap and at most a few calls: only for code that does not change
// the environment itself, in a process where no other thread reads or writes
// it meanwhile. PAM hosts call modules from one thread (sshd runs PAM in a
// child process of its own).
#pragma once

#include <span>
#include <string>
#include <utility>
#include <vector>

namespace devflow {

// Every variable libcurl 7.88 reads with getenv (docs/security.md lists what
// was checked, libcurl's and OpenSSL's).
std::span<const char *const> network_environment_variables() noexcept;

class ScrubbedEnvironment {
public:
    ScrubbedEnvironment();
    ScrubbedEnvironment(const ScrubbedEnvironment &) = delete;
    ScrubbedEnvironment &operator=(const ScrubbedEnvironment &) = delete;
    ~ScrubbedEnvironment();

private:
    void restore() noexcept;

    char **saved_;
    std::vector<std::pair<std::string, std::string>> hidden_;  // from an interposed getenv
};

}  // namespace devflow
