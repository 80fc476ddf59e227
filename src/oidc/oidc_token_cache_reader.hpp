// SPDX-License-Identifier: Apache-2.0
// Reading back the user's OIDC token cache that write_oidc_token_cache
// (oidc_token_cache.hpp) writes, for `pam-device-flow token`. Runs as the user.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "flow/token_set.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace devflow {

struct CachedOidcTokens {
    std::string issuer;
    std::string client_id;
    TokenSet tokens;
};

// The largest cache file read back.
inline constexpr std::size_t kMaxTokenCacheBytes = 256 * 1024;

// Reads <home>/.cache/pam_device_flow/<provider_name>.json. nullopt when the
// file does not exist. Throws Failure(system_error) for an unsafe file (a
// symlink, a foreign owner, group or world permissions, too large) and for
// content that is not the cache format (every member a string, access_token
// and expires_at present, expires_at RFC 3339 UTC), naming what is wrong.
std::optional<CachedOidcTokens> read_oidc_token_cache(const UserAccount &user, const std::string &provider_name);

}  // namespace devflow
