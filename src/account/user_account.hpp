// SPDX-License-Identifier: Apache-2.0
// The local account being logged in, and a way to act as it. Dropping
// privileges needs the PAM handle (pam_modutil_drop_priv), so the PAM module
// provides the real implementation; the core only asks for it.
#pragma once

#include <functional>
#include <string>
#include <sys/types.h>

namespace devflow {

struct UserAccount {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;
    std::string home;
};

// Looks the account up with getpwnam_r. Throws Failure(denied) when unknown.
UserAccount lookup_user(const std::string &name);

// The account of `uid` (getpwuid_r), with its passwd home. Throws
// Failure(system_error) when the uid has no passwd entry: asked for the
// caller's own uid, that is a broken host, not a stranger.
UserAccount lookup_user_by_uid(uid_t uid);

class PrivilegeDrop {
public:
    virtual ~PrivilegeDrop() = default;
    // Runs `work` with the effective uid/gid/groups of `user`, restoring them
    // afterwards even when `work` throws. Throws Failure(system_error) when the
    // switch or the restore fails.
    virtual void run_as(const UserAccount &user, const std::function<void()> &work) = 0;
};

}  // namespace devflow
