#include "aws_sso_token.hpp"

#include "cli.hpp"
#include "terminal_services.hpp"

#include "aws/aws_cli_cache_reader.hpp"
#include "aws/aws_token_refresh.hpp"
#include "net/curl_transport.hpp"
#include "base/log_text.hpp"
#include "account/user_home.hpp"


namespace devflow::cli {

int run_aws_sso_token(const Config &config, const ProviderConfig &provider, bool debug) {
    StderrLogger logger(debug);
    const AwsSsoSettings &aws = provider.aws;
    const UserAccount caller = caller_account();
    const std::string path =
        user_home_path(caller) + "/.aws/sso/cache/" + aws_cli_cache_file_name(aws.sso_session);
    const std::string login_again = "run `pam-device-flow login --provider " + provider.name +
                                    "` (or `aws sso login --sso-session " + aws.sso_session + "`)";

    std::optional<AwsCliCacheEntry> cached = read_aws_cli_token_cache(caller, aws.sso_session);
    if (!cached) {
        print_error("no AWS CLI token cache at " + path + ": " + login_again + " first");
        return exit_denied;
    }
    // A start URL or region of another Identity Center: its token is no use here.
    if ((!cached->start_url.empty() && cached->start_url != aws.start_url) ||
        (!cached->region.empty() && cached->region != aws.region)) {
        print_error(path + " holds a token of start URL " + quote_for_log(cached->start_url) + " in region " +
                    quote_for_log(cached->region) + ", not of provider " + provider.name + "'s configured ones: " +
                    login_again);
        return exit_denied;
    }

    SystemClock clock;
    if (!aws_token_needs_refresh(*cached, clock.now())) {
        return print_access_token(cached->access_token, path) ? exit_ok : exit_system;
    }
    if (cached->start_url.empty()) cached->start_url = aws.start_url;
    if (cached->region.empty()) cached->region = aws.region;
    // AWS may retire the old refresh token: make sure the new one can be
    // written before asking for it.
    aws_cli_cache_directory(caller);

    CurlTransport transport(transport_settings_for(config));
    AwsCliCacheEntry fresh;
    try {
        fresh = refresh_aws_token(*cached, aws.oidc_endpoint, transport, clock, logger);
    } catch (const Failure &failure) {
        // Another process (the AWS CLI, a second `token`) may have refreshed
        // first and so retired the refresh token we sent: use its result.
        if (failure.outcome() == Outcome::denied) {
            std::optional<AwsCliCacheEntry> now;
            try {
                now = read_aws_cli_token_cache(caller, aws.sso_session);
            } catch (const Failure &unusable) {  // then the refresh failure below is the news
                logger.debug(std::string("the cache cannot be read again: ") + unusable.what());
            }
            if (now && now->access_token.reveal() != cached->access_token.reveal() &&
                !aws_token_needs_refresh(*now, clock.now())) {
                logger.debug("another process refreshed " + path + " meanwhile");
                return print_access_token(now->access_token, path) ? exit_ok : exit_system;
            }
        }
        print_error("cannot refresh the AWS access token in " + path + ": " + failure.what() +
                    (failure.outcome() == Outcome::denied ? "; " + login_again : ""));
        return exit_code_for(failure.outcome());
    }
    write_aws_cli_token_cache(caller, fresh);
    logger.debug("AWS CLI token cache " + path + " rewritten");
    return print_access_token(fresh.access_token, path) ? exit_ok : exit_system;
}

}  // namespace devflow::cli
