// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_access_token.hpp"

#include "base/base64url.hpp"
#include "base/failure.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"
#include "net/curl_transport.hpp"
#include "oidc/client_authentication.hpp"
#include "oidc/oidc_discovery.hpp"
#include "oidc/oidc_login.hpp"
#include "oidc/oidc_refresh.hpp"
#include "oidc/oidc_token_cache_reader.hpp"
#include "usercache/oidc_token_cache.hpp"

namespace devflow {
namespace {

constexpr Seconds kRefreshMargin{60};

// The `sub` of a cached id_token, read without verification: it is only
// compared with the sub of a verified new one (OIDC Core 12.2 requires them
// equal), so a forged cache can only make the refresh fail.
std::string cached_subject(const Secret &id_token) {
    const std::string &compact = id_token.reveal();
    const std::size_t first = compact.find('.');
    const std::size_t second = compact.find('.', first == std::string::npos ? first : first + 1);
    if (first == std::string::npos || second == std::string::npos) return {};
    auto payload = base64url_decode(std::string_view(compact).substr(first + 1, second - first - 1));
    if (!payload) return {};
    auto claims = parse_untrusted_json(*payload);
    if (!claims.is_object()) return {};
    auto sub = claims.find("sub");
    return sub != claims.end() && sub->is_string() ? sub->get<std::string>() : std::string();
}

TokenSet refreshed_tokens(const Config &config, const OidcProviderConfig &provider, CachedOidcTokens &cached,
                          Clock &clock, Logger &logger) {
    CurlTransport transport(transport_settings_for(config));

    ClientCredential credential = read_client_credential(provider);
    const OidcEndpoints endpoints = discover_endpoints(provider.issuer, transport, nullptr, logger);
    const ClientAuthentication client =
        client_authentication_for(provider, std::move(credential), endpoints, clock, logger);
    logger.debug("refreshing the access token at " + quote_for_log(endpoints.token_endpoint, 512));
    TokenSet fresh =
        refresh_oidc_tokens(endpoints.token_endpoint, client, cached.tokens.refresh_token, transport, clock);

    if (!fresh.id_token.empty()) {
        Json claims = verify_provider_id_token(provider, fresh.id_token.reveal(), transport, nullptr, clock, logger);
        const std::string old_subject = cached_subject(cached.tokens.id_token);
        auto sub = claims.find("sub");
        const std::string new_subject = sub != claims.end() && sub->is_string() ? sub->get<std::string>() : "";
        if (!old_subject.empty() && new_subject != old_subject) {
            fail_unavailable("the refreshed id_token names another subject than the cached one");
        }
    } else {
        fresh.id_token = std::move(cached.tokens.id_token);
    }
    // RFC 6749 section 6: without a new refresh token the old one stays valid.
    if (fresh.refresh_token.empty()) fresh.refresh_token = std::move(cached.tokens.refresh_token);
    if (fresh.scope.empty()) fresh.scope = cached.tokens.scope;
    return fresh;
}

// The cache, if it is there and holds tokens of this provider's issuer and
// client; else Failure(denied) saying what to run.
CachedOidcTokens usable_cache(const OidcProviderConfig &provider, const UserAccount &caller, const std::string &path) {
    std::optional<CachedOidcTokens> cached = read_oidc_token_cache(caller, provider.name);
    if (!cached) {
        fail_denied("no token cache at " + path + ": run `pam-device-flow login --provider " + provider.name +
                    "` first");
    }
    if (cached->issuer != provider.issuer || cached->client_id != provider.client_id) {
        fail_denied(path + " holds tokens of issuer " + quote_for_log(cached->issuer) + " and client " +
                    quote_for_log(cached->client_id) + ", not of provider " + provider.name +
                    "'s configured ones: run `pam-device-flow login` again");
    }
    return std::move(*cached);
}

}  // namespace

CachedAccessToken cached_oidc_access_token(const Config &config, const OidcProviderConfig &provider,
                                           const UserAccount &caller, Clock &clock, Logger &logger) {
    const std::string path = user_token_cache_directory(caller) + "/" + provider.name + ".json";
    CachedOidcTokens cached = usable_cache(provider, caller, path);
    if (cached.tokens.expires_at - clock.now() > kRefreshMargin) {
        return {std::move(cached.tokens.access_token), path};
    }
    if (cached.tokens.refresh_token.empty()) {
        fail_denied("the access token in " + path +
                    " has expired and there is no refresh token (ask for the offline_access scope?): "
                    "run `pam-device-flow login` again");
    }
    TokenSet fresh;
    try {
        fresh = refreshed_tokens(config, provider, cached, clock, logger);
    } catch (const Failure &failure) {
        throw Failure(failure.outcome(),
                      "cannot refresh the access token in " + path + ": " + failure.what() +
                          (failure.outcome() == Outcome::denied ? "; run `pam-device-flow login` again" : ""));
    }
    write_oidc_token_cache(caller, provider.name, provider.issuer, provider.client_id, fresh);
    logger.debug("token cache " + path + " rewritten");
    return {std::move(fresh.access_token), path};
}

}  // namespace devflow
