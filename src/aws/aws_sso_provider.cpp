#include "aws/aws_sso_provider.hpp"

#include "account/identity.hpp"
#include "aws/aws_approval_reuse.hpp"
#include "aws/aws_cli_cache.hpp"
#include "aws/aws_sso_access_token.hpp"
#include "aws/aws_sso_check.hpp"
#include "aws/aws_sso_login.hpp"
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
void write_aws_cli_cache(const AwsCliCacheEntry &entry, LoginContext &context) {
    if (warn_if_fails(context.logger, "AWS CLI token cache not written", [&] {
            context.privileges.run_as(context.user, [&] { write_aws_cli_token_cache(context.user, entry); });
        })) {
        context.logger.debug("AWS CLI token cache written for " + quote_for_log(context.user.name));
    }
}

void add_aws_cli_profile(const AwsSsoSettings &aws, LoginContext &context) {
    if (warn_if_fails(context.logger, "~/.aws/config not updated", [&] {
            context.privileges.run_as(context.user, [&] { add_aws_cli_config(context.user, cli_profile(aws)); });
        })) {
        context.logger.debug("~/.aws/config checked for " + quote_for_log(context.user.name));
    }
}

std::string approver_of(const AwsIdentity &identity) { return "AWS " + quote_for_log(identity.arn); }

class AwsSsoVerifiedLogin final : public VerifiedLogin {
public:
    AwsSsoVerifiedLogin(const AwsSsoProviderConfig &provider, VerifiedAwsLogin login)
        : provider_(provider), login_(std::move(login)), entry_(cache_entry(provider.aws, login_)) {}

    void authorize(const std::string &pam_user) const override {
        require_same_user(map_aws_session_name(login_.identity.session_name, provider_), pam_user);
    }

    void write_user_caches(LoginContext &context) const override {
        write_aws_cli_cache(entry_, context);
        if (provider_.aws.write_aws_config) add_aws_cli_profile(provider_.aws, context);
    }

    void remember(LoginContext &context) const override {
        if (context.state == nullptr) return;
        record_aws_approval(*context.state, provider_, context.pam_user, context.origin, entry_, context.clock,
                            context.logger);
    }

    std::string approver() const override { return approver_of(login_.identity); }

private:
    const AwsSsoProviderConfig &provider_;
    VerifiedAwsLogin login_;
    AwsCliCacheEntry entry_;
};

class AwsSsoProvider final : public Provider {
public:
    AwsSsoProvider(const Config &config, const AwsSsoProviderConfig &provider) : config_(config), provider_(provider) {}

    std::string describe() const override { return "start URL " + provider_.aws.start_url; }

    std::optional<ReusedLogin> reuse(Seconds window, LoginContext &context) const override {
        if (context.state == nullptr) return std::nullopt;
        auto reused = find_reusable_aws_approval(provider_, window, context.pam_user, context.origin, context.transport,
                                                 *context.state, context.clock, context.logger);
        if (!reused) return std::nullopt;
        // The refresh may have retired the refresh token in the user's cache.
        if (reused->refreshed) write_aws_cli_cache(*reused->refreshed, context);
        return ReusedLogin{approver_of(reused->identity), reused->age_seconds};
    }

    std::unique_ptr<VerifiedLogin> log_in(const FlowSettings &flow, LoginContext &context) const override {
        VerifiedAwsLogin login = obtain_verified_aws_login(provider_, flow, context.transport, config_.state_dir,
                                                           context.clock, context.conversation, context.logger);
        return std::make_unique<AwsSsoVerifiedLogin>(provider_, std::move(login));
    }

    std::string user_cache_path(const UserAccount &user) const override {
        return aws_cli_token_cache_path(user, provider_.aws.sso_session);
    }

    void report_settings(CheckReport &report) const override { report_aws_sso_settings(report, config_, provider_); }

    void reach(CheckReport &report, HttpTransport &transport, Logger &) const override {
        reach_aws_sso_endpoints(report, provider_.aws, transport);
    }

    CachedAccessToken cached_access_token(const UserAccount &caller, Clock &clock, Logger &logger) const override {
        return cached_aws_sso_access_token(config_, provider_, caller, clock, logger);
    }

private:
    const Config &config_;
    const AwsSsoProviderConfig &provider_;
};

}  // namespace

std::unique_ptr<Provider> make_aws_sso_provider(const Config &config, const AwsSsoProviderConfig &provider) {
    return std::make_unique<AwsSsoProvider>(config, provider);
}

}  // namespace devflow
