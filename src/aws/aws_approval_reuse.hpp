// SPDX-License-Identifier: Apache-2.0
// Step-up reuse (reuse_window) for aws-sso providers. As for oidc providers
// (approval_record.hpp) the approval is kept only in the root-owned state_dir,
// never taken from the user's files, is bound to the PAM service and remote
// host it was given through, and nothing stored is trusted: an aws-sso
// login has no signed ID token to verify again, so the stored access token is
// shown to AWS again instead (portal GetRoleCredentials + STS
// GetCallerIdentity for the configured account and role), and the session
// name AWS returns is bound to the user again. A token that is about to
// expire is first renewed with its refresh token (aws_token_refresh.hpp).
// AWS refusing anything means "no reuse", never a failure: a new device flow
// follows.
#pragma once

#include "aws/aws_identity.hpp"
#include "base/clock.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "net/http_transport.hpp"
#include "store/approval_record.hpp"
#include "store/state_store.hpp"
#include "usercache/aws_cli_cache.hpp"

#include <optional>
#include <string>

namespace devflow {

struct ReusedAwsApproval {
    AwsIdentity identity;  // as AWS named it just now
    long age_seconds = 0;  // since the approval was recorded
    // The renewed tokens when the stored ones were refreshed: AWS may have
    // retired the refresh token the user's AWS CLI cache holds, so the
    // caller writes these there.
    std::optional<AwsCliCacheEntry> refreshed;
};

// Records a fresh aws-sso approval of `user`, given through `origin`: the
// time now, the tokens and the client registration they belong to (`tokens`
// as written to the user's AWS CLI cache). Call it only after the identity
// was bound. A failure to write is logged as a warning; the login it follows
// still succeeds.
void record_aws_approval(StateStore &state, const AwsSsoProviderConfig &provider, const std::string &user,
                         const LoginOrigin &origin, const AwsCliCacheEntry &tokens, Clock &clock,
                         Logger &logger) noexcept;

// The approval recorded for (provider, user) less than `window` ago, given
// through `origin`, for the provider's current start URL and region, if AWS
// still accepts its access token (renewed first when it expires within a
// minute) for the configured account and role and names a session that maps
// to `user`. Else nullopt, with the reason logged. Never throws. A record
// from another origin is refused before anything is sent to AWS.
std::optional<ReusedAwsApproval> find_reusable_aws_approval(const AwsSsoProviderConfig &provider, Seconds window,
                                                            const std::string &user, const LoginOrigin &origin,
                                                            HttpTransport &transport, StateStore &state, Clock &clock,
                                                            Logger &logger) noexcept;

}  // namespace devflow
