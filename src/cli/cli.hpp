// SPDX-License-Identifier: Apache-2.0
// pam-device-flow: the command that shares the module's core. One function per
// subcommand; each returns the process exit status (see exit_codes below).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace devflow::cli {

// The exit statuses, documented in pam-device-flow(1).
enum ExitCode : int {
    exit_ok = 0,
    exit_config = 1,       // the configuration is wrong (or names an unusable provider)
    exit_unavailable = 2,  // an IdP is unreachable or answers wrongly
    exit_denied = 3,       // login not approved, no usable cache, refresh refused
    exit_system = 4,       // this host: files, accounts, privileges
    exit_usage = 64,       // EX_USAGE: bad command line
};

struct Options {
    std::string config_path;  // empty: the default
    std::string provider;     // empty: the configured default
    std::optional<std::string> qr;
    std::optional<std::string> prompt;
    bool debug = false;
    // check only
    bool offline = false;       // no network: the configuration and its files
    std::string pam_dir;        // where the pam.d stacks are (default /etc/pam.d)
    std::string sshd_config;    // sshd -T -f FILE (default: sshd's own file)
    bool sshd_settings = true;  // compare with sshd -T when sshd is there (--no-sshd: not)
};

int run_check(const Options &options);
int run_login(const Options &options);
int run_token(const Options &options);

// The configured path or the default one.
std::string config_path_of(const Options &options);

}  // namespace devflow::cli
