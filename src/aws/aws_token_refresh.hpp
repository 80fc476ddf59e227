// SPDX-License-Identifier: Apache-2.0
// Renewing an aws-sso access token with its refresh token (sso-oidc
// CreateToken, refresh_token grant) under the client registration the token
// was issued to, which travels with it: in the AWS CLI cache entry for
// `pam-device-flow token`, in the recorded approval for step-up reuse. A
// refresh token is bound to its client, so the shared registration in the
// state directory is neither used nor touched.
#pragma once

#include "base/clock.hpp"
#include "base/logger.hpp"
#include "net/http_transport.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <string>

namespace devflow {

// Tokens that expire within this margin are renewed before they are used, as
// the AWS CLI does (it refreshes 15 minutes ahead; a minute is enough for one
// command or one login).
inline constexpr Seconds kAwsRefreshMargin{60};

// Whether `entry`'s access token expires within kAwsRefreshMargin of `now`.
bool aws_token_needs_refresh(const AwsCliCacheEntry &entry, TimePoint now);

// `entry` with a new access token and expiry, and the new refresh token when
// AWS rotates it (else the old one); every other member is kept. Throws
// Failure(denied) when the entry has no refresh token, its registration has
// expired or AWS refuses the refresh (a new login is the only way on), and
// Failure(unavailable) for an unreachable or misbehaving endpoint.
AwsCliCacheEntry refresh_aws_token(const AwsCliCacheEntry &entry, const std::string &oidc_endpoint,
                                   HttpTransport &transport, Clock &clock, Logger &logger);

}  // namespace devflow
