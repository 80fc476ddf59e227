// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_token_refresh.hpp"

#include "aws/aws_sso_oidc_client.hpp"
#include "base/failure.hpp"
#include "base/log_text.hpp"

namespace devflow {

bool aws_token_needs_refresh(const AwsCliCacheEntry &entry, TimePoint now) {
    return entry.expires_at - now <= kAwsRefreshMargin;
}

AwsCliCacheEntry refresh_aws_token(const AwsCliCacheEntry &entry, const std::string &oidc_endpoint,
                                   HttpTransport &transport, Clock &clock, Logger &logger) {
    if (entry.refresh_token.empty() || entry.client_id.empty() || entry.client_secret.empty()) {
        fail_denied("the token has no refresh token and client registration to renew it with");
    }
    if (entry.registration_expires_at <= clock.now()) {
        fail_denied("the client registration " + quote_for_log(entry.client_id) +
                    " that the refresh token belongs to has expired");
    }
    AwsSsoOidcSettings settings;
    settings.oidc_endpoint = oidc_endpoint;
    settings.start_url = entry.start_url;
    settings.region = entry.region;
    AwsSsoOidcClient client(std::move(settings), transport, clock, logger);  // no state_dir: nothing shared
    AwsClientRegistration registration;
    registration.client_id = entry.client_id;
    registration.client_secret = entry.client_secret.copy();
    registration.expires_at = entry.registration_expires_at;
    client.use_registration(std::move(registration));

    logger.debug("refreshing the AWS access token at " + oidc_endpoint);
    TokenSet fresh = client.refresh(entry.refresh_token);

    AwsCliCacheEntry renewed = entry.copy();
    renewed.access_token = std::move(fresh.access_token);
    renewed.expires_at = fresh.expires_at;
    if (!fresh.refresh_token.empty()) renewed.refresh_token = std::move(fresh.refresh_token);
    return renewed;
}

}  // namespace devflow
