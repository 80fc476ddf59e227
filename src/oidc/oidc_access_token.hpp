// SPDX-License-Identifier: Apache-2.0
// An oidc provider's part of `pam-device-flow token`: the access token from
// the caller's own cache (oidc_token_cache.hpp), renewed with the refresh
// token first when it expires within a minute. Runs as the caller.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "provider/provider.hpp"

namespace devflow {

// Throws Failure(denied) with the remedy when there is no cache, a cache of
// another issuer or client, or an expired token without a refresh token;
// a refused refresh keeps its outcome and says what to run.
CachedAccessToken cached_oidc_access_token(const Config &config, const OidcProviderConfig &provider,
                                           const UserAccount &caller, Clock &clock, Logger &logger);

}  // namespace devflow
