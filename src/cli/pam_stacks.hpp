// SPDX-License-Identifier: Apache-2.0
// The pam.d lines that load the module, for `pam-device-flow check`: a stack
// that passes no provider= needs default_provider once the file has several
// providers, and a provider= must name one of them.
#pragma once

#include <string>
#include <vector>

namespace devflow::cli {

struct PamStackLine {
    std::string file;      // e.g. /etc/pam.d/sshd
    int line = 0;          // 1-based
    std::string config;    // config= or the module's default file
    std::string provider;  // provider=, empty when not given
};

// Every auth line of the regular files in `directory` whose module is
// pam_device_flow.so, in file-name order. Unreadable files are skipped.
std::vector<PamStackLine> pam_stack_lines(const std::string &directory, const std::string &default_config);

// Whether `a` and `b` name the same file (by device and inode when both
// exist, else by text).
bool same_file(const std::string &a, const std::string &b);

}  // namespace devflow::cli
