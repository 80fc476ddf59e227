// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_sso_provider.hpp"
#include "provider/token_fingerprint.hpp"

#include "aws/aws_approval_reuse.hpp"
#include "aws/aws_cli_cache_name.hpp"
#include "aws/aws_sso_access_token.hpp"
#include "aws/aws_sso_check.hpp"
#include "aws/aws_sso_login.hpp"
#include "usercache/aws_cli_cache.hpp"

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

class AwsSsoVerifiedLogin final : public VerifiedLogin {
public:
    AwsSsoVerifiedLogin(const AwsSsoProviderConfig &provider, VerifiedAwsLogin login)
        : provider_(provider), login_(std::move(login)), entry_(cache_entry(provider.aws, login_)) {}

    VerifiedIdentity identity() const override {
        return {Json::object(), login_.identity.session_name, login_.identity.arn, std::nullopt,
                token_fingerprint(login_.tokens.access_token.reveal())};
    }

    void write_user_caches(LoginContext &context) const override {
        context.privileged.write_aws_cli_cache(entry_, aws_cli_cache_file_name(entry_.sso_session), AwsCacheUse::login);
    }

    void remember(LoginContext &context) const override {
        if (context.state == nullptr) return;
        record_aws_approval(*context.state, provider_, context.pam_user, context.origin, entry_, context.clock,
                            context.logger);
    }

private:
    const AwsSsoProviderConfig &provider_;
    VerifiedAwsLogin login_;
    AwsCliCacheEntry entry_;
};

// A reused approval: AWS named the session again just now. When its tokens
// were renewed, the user's AWS CLI cache gets the renewed ones (the refresh
// may have retired the refresh token the cache holds).
class AwsSsoReusedLogin final : public VerifiedLogin {
public:
    explicit AwsSsoReusedLogin(ReusedAwsApproval approval) : approval_(std::move(approval)) {}

    VerifiedIdentity identity() const override {
        return {Json::object(), approval_.identity.session_name, approval_.identity.arn, approval_.age_seconds,
                approval_.refreshed ? token_fingerprint(approval_.refreshed->access_token.reveal()) : std::string()};
    }

    void write_user_caches(LoginContext &context) const override {
        if (!approval_.refreshed) return;
        context.privileged.write_aws_cli_cache(
            *approval_.refreshed, aws_cli_cache_file_name(approval_.refreshed->sso_session), AwsCacheUse::refresh);
    }
    void remember(LoginContext &) const override {}

private:
    ReusedAwsApproval approval_;
};

class AwsSsoProvider final : public Provider {
public:
    AwsSsoProvider(const Config &config, const AwsSsoProviderConfig &provider) : config_(config), provider_(provider) {}

    std::string describe() const override { return "start URL " + provider_.aws.start_url; }

    std::unique_ptr<VerifiedLogin> reuse(Seconds window, LoginContext &context) const override {
        if (context.state == nullptr) return nullptr;
        auto reused = find_reusable_aws_approval(provider_, window, context.pam_user, context.origin, context.transport,
                                                 *context.state, context.clock, context.logger);
        if (!reused) return nullptr;
        return std::make_unique<AwsSsoReusedLogin>(std::move(*reused));
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
