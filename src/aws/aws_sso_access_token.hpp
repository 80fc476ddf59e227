// SPDX-License-Identifier: Apache-2.0
// An aws-sso provider's part of `pam-device-flow token`: the access token
// from the caller's AWS CLI cache (the file `aws sso login` writes too),
// renewed through sso-oidc CreateToken first when it is about to expire.
// Runs as the caller.
#pragma once

#include "account/user_account.hpp"
#include "base/clock.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "provider/provider.hpp"

namespace devflow {

// Throws Failure(denied) with the remedy when there is no cache or one of
// another start URL or region; a refused refresh keeps its outcome and says
// what to run, unless another process refreshed the cache meanwhile.
CachedAccessToken cached_aws_sso_access_token(const Config &config, const AwsSsoProviderConfig &provider,
                                              const UserAccount &caller, Clock &clock, Logger &logger);

}  // namespace devflow
