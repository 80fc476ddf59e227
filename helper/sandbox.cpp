// SPDX-License-Identifier: Apache-2.0
#include "helper/sandbox.hpp"

#include "base/failure.hpp"
#include "helper/landlock.hpp"
#include "helper/seccomp_filter.hpp"

#include <sys/prctl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <string>
#include <unistd.h>

namespace devflow {
namespace {

// Root, or group root, in any of the real, effective and saved ids: no_new_privs
// does not stop a saved uid 0 from being taken back.
void refuse_root() {
    uid_t real = 0, effective = 0, saved = 0;
    gid_t real_group = 0, effective_group = 0, saved_group = 0;
    if (::getresuid(&real, &effective, &saved) != 0 || ::getresgid(&real_group, &effective_group, &saved_group) != 0) {
        fail_system(std::string("sandbox: cannot read the process ids: ") + std::strerror(errno));
    }
    if (real == 0 || effective == 0 || saved == 0) {
        fail_system("sandbox: the helper runs as root; it must be started as its own unprivileged account");
    }
    if (real_group == 0 || effective_group == 0 || saved_group == 0) {
        fail_system("sandbox: the helper runs with group root; it must be started as its own unprivileged account");
    }
}

// Landlock binds the calling thread and the threads it creates afterwards,
// not threads that already run.
void require_one_thread() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("Threads:", 0) != 0) continue;
        if (std::stoi(line.substr(8)) == 1) return;
        fail_system("sandbox: the helper has more than one thread; confine it before starting any");
    }
    fail_system("sandbox: cannot count the helper's threads in /proc/self/status");
}

}  // namespace

SandboxReport confine_helper(const SandboxPaths &paths) {
    refuse_root();
    require_one_thread();
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        fail_system(std::string("sandbox: cannot set no_new_privs: ") + std::strerror(errno));
    }
    SandboxReport report;
    restrict_file_system(paths, report);
    install_seccomp_filter();
    return report;
}

}  // namespace devflow
