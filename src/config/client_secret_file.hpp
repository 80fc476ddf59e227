// SPDX-License-Identifier: Apache-2.0
// The client secret of a confidential client: the first line of the admin's
// client_secret_file, which must be root-owned (or the caller's, unprivileged)
// and private. Shared by the login and the command's token refresh.
#pragma once

#include "base/secret.hpp"

#include <cstddef>
#include <string>

namespace devflow {

inline constexpr std::size_t kMaxClientSecretFileBytes = 4096;

// Throws Failure(config_error) naming the file and what is wrong with it.
Secret read_client_secret_file(const std::string &path);

}  // namespace devflow
