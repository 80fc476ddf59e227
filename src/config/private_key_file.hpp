// SPDX-License-Identifier: Apache-2.0
// The private key of a client that authenticates with private_key_jwt: the
// admin's private_key_file, a PEM key that must be root-owned (or the
// caller's, unprivileged) and private, like client_secret_file. Read here as
// bytes; oidc/client_assertion.hpp makes a signing key of them.
#pragma once

#include "base/secret.hpp"

#include <cstddef>
#include <string>

namespace devflow {

// An RSA-4096 key in PEM is about 3.3 KB; a file many times that is not a key.
inline constexpr std::size_t kMaxPrivateKeyFileBytes = 16 * 1024;

// The file's bytes. Throws Failure(config_error) naming the file and what is
// wrong with it (missing, a symlink, a foreign owner, readable by others,
// too large, empty).
Secret read_private_key_file(const std::string &path);

}  // namespace devflow
