// SPDX-License-Identifier: Apache-2.0
// sshd's effective settings (`sshd -T`), for the warnings of
// `pam-device-flow check`: a LoginGraceTime shorter than the device flow's
// wait cuts logins off, and without keyboard-interactive or UsePAM the module
// never runs for ssh.
#pragma once

#include <map>
#include <optional>
#include <string>

namespace devflow::cli {

inline constexpr const char *kSshdPath = "/usr/sbin/sshd";

// `sshd -T` (with -f `config_file` when not empty), stdin /dev/null, at most
// 10 s: its "keyword value" lines, keywords in lower case. nullopt and
// `why` set when sshd could not say (not installed, not root, bad file).
std::optional<std::map<std::string, std::string>> sshd_effective_settings(const std::string &config_file,
                                                                          std::string &why);

// "logingracetime 120" -> 120; nullopt for a value that is not seconds.
std::optional<long> sshd_seconds(const std::string &value);

}  // namespace devflow::cli
