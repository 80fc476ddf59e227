// SPDX-License-Identifier: Apache-2.0
// An exclusive lock on a file in the root-owned state directory, so that
// concurrent logins (several sshd children, sudo) do read-modify-write of a
// shared entry one at a time. flock(2) locks die with their process, so a
// crashed login never leaves a stale lock behind; the timeout bounds how long
// a login waits behind a stuck one.
#pragma once

#include "base/clock.hpp"

#include <chrono>
#include <string>

namespace devflow {

class StateLock {
public:
    // Opens dir/name (created with mode 0600 when missing; never through a
    // symlink; it must be a regular file owned by us without group or world
    // permissions) and takes an exclusive flock, trying again every 20 ms of
    // `clock` time. Throws Failure(unavailable) when the lock is still held by
    // another process after `timeout`, Failure(system_error) when the lock
    // file is unsafe or cannot be opened.
    StateLock(const std::string &dir, const std::string &name, Clock &clock, std::chrono::milliseconds timeout);
    ~StateLock();  // closing the descriptor releases the lock
    StateLock(const StateLock &) = delete;
    StateLock &operator=(const StateLock &) = delete;

private:
    int fd_ = -1;
};

}  // namespace devflow
