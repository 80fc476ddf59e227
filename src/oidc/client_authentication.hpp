// SPDX-License-Identifier: Apache-2.0
// How an OIDC client proves who it is at the IdP (RFC 6749 2.3, OIDC Core 9):
// the method in effect for a provider, chosen from its
// token_endpoint_auth_method, its credential and what the discovery document
// lists; and the object that adds the method's fields or header to each
// request. The device authorization, token (polling) and refresh requests all
// go through it, in the module's helper and in pam-device-flow alike.
#pragma once

#include "base/clock.hpp"
#include "base/logger.hpp"
#include "base/secret.hpp"
#include "config/config.hpp"
#include "oidc/client_assertion.hpp"
#include "oidc/oidc_discovery.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace devflow {

enum class ClientAuthMethod { none, client_secret_basic, client_secret_post, private_key_jwt };

std::string_view client_auth_method_name(ClientAuthMethod method);  // RFC 8414's / OIDC's name

// The method in effect and why, e.g. client_secret_basic because "auto: the
// server lists client_secret_basic, client_secret_post".
struct ClientAuthChoice {
    ClientAuthMethod method = ClientAuthMethod::none;
    std::string reason;
    bool listed = true;  // false: an explicit method the server's list lacks (tried anyway)

    std::string describe() const;  // "NAME (REASON)"
};

// The choice for a provider (docs/configuration.md, token_endpoint_auth_method):
// - an explicit method is used as configured, listed or not (`listed` says);
// - auto with a private key: private_key_jwt; with a client secret:
//   client_secret_basic unless the server lists methods without it, then
//   client_secret_post; with neither: none (a public client; servers often
//   leave "none" out of the list, so the list is not asked);
// - auto never picks a method a present list lacks: Failure(unavailable)
//   saying which key to set.
// `server_methods` is the discovery document's
// token_endpoint_auth_methods_supported (nullopt: absent).
ClientAuthChoice choose_client_auth(TokenEndpointAuthMethod configured, bool has_client_secret, bool has_private_key,
                                    const std::optional<std::vector<std::string>> &server_methods);

using FormFields = std::vector<std::pair<std::string, std::string>>;

// One provider's client authentication, ready to add to requests.
class ClientAuthentication {
public:
    // A public client (none): client_id in the body.
    static ClientAuthentication public_client(std::string client_id);
    // client_secret_basic or client_secret_post with `secret`.
    static ClientAuthentication with_secret(ClientAuthMethod method, std::string client_id, Secret secret);
    // private_key_jwt: a fresh assertion signed with `key` at each request, at
    // `clock`'s time, for `audience` (empty: the token endpoint URL). Sent
    // only to the token endpoint's origin.
    static ClientAuthentication with_private_key(std::string client_id, std::unique_ptr<ClientAssertionKey> key,
                                                 std::string kid, std::string token_endpoint, Clock &clock,
                                                 std::string audience = {});

    ClientAuthMethod method() const noexcept { return method_; }
    const std::string &client_id() const noexcept { return client_id_; }

    // For failure lines: the method and why it is in effect (set_reason), or
    // just its name.
    std::string describe() const;
    void set_reason(std::string reason) { reason_ = std::move(reason); }

    // Adds what the method sends with a form POST to `endpoint`: client_id
    // always (see the .cpp for why also with Basic); client_secret (post); an
    // "Authorization: Basic" header to `headers` (basic); client_assertion_type
    // and a new client_assertion (private_key_jwt, which refuses an endpoint
    // on another origin than the token endpoint: Failure(unavailable)).
    void add_to(const std::string &endpoint, FormFields &fields, std::vector<std::string> &headers) const;

private:
    ClientAuthMethod method_ = ClientAuthMethod::none;
    std::string client_id_;
    Secret secret_;
    std::unique_ptr<ClientAssertionKey> key_;
    std::string kid_;
    std::string token_endpoint_;
    std::string audience_;
    Clock *clock_ = nullptr;
    std::string reason_;
};

// "Authorization: Basic BASE64": RFC 6749 2.3.1 form-urlencodes the client
// id and secret (Appendix B, a space as "+") before joining them with ":" and
// base64 encoding. Exposed for unit tests.
std::string basic_authorization_header(const std::string &client_id, const Secret &secret);

// The credential a provider's client authentication may use: its client
// secret or its private key (at most one: the configuration allows one under
// auto, and an explicit method reads only its own), or neither.
struct ClientCredential {
    Secret client_secret;
    std::unique_ptr<ClientAssertionKey> private_key;
};

// Reads the client_secret_file or private_key_file the provider's method may
// use (in the helper: the bytes the module read as root), before any request,
// so an unusable file fails the login with nothing sent. Throws
// Failure(config_error) naming the file and what is wrong with it.
ClientCredential read_client_credential(const OidcProviderConfig &provider);

// The provider's client authentication at the IdP these endpoints belong to:
// the method chosen by choose_client_auth with `credential`, and a debug line
// naming the method and why (never the credential). Throws
// Failure(unavailable) when auto finds no method the server lists.
ClientAuthentication client_authentication_for(const OidcProviderConfig &provider, ClientCredential credential,
                                               const OidcEndpoints &endpoints, Clock &clock, Logger &logger);

// The choice for `provider` at these endpoints, without reading a credential
// (for `pam-device-flow check`).
ClientAuthChoice client_auth_choice_for(const OidcProviderConfig &provider, const OidcEndpoints &endpoints);

}  // namespace devflow
