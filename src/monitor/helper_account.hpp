// SPDX-License-Identifier: Apache-2.0
// The system account the helper process runs as. It must be the helper's
// own: a shared account such as `nobody` has other processes that could
// write into the helper's state directory (a planted JWKS would be trusted
// by the next login), and root would undo the separation.
#pragma once

#include <optional>
#include <string>
#include <sys/types.h>

namespace devflow {

// The account the packages create; the build tree's README commands too.
inline constexpr const char *kDefaultHelperAccount = "_devflow";

struct HelperAccount {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
};

// `name`'s account when this process runs as root; nullopt otherwise (then
// the helper runs as this process's own unprivileged user, as in tests).
// Throws Failure(config_error) when the account does not exist (the message
// says how to create it), is root's uid or gid, or is nobody's.
std::optional<HelperAccount> helper_account(const std::string &name);

}  // namespace devflow
