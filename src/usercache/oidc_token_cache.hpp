// SPDX-License-Identifier: Apache-2.0
// The OIDC tokens in the user's own cache, ~/.cache/pam_device_flow/NAME.json,
// so the user's tools can use the login's tokens. Written as the user.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "flow/token_set.hpp"

#include <string>

namespace devflow {

// Writes <home>/.cache/pam_device_flow/<provider_name>.json (mode 0600) with
// issuer, client_id, access_token, refresh_token, id_token, token_type, scope
// and expires_at (RFC 3339 UTC); empty tokens are written as "". Must run with
// privileges already dropped to `user`. Creates .cache and pam_device_flow
// (0700) when missing; refuses a home, .cache or pam_device_flow that is a
// symlink or not owned by user.uid. The old file is replaced atomically and
// kept when anything fails. Every value must be printable ASCII (RFC 6749
// VSCHAR; issuer URLs too), else Failure(unavailable) before any file is
// touched. Throws Failure(config_error) for a bad provider name and
// Failure(system_error) for file problems.
void write_oidc_token_cache(const UserAccount &user, const std::string &provider_name, const std::string &issuer,
                            const std::string &client_id, const TokenSet &tokens);

// The cache directory for `user`: <home>/.cache/pam_device_flow.
std::string user_token_cache_directory(const UserAccount &user);

}  // namespace devflow
