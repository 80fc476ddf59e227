#include "oidc/oidc_provider.hpp"
#include "base/json.hpp"

#include "account/identity.hpp"
#include "base/log_text.hpp"
#include "oidc/oidc_access_token.hpp"
#include "oidc/oidc_approval_reuse.hpp"
#include "oidc/oidc_check.hpp"
#include "oidc/oidc_login.hpp"
#include "oidc/oidc_token_cache.hpp"
#include "oidc/policy.hpp"

namespace devflow {
namespace {

std::string claim_text(const Json &claims, const char *name) {
    auto found = claims.find(name);
    return found != claims.end() && found->is_string() ? found->get<std::string>() : std::string();
}

std::string approver_of(const Json &claims) { return "sub " + quote_for_log(claim_text(claims, "sub")); }

class OidcVerifiedLogin final : public VerifiedLogin {
public:
    OidcVerifiedLogin(const OidcProviderConfig &provider, const IdTokenExchange *exchange, VerifiedOidcLogin login)
        : provider_(provider), exchange_(exchange), login_(std::move(login)) {}

    void authorize(const std::string &pam_user) const override {
        require_same_user(map_identity(login_.claims, provider_), pam_user);
        enforce_policy(login_.claims, provider_);
    }

    // The user's tools read the cache; a login must not fail because a home
    // directory is unwritable, so this only warns.
    void write_user_caches(LoginContext &context) const override {
        if (warn_if_fails(context.logger, "token cache not written", [&] {
                context.privileges.run_as(context.user, [&] {
                    write_oidc_token_cache(context.user, provider_.name, provider_.issuer, provider_.client_id,
                                           login_.tokens);
                });
            })) {
            context.logger.debug("token cache written for " + quote_for_log(context.user.name));
        }
        if (exchange_ != nullptr) exchange_->exchange(login_.tokens.id_token, context);
    }

    void remember(LoginContext &context) const override {
        if (context.state == nullptr) return;
        record_approval(*context.state, provider_, context.pam_user, context.origin, login_.tokens.id_token.reveal(),
                        context.clock, context.logger);
    }

    std::string approver() const override { return approver_of(login_.claims); }

private:
    const OidcProviderConfig &provider_;
    const IdTokenExchange *exchange_;
    VerifiedOidcLogin login_;
};

class OidcProvider final : public Provider {
public:
    OidcProvider(const Config &config, const OidcProviderConfig &provider, std::unique_ptr<IdTokenExchange> exchange)
        : config_(config), provider_(provider), exchange_(std::move(exchange)) {}

    std::string describe() const override { return "issuer " + provider_.issuer; }

    std::optional<ReusedLogin> reuse(Seconds window, LoginContext &context) const override {
        if (context.state == nullptr) return std::nullopt;
        auto reused = find_reusable_approval(provider_, window, context.pam_user, context.origin, context.transport,
                                             *context.state, context.clock, context.logger);
        if (!reused) return std::nullopt;
        return ReusedLogin{approver_of(reused->claims), reused->age_seconds};
    }

    std::unique_ptr<VerifiedLogin> log_in(const FlowSettings &flow, LoginContext &context) const override {
        VerifiedOidcLogin login = obtain_verified_login(provider_, flow, context.transport, context.state,
                                                        context.clock, context.conversation, context.logger);
        return std::make_unique<OidcVerifiedLogin>(provider_, exchange_.get(), std::move(login));
    }

    std::string user_cache_path(const UserAccount &user) const override {
        return user_token_cache_directory(user) + "/" + provider_.name + ".json";
    }

    void report_settings(CheckReport &report) const override { report_oidc_settings(report, config_, provider_); }

    void reach(CheckReport &report, HttpTransport &transport, Logger &logger) const override {
        reach_oidc_provider(report, provider_, transport, logger);
    }

    CachedAccessToken cached_access_token(const UserAccount &caller, Clock &clock, Logger &logger) const override {
        return cached_oidc_access_token(config_, provider_, caller, clock, logger);
    }

private:
    const Config &config_;
    const OidcProviderConfig &provider_;
    std::unique_ptr<IdTokenExchange> exchange_;
};

}  // namespace

std::unique_ptr<Provider> make_oidc_provider(const Config &config, const OidcProviderConfig &provider,
                                             std::unique_ptr<IdTokenExchange> exchange) {
    return std::make_unique<OidcProvider>(config, provider, std::move(exchange));
}

}  // namespace devflow
