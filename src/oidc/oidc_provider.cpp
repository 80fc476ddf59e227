// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_provider.hpp"
#include "base/json.hpp"

#include "oidc/oidc_access_token.hpp"
#include "oidc/oidc_approval_reuse.hpp"
#include "oidc/oidc_check.hpp"
#include "oidc/oidc_login.hpp"
#include "provider/token_fingerprint.hpp"
#include "usercache/oidc_token_cache.hpp"

namespace devflow {
namespace {

// The token's name in the audit line: its jti when it has one (unique per
// token by its definition), else the whole id_token.
std::string id_token_fingerprint(const Json &claims, const std::string &id_token) {
    const auto jti = claims.is_object() ? claims.find("jti") : claims.end();
    if (claims.is_object() && jti != claims.end() && jti->is_string() && !jti->get<std::string>().empty())
        return token_fingerprint(jti->get<std::string>());
    return token_fingerprint(id_token);
}

class OidcVerifiedLogin final : public VerifiedLogin {
public:
    OidcVerifiedLogin(const OidcProviderConfig &provider, const IdTokenExchange *exchange, VerifiedOidcLogin login)
        : provider_(provider), exchange_(exchange), login_(std::move(login)) {}

    VerifiedIdentity identity() const override {
        return {
            login_.claims, {}, {}, std::nullopt, id_token_fingerprint(login_.claims, login_.tokens.id_token.reveal())};
    }

    void write_user_caches(LoginContext &context) const override {
        context.privileged.write_oidc_token_cache(login_.tokens);
        if (exchange_ != nullptr) exchange_->exchange(login_.tokens.id_token, context);
    }

    void remember(LoginContext &context) const override {
        if (context.state == nullptr) return;
        record_approval(*context.state, provider_, context.pam_user, context.origin, login_.tokens.id_token.reveal(),
                        context.clock, context.logger);
    }

private:
    const OidcProviderConfig &provider_;
    const IdTokenExchange *exchange_;
    VerifiedOidcLogin login_;
};

// A reused approval: its id_token was verified again; nothing to write.
class OidcReusedLogin final : public VerifiedLogin {
public:
    explicit OidcReusedLogin(ReusedApproval approval) : approval_(std::move(approval)) {}

    VerifiedIdentity identity() const override {
        return {approval_.claims, {}, {}, approval_.age_seconds, id_token_fingerprint(approval_.claims, {})};
    }
    void write_user_caches(LoginContext &) const override {}
    void remember(LoginContext &) const override {}

private:
    ReusedApproval approval_;
};

class OidcProvider final : public Provider {
public:
    OidcProvider(const Config &config, const OidcProviderConfig &provider, std::unique_ptr<IdTokenExchange> exchange)
        : config_(config), provider_(provider), exchange_(std::move(exchange)) {}

    std::string describe() const override { return "issuer " + provider_.issuer; }

    std::unique_ptr<VerifiedLogin> reuse(Seconds window, LoginContext &context) const override {
        if (context.state == nullptr) return nullptr;
        auto reused = find_reusable_approval(provider_, window, context.pam_user, context.origin, context.transport,
                                             *context.state, context.clock, context.logger);
        if (!reused) return nullptr;
        return std::make_unique<OidcReusedLogin>(std::move(*reused));
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
