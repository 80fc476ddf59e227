// SPDX-License-Identifier: Apache-2.0
#include "oidc/oidc_login.hpp"
#include "base/json.hpp"

#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "oidc/client_authentication.hpp"
#include "oidc/id_token_verifier.hpp"
#include "oidc/oidc_device_client.hpp"
#include "oidc/oidc_discovery.hpp"

namespace devflow {
namespace {

Json verify_with_jwks(const OidcProviderConfig &provider, const std::string &jwks_uri, const std::string &id_token,
                      HttpTransport &transport, StateStore *state, Clock &clock, Logger &logger) {
    IdTokenPolicy policy;
    policy.issuer = provider.issuer;
    policy.client_id = provider.client_id;
    policy.clock_skew = Seconds(provider.clock_skew);
    CachedJwksSource jwks(jwks_uri, transport, state, logger);
    VerifiedIdToken verified = verify_id_token(id_token, policy, jwks, clock.now());
    // A key the JWKS publishes slightly off (a short EC coordinate) is said
    // here, once per login, so an admin can tell the IdP.
    const std::string note = verified.key_note.empty() ? "" : "; its JWK's " + verified.key_note;
    logger.debug("id_token verified (" + verified.algorithm + ", kid " + quote_for_log(verified.key_id) + note + ")");
    return std::move(verified.claims);
}

}  // namespace

VerifiedOidcLogin obtain_verified_login(const OidcProviderConfig &provider, const FlowSettings &flow,
                                        HttpTransport &transport, StateStore *state, Clock &clock,
                                        Conversation &conversation, Logger &logger) {
    ClientCredential credential = read_client_credential(provider);
    OidcEndpoints endpoints = discover_endpoints(provider.issuer, transport, state, logger);
    const std::string jwks_uri = endpoints.jwks_uri;
    OidcClientSettings client;
    client.authentication = client_authentication_for(provider, std::move(credential), endpoints, clock, logger);
    client.scopes = provider.scopes;
    OidcDeviceClient device_client(std::move(endpoints), std::move(client), transport, clock);

    VerifiedOidcLogin login;
    login.tokens = run_device_flow(device_client, conversation, clock, logger, flow);
    if (login.tokens.id_token.empty()) {
        fail_unavailable("the token answer has no id_token (is the openid scope granted?)");
    }

    login.claims =
        verify_with_jwks(provider, jwks_uri, login.tokens.id_token.reveal(), transport, state, clock, logger);
    return login;
}

Json verify_provider_id_token(const OidcProviderConfig &provider, const std::string &id_token, HttpTransport &transport,
                              StateStore *state, Clock &clock, Logger &logger) {
    const OidcEndpoints endpoints = discover_endpoints(provider.issuer, transport, state, logger);
    return verify_with_jwks(provider, endpoints.jwks_uri, id_token, transport, state, clock, logger);
}

}  // namespace devflow
