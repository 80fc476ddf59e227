#include "login/aws_sso_authenticator.hpp"

#include "aws/aws_approval_reuse.hpp"
#include "aws/aws_cli_cache.hpp"
#include "aws/aws_sso_login.hpp"
#include "account/identity.hpp"
#include "base/log_text.hpp"

namespace devflow {
namespace {

AwsCliCacheEntry cache_entry(const AwsSsoSettings &aws, const VerifiedAwsLogin &login) {
    AwsCliCacheEntry entry;
    entry.sso_session = aws.sso_session;
    entry.start_url = aws.start_url;
    entry.region = aws.region;
    entry.access_token = login.tokens.access_token.copy();
    entry.expires_at = login.tokens.expires_at;
    entry.refresh_token = login.tokens.refresh_token.copy();
    entry.client_id = login.registration.client_id;
    entry.client_secret = login.registration.client_secret.copy();
    entry.registration_expires_at = login.registration.expires_at;
    return entry;
}

// The profile is named after the sso-session: one provider, one profile.
AwsCliProfile cli_profile(const AwsSsoSettings &aws) {
    AwsCliProfile profile;
    profile.profile = aws.sso_session;
    profile.sso_session = aws.sso_session;
    profile.start_url = aws.start_url;
    profile.sso_region = aws.region;
    profile.account_id = aws.account_id;
    profile.role_name = aws.role_name;
    profile.region = aws.region;
    return profile;
}

// The user's AWS CLI reads these files; a login must not fail because a home
// directory is unwritable, so each write only warns (as the oidc cache does).
void write_aws_cli_cache(const UserAccount &user, const AwsCliCacheEntry &entry, PrivilegeDrop &privileges,
                         Logger &logger) {
    try {
        privileges.run_as(user, [&] { write_aws_cli_token_cache(user, entry); });
        logger.debug("AWS CLI token cache written for " + quote_for_log(user.name));
    } catch (const Failure &failure) {
        logger.warning(std::string("AWS CLI token cache not written: ") + failure.what());
    }
}

void add_aws_cli_profile(const UserAccount &user, const AwsSsoSettings &aws, PrivilegeDrop &privileges,
                         Logger &logger) {
    try {
        privileges.run_as(user, [&] { add_aws_cli_config(user, cli_profile(aws)); });
        logger.debug("~/.aws/config checked for " + quote_for_log(user.name));
    } catch (const Failure &failure) {
        logger.warning(std::string("~/.aws/config not updated: ") + failure.what());
    }
}

LoginResult logged_in(const LoginRequest &request, const ProviderConfig &provider, const AwsIdentity &identity,
                      const std::string &how) {
    LoginResult result;
    result.outcome = Outcome::success;
    result.log_line = "user " + quote_for_log(request.user) + " logged in with provider " + provider.name + how +
                      " (AWS " + quote_for_log(identity.arn) + ")";
    return result;
}

}  // namespace

LoginResult run_aws_sso_login(const LoginRequest &request, const Config &config, const ProviderConfig &provider,
                              const UserAccount &user, const FlowSettings &flow, HttpTransport &transport,
                              StateStore *state, Seconds reuse_window, LoginServices &services) {
    const LoginOrigin origin{request.service, request.remote_host};
    if (state != nullptr && reuse_window.count() > 0) {
        if (auto reused = find_reusable_aws_approval(provider, reuse_window, request.user, origin, transport,
                                                     *state, services.clock, services.logger)) {
            // The refresh may have retired the refresh token in the user's cache.
            if (reused->refreshed) write_aws_cli_cache(user, *reused->refreshed, services.privileges, services.logger);
            return logged_in(request, provider, reused->identity,
                             ": reused an approval from " + std::to_string(reused->age_seconds) + " s ago");
        }
    }

    VerifiedAwsLogin login = obtain_verified_aws_login(provider, flow, transport, config.state_dir, services.clock,
                                                       services.conversation, services.logger);

    // Privileged steps: consume only the verified value.
    const std::string mapped = map_aws_session_name(login.identity.session_name, provider);
    require_same_user(mapped, request.user);
    const AwsCliCacheEntry entry = cache_entry(provider.aws, login);
    write_aws_cli_cache(user, entry, services.privileges, services.logger);
    if (provider.aws.write_aws_config) add_aws_cli_profile(user, provider.aws, services.privileges, services.logger);
    if (state != nullptr && reuse_window.count() > 0) {
        record_aws_approval(*state, provider, request.user, origin, entry, services.clock, services.logger);
    }
    return logged_in(request, provider, login.identity, "");
}

}  // namespace devflow
