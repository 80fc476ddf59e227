// SPDX-License-Identifier: Apache-2.0
// The helper process of one login, seen from the module: started with fork
// and exec, connected by a socketpair, and stopped and reaped by its own pid
// only (the host's SIGCHLD handling is never touched; a host that reaps it
// first costs us only its exit status).
#pragma once

#include "monitor/helper_account.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>

namespace devflow {

class HelperProcess {
public:
    // Checks the binary (a regular file; when running as root, owned by root
    // and writable by nobody else), then forks. The child makes fd 3 its end
    // of the socketpair and 0-2 /dev/null, closes every other descriptor,
    // unblocks all signals, drops to `account` (groups, gid, uid; checked),
    // sets no_new_privs and a parent-death signal, and execs `path` with no
    // arguments beyond its name and an empty environment. Throws Failure.
    HelperProcess(const std::string &path, const std::optional<HelperAccount> &account);
    ~HelperProcess();

    HelperProcess(const HelperProcess &) = delete;
    HelperProcess &operator=(const HelperProcess &) = delete;

    int channel() const noexcept { return channel_; }
    pid_t pid() const noexcept { return pid_; }

    // Closes the channel, gives the helper `grace` to exit, then kills it
    // (SIGKILL) and reaps it. Returns how it ended, for a log line ("exited
    // with status 0", "was killed by signal 31 (Bad system call)"), or "" when
    // it was reaped before. Idempotent.
    std::string stop(std::chrono::milliseconds grace) noexcept;

private:
    int channel_ = -1;
    pid_t pid_ = -1;
    std::string ending_;
};

}  // namespace devflow
