#include "aws_sso_authenticator.hpp"

#include "aws_cli_cache.hpp"
#include "aws_sso_login.hpp"
#include "identity.hpp"
#include "log_text.hpp"

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
void write_aws_cli_files(const UserAccount &user, const AwsSsoSettings &aws, const VerifiedAwsLogin &login,
                         PrivilegeDrop &privileges, Logger &logger) {
    try {
        const AwsCliCacheEntry entry = cache_entry(aws, login);
        privileges.run_as(user, [&] { write_aws_cli_token_cache(user, entry); });
        logger.debug("AWS CLI token cache written for " + user.name);
    } catch (const Failure &failure) {
        logger.warning(std::string("AWS CLI token cache not written: ") + failure.what());
    }
    if (!aws.write_aws_config) return;
    try {
        privileges.run_as(user, [&] { add_aws_cli_config(user, cli_profile(aws)); });
        logger.debug("~/.aws/config checked for " + user.name);
    } catch (const Failure &failure) {
        logger.warning(std::string("~/.aws/config not updated: ") + failure.what());
    }
}

}  // namespace

LoginResult run_aws_sso_login(const LoginRequest &request, const Config &config, const ProviderConfig &provider,
                              const UserAccount &user, const FlowSettings &flow, HttpTransport &transport,
                              LoginServices &services) {
    VerifiedAwsLogin login = obtain_verified_aws_login(provider, flow, transport, config.state_dir, services.clock,
                                                       services.conversation, services.logger);

    // Privileged steps: consume only the verified value.
    const std::string mapped = map_aws_session_name(login.identity.session_name, provider);
    require_same_user(mapped, request.user);
    write_aws_cli_files(user, provider.aws, login, services.privileges, services.logger);

    LoginResult result;
    result.outcome = Outcome::success;
    result.log_line = "user \"" + request.user + "\" logged in with provider " + provider.name + " (AWS " +
                      quote_for_log(login.identity.arn) + ")";
    return result;
}

}  // namespace devflow
