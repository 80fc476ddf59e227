// SPDX-License-Identifier: Apache-2.0
#include "oidc/client_authentication.hpp"

#include "base/failure.hpp"
#include "config/choices.hpp"
#include "config/client_secret_file.hpp"
#include "config/private_key_file.hpp"
#include "net/http_transport.hpp"
#include "net/url.hpp"

#include <openssl/evp.h>

#include <algorithm>

namespace devflow {
namespace {

constexpr const char *kAssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

// The method names RFC 8414 and OIDC register: the only words of the server's
// list that reach a reason (the others are counted, never shown: the list is
// the network's).
constexpr std::string_view kKnownMethods[] = {
    "none",
    "client_secret_basic",
    "client_secret_post",
    "client_secret_jwt",
    "private_key_jwt",
    "tls_client_auth",
    "self_signed_tls_client_auth",
};

bool lists(const std::vector<std::string> &methods, ClientAuthMethod method) {
    return std::find(methods.begin(), methods.end(), client_auth_method_name(method)) != methods.end();
}

// "the server lists client_secret_basic, client_secret_post (and 2 others)"
std::string server_list(const std::vector<std::string> &methods) {
    std::string known;
    std::size_t others = 0;
    for (const std::string &method : methods) {
        if (std::find(std::begin(kKnownMethods), std::end(kKnownMethods), method) == std::end(kKnownMethods)) {
            ++others;
        } else {
            known += (known.empty() ? "" : ", ") + method;
        }
    }
    if (known.empty() && others == 0) return "the server lists no method";
    std::string text = "the server lists " + (known.empty() ? std::string("no method we know") : known);
    if (others > 0) text += " (and " + std::to_string(others) + " other" + (others == 1 ? "" : "s") + ")";
    return text;
}

std::optional<ClientAuthMethod> explicit_method(TokenEndpointAuthMethod configured) {
    switch (configured) {
    case TokenEndpointAuthMethod::automatic: return std::nullopt;
    case TokenEndpointAuthMethod::none: return ClientAuthMethod::none;
    case TokenEndpointAuthMethod::client_secret_basic: return ClientAuthMethod::client_secret_basic;
    case TokenEndpointAuthMethod::client_secret_post: return ClientAuthMethod::client_secret_post;
    case TokenEndpointAuthMethod::private_key_jwt: return ClientAuthMethod::private_key_jwt;
    }
    return std::nullopt;
}

ClientAuthChoice automatic_choice(bool has_client_secret, bool has_private_key,
                                  const std::optional<std::vector<std::string>> &server_methods) {
    if (!has_client_secret && !has_private_key) {
        return {ClientAuthMethod::none, "auto: a public client, with no client_secret_file or private_key_file"};
    }
    const std::string credential = has_private_key ? "private_key_file" : "client_secret_file";
    if (!server_methods) {
        if (has_private_key) return {ClientAuthMethod::private_key_jwt, "auto: a private_key_file is configured"};
        return {ClientAuthMethod::client_secret_basic,
                "auto: the server does not list its methods, and RFC 6749 makes client_secret_basic the one "
                "every server supports"};
    }
    const std::string listed = server_list(*server_methods);
    for (ClientAuthMethod method :
         has_private_key ? std::vector{ClientAuthMethod::private_key_jwt}
                         : std::vector{ClientAuthMethod::client_secret_basic, ClientAuthMethod::client_secret_post}) {
        if (lists(*server_methods, method)) return {method, "auto: " + listed};
    }
    fail_unavailable("token_endpoint_auth_method = \"auto\" found no method for a client with a " + credential + ": " +
                         listed +
                         " in token_endpoint_auth_methods_supported; set token_endpoint_auth_method "
                         "to the method the client is registered with",
                     "The identity provider does not accept this host's client credentials. Please contact your "
                     "administrator.");
}

// The URL an assertion is sent to and the token endpoint URL share scheme,
// host and port.
bool same_origin(const std::string &endpoint, const std::string &token_endpoint) {
    const auto a = parse_url(endpoint);
    const auto b = parse_url(token_endpoint);
    return a && b && a->scheme == b->scheme && a->host == b->host && a->port == b->port;
}

std::string base64(const std::string &bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
    const int length =
        EVP_EncodeBlock(reinterpret_cast<unsigned char *>(out.data()),
                        reinterpret_cast<const unsigned char *>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(std::max(length, 0)));
    return out;
}

}  // namespace

std::string_view client_auth_method_name(ClientAuthMethod method) {
    switch (method) {
    case ClientAuthMethod::none: return "none";
    case ClientAuthMethod::client_secret_basic: return "client_secret_basic";
    case ClientAuthMethod::client_secret_post: return "client_secret_post";
    case ClientAuthMethod::private_key_jwt: return "private_key_jwt";
    }
    return "?";
}

std::string ClientAuthChoice::describe() const {
    return std::string(client_auth_method_name(method)) + " (" + reason + ")";
}

ClientAuthChoice choose_client_auth(TokenEndpointAuthMethod configured, bool has_client_secret, bool has_private_key,
                                    const std::optional<std::vector<std::string>> &server_methods) {
    const std::optional<ClientAuthMethod> method = explicit_method(configured);
    if (!method) return automatic_choice(has_client_secret, has_private_key, server_methods);
    // An explicit method is the admin's word: servers leave methods out of
    // their lists (public clients' "none" most often), so it is tried, and
    // its line says so when the server then refuses it.
    if (!server_methods) return {*method, "configured; the server does not list its methods"};
    if (lists(*server_methods, *method)) return {*method, "configured; the server lists it"};
    return {*method, "configured, though " + server_list(*server_methods) + ", not this one", false};
}

ClientAuthentication ClientAuthentication::public_client(std::string client_id) {
    ClientAuthentication authentication;
    authentication.client_id_ = std::move(client_id);
    return authentication;
}

ClientAuthentication ClientAuthentication::with_secret(ClientAuthMethod method, std::string client_id, Secret secret) {
    ClientAuthentication authentication;
    authentication.method_ = method;
    authentication.client_id_ = std::move(client_id);
    authentication.secret_ = std::move(secret);
    return authentication;
}

ClientAuthentication ClientAuthentication::with_private_key(std::string client_id,
                                                            std::unique_ptr<ClientAssertionKey> key, std::string kid,
                                                            std::string token_endpoint, Clock &clock,
                                                            std::string audience) {
    ClientAuthentication authentication;
    authentication.method_ = ClientAuthMethod::private_key_jwt;
    authentication.client_id_ = std::move(client_id);
    authentication.key_ = std::move(key);
    authentication.kid_ = std::move(kid);
    authentication.audience_ = audience.empty() ? token_endpoint : std::move(audience);
    authentication.token_endpoint_ = std::move(token_endpoint);
    authentication.clock_ = &clock;
    return authentication;
}

std::string ClientAuthentication::describe() const {
    const std::string name(client_auth_method_name(method_));
    return reason_.empty() ? name : name + " (" + reason_ + ")";
}

// client_id goes in the body with every method. RFC 8628 (3.1, 3.4) requires
// it only of a client that does not authenticate, but forbids it to none, and
// RFC 6749 3.2.1 lets any client name itself with it; what RFC 6749 2.3 forbids
// is a second credential, so with Basic the secret is in the header only.
// Sending it is the interoperable choice: IdPs that do not authenticate the
// device authorization request (Microsoft Entra ID, Google) require client_id
// in its body, and those that check it (node-oidc-provider, Keycloak) want
// it to match the header or the assertion's sub, which it does.
void ClientAuthentication::add_to(const std::string &endpoint, FormFields &fields,
                                  std::vector<std::string> &headers) const {
    fields.emplace_back("client_id", client_id_);
    switch (method_) {
    case ClientAuthMethod::none: break;
    case ClientAuthMethod::client_secret_post: fields.emplace_back("client_secret", secret_.reveal()); break;
    case ClientAuthMethod::client_secret_basic:
        headers.push_back(basic_authorization_header(client_id_, secret_));
        break;
    case ClientAuthMethod::private_key_jwt: {
        // The assertion's aud is by default the token endpoint URL, at the
        // device endpoint too (RFC 8628 names no audience of its own): OIDC
        // Core 9 says the audience SHOULD be it, RFC 7523 3 that it MAY, Entra
        // ID documents it, node-oidc-provider and Keycloak accept it at every
        // endpoint. client_assertion_audience = "issuer" makes it the issuer
        // identifier, which Auth0 documents and the OpenID Foundation's 2025
        // advisory recommends. An assertion goes only to the token endpoint's
        // origin: a discovery document that put another endpoint on another
        // server would get an assertion to replay at the token endpoint
        // within its lifetime (the "audience injection" of that advisory).
        if (!same_origin(endpoint, token_endpoint_)) {
            fail_unavailable(
                "private_key_jwt: the discovery document puts an endpoint on another server than the "
                "token endpoint; no client assertion is sent there");
        }
        Secret assertion = make_client_assertion(*key_, {client_id_, audience_, kid_}, clock_->now());
        fields.emplace_back("client_assertion_type", kAssertionType);
        fields.emplace_back("client_assertion", assertion.reveal());
        break;
    }
    }
}

std::string basic_authorization_header(const std::string &client_id, const Secret &secret) {
    std::string encoded_secret = form_encode(secret.reveal());
    std::string credentials;
    credentials.reserve(3 * client_id.size() + 1 + encoded_secret.size());
    credentials += form_encode(client_id);
    credentials += ':';
    credentials += encoded_secret;
    wipe(encoded_secret);
    std::string encoded = base64(credentials);
    wipe(credentials);
    std::string header;
    header.reserve(21 + encoded.size());
    header += "Authorization: Basic ";
    header += encoded;
    wipe(encoded);
    return header;
}

ClientAuthChoice client_auth_choice_for(const OidcProviderConfig &provider, const OidcEndpoints &endpoints) {
    return choose_client_auth(provider.token_endpoint_auth_method, uses_client_secret_file(provider),
                              uses_private_key_file(provider), endpoints.token_endpoint_auth_methods);
}

ClientCredential read_client_credential(const OidcProviderConfig &provider) {
    ClientCredential credential;
    if (uses_client_secret_file(provider))
        credential.client_secret = read_client_secret_file(provider.client_secret_file);
    if (uses_private_key_file(provider)) {
        const Secret pem = read_private_key_file(provider.private_key_file);
        credential.private_key =
            std::make_unique<ClientAssertionKey>(ClientAssertionKey::from_pem(pem, provider.private_key_file));
    }
    return credential;
}

ClientAuthentication client_authentication_for(const OidcProviderConfig &provider, ClientCredential credential,
                                               const OidcEndpoints &endpoints, Clock &clock, Logger &logger) {
    const ClientAuthChoice choice =
        choose_client_auth(provider.token_endpoint_auth_method, !credential.client_secret.empty(),
                           credential.private_key != nullptr, endpoints.token_endpoint_auth_methods);
    logger.debug("client authentication: " + choice.describe());
    ClientAuthentication authentication = ClientAuthentication::public_client(provider.client_id);
    switch (choice.method) {
    case ClientAuthMethod::none: break;
    case ClientAuthMethod::client_secret_basic:
    case ClientAuthMethod::client_secret_post:
        if (credential.client_secret.empty()) fail_config("provider " + provider.name + " has no client secret");
        authentication =
            ClientAuthentication::with_secret(choice.method, provider.client_id, std::move(credential.client_secret));
        break;
    case ClientAuthMethod::private_key_jwt:
        if (!credential.private_key) fail_config("provider " + provider.name + " has no private key");
        logger.debug("client assertions signed with " + credential.private_key->description() +
                     (provider.private_key_kid.empty() ? std::string() : ", kid " + provider.private_key_kid) +
                     ", aud the " + std::string(client_assertion_audience_name(provider.client_assertion_audience)));
        authentication = ClientAuthentication::with_private_key(
            provider.client_id, std::move(credential.private_key), provider.private_key_kid, endpoints.token_endpoint,
            clock, provider.client_assertion_audience == ClientAssertionAudience::issuer ? endpoints.issuer : "");
        break;
    }
    authentication.set_reason(choice.reason);
    return authentication;
}

}  // namespace devflow
