// SPDX-License-Identifier: Apache-2.0
// The root-owned files and host environment variables a login with a
// provider reads besides the configuration file: what the module reads for
// its helper process (store/handed_files.hpp), which can read none of them.
#pragma once

#include "base/environment.hpp"
#include "config/config.hpp"
#include "store/safe_file.hpp"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace devflow {

struct TrustedFileUse {
    std::string path;
    std::size_t max_bytes = 0;
    FileSecrecy secrecy = FileSecrecy::public_content;
    // A public file read without read_trusted_file's owner and mode checks,
    // as libcurl reads it (ca_file).
    bool unchecked = false;
};

// The largest ca_file handed over (Debian's whole bundle is about 220 KB).
inline constexpr std::size_t kMaxCaFileBytes = 1024 * 1024;

// ca_file, the client_secret_file or private_key_file the client authentication
// may use, user_map_file, and for an oidc provider with the
// CreateTokenWithIAM exchange the host's AWS shared credentials file (when
// its aws_idc_credentials may use one).
std::vector<TrustedFileUse> trusted_files_read_by(const Config &config, const ProviderConfig &provider,
                                                  const EnvironmentLookup &environment);

// The AWS_* variables the exchange reads (none without it), with
// AWS_SHARED_CREDENTIALS_FILE set to the file found by
// default_shared_credentials_path.
std::vector<std::pair<std::string, std::string>> environment_read_by(const ProviderConfig &provider,
                                                                     const EnvironmentLookup &environment);

// AWS_SHARED_CREDENTIALS_FILE when set, else ~/.aws/credentials of the
// process's effective user (root in sshd and sudo; never $HOME, which is the
// invoking user's under sudo). Empty when there is no home directory.
std::string default_shared_credentials_path(const EnvironmentLookup &environment);

}  // namespace devflow
