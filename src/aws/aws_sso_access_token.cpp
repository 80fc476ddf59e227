// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_sso_access_token.hpp"

#include "aws/aws_cli_cache_name.hpp"
#include "aws/aws_cli_cache_reader.hpp"
#include "aws/aws_token_refresh.hpp"
#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "net/curl_transport.hpp"
#include "usercache/aws_cli_cache.hpp"

namespace devflow {
namespace {

std::string login_again(const AwsSsoProviderConfig &provider) {
    return "run `pam-device-flow login --provider " + provider.name + "` (or `aws sso login --sso-session " +
           provider.aws.sso_session + "`)";
}

// The cache, if it is there and holds a token of this provider's start URL
// and region; else Failure(denied) saying what to run.
AwsCliCacheEntry usable_cache(const AwsSsoProviderConfig &provider, const UserAccount &caller,
                              const std::string &path) {
    const AwsSsoSettings &aws = provider.aws;
    std::optional<AwsCliCacheEntry> cached = read_aws_cli_token_cache(caller, aws.sso_session);
    if (!cached) fail_denied("no AWS CLI token cache at " + path + ": " + login_again(provider) + " first");
    // A start URL or region of another Identity Center: its token is no use here.
    if ((!cached->start_url.empty() && cached->start_url != aws.start_url) ||
        (!cached->region.empty() && cached->region != aws.region)) {
        fail_denied(path + " holds a token of start URL " + quote_for_log(cached->start_url) + " in region " +
                    quote_for_log(cached->region) + ", not of provider " + provider.name +
                    "'s configured ones: " + login_again(provider));
    }
    return std::move(*cached);
}

// Another process (the AWS CLI, a second `token`) may have refreshed first
// and so retired the refresh token we sent: its result, if usable.
std::optional<AwsCliCacheEntry> refreshed_meanwhile(const AwsSsoProviderConfig &provider, const UserAccount &caller,
                                                    const AwsCliCacheEntry &sent, Clock &clock, Logger &logger) {
    std::optional<AwsCliCacheEntry> now;
    try {
        now = read_aws_cli_token_cache(caller, provider.aws.sso_session);
    } catch (const Failure &unusable) {  // then the refresh failure is the news
        logger.debug(std::string("the cache cannot be read again: ") + unusable.what());
    }
    if (now && now->access_token.reveal() != sent.access_token.reveal() &&
        !aws_token_needs_refresh(*now, clock.now())) {
        return now;
    }
    return std::nullopt;
}

}  // namespace

CachedAccessToken cached_aws_sso_access_token(const Config &config, const AwsSsoProviderConfig &provider,
                                              const UserAccount &caller, Clock &clock, Logger &logger) {
    const AwsSsoSettings &aws = provider.aws;
    const std::string path = aws_cli_token_cache_path(caller, aws.sso_session);
    AwsCliCacheEntry cached = usable_cache(provider, caller, path);
    if (!aws_token_needs_refresh(cached, clock.now())) return {std::move(cached.access_token), path};

    if (cached.start_url.empty()) cached.start_url = aws.start_url;
    if (cached.region.empty()) cached.region = aws.region;
    // AWS may retire the old refresh token: make sure the new one can be
    // written before asking for it.
    aws_cli_cache_directory(caller);
    CurlTransport transport(transport_settings_for(config));
    AwsCliCacheEntry fresh;
    try {
        fresh = refresh_aws_token(cached, aws.oidc_endpoint, transport, clock, logger);
    } catch (const Failure &failure) {
        if (failure.outcome() == Outcome::denied) {
            if (auto now = refreshed_meanwhile(provider, caller, cached, clock, logger)) {
                logger.debug("another process refreshed " + path + " meanwhile");
                return {std::move(now->access_token), path};
            }
        }
        throw Failure(failure.outcome(),
                      "cannot refresh the AWS access token in " + path + ": " + failure.what() +
                          (failure.outcome() == Outcome::denied ? "; " + login_again(provider) : ""));
    }
    write_aws_cli_token_cache(caller, fresh);
    logger.debug("AWS CLI token cache " + path + " rewritten");
    return {std::move(fresh.access_token), path};
}

}  // namespace devflow
