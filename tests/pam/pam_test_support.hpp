// SPDX-License-Identifier: Apache-2.0
// Helpers for the libpam tests: child processes for the IdP fixtures and the
// browser-like approver, a scratch directory, test accounts for nss_wrapper.
#pragma once

#include <security/pam_appl.h>
#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace devflow::pamtest {

// A fixture server (tests/fixtures/...) that prints {"issuer":...,"port":...}
// on its first stdout line. Stopped (SIGTERM, then its stdin closes) when
// destroyed.
class FixtureServer {
public:
    explicit FixtureServer(const std::vector<std::string> &command);
    ~FixtureServer();
    FixtureServer(const FixtureServer &) = delete;
    FixtureServer &operator=(const FixtureServer &) = delete;

    const std::string &issuer() const { return issuer_; }
    int port() const { return port_; }

private:
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    std::string issuer_;
    int port_ = 0;
};

// Runs a command without the test's LD_PRELOAD wrappers; returns its exit
// status and fills `output` with its stdout.
int run_command(const std::vector<std::string> &command, std::string *output = nullptr);

// Starts a command in the background (no waiting); returns its pid.
pid_t start_command(const std::vector<std::string> &command);
int wait_command(pid_t pid);

std::string make_scratch_dir();
void remove_tree(const std::string &path);
void write_text(const std::string &path, const std::string &content, mode_t mode = 0600);
std::string read_text(const std::string &path);

struct TestAccount {
    std::string name;
    uid_t uid;
    gid_t gid;
    std::string home;
};

// Writes passwd/group files for nss_wrapper and points it at them. As root the
// accounts get their own uids (so privilege dropping is real); unprivileged,
// they share the caller's uid.
std::vector<TestAccount> install_test_accounts(const std::string &scratch, const std::vector<std::string> &names);

// One pam_authenticate in a transaction of its own, with PAM items (type,
// value) set first, as sshd sets PAM_RHOST before it authenticates: libpamtest
// has no way to set items. Under pam_wrapper the service file comes from its
// private directory. Returns pam_authenticate's result; throws
// std::runtime_error when pam_start or pam_set_item fails.
int authenticate_with_items(const std::string &service, const std::string &user, const pam_conv &conversation,
                            const std::vector<std::pair<int, std::string>> &items);

}  // namespace devflow::pamtest
