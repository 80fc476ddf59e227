// SPDX-License-Identifier: Apache-2.0
// OpenID Connect discovery (issuer + /.well-known/openid-configuration) and the
// provider's JWKS, both kept in the root-owned state_dir for an hour.
#pragma once

#include "base/logger.hpp"
#include "net/http_transport.hpp"
#include "oidc/id_token_verifier.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace devflow {

class StateStore;

struct OidcEndpoints {
    std::string issuer;
    std::string device_authorization_endpoint;
    std::string token_endpoint;
    std::string jwks_uri;
    // token_endpoint_auth_methods_supported (RFC 8414 section 2), as listed;
    // nullopt when the document has none (then RFC 6749's client_secret_basic).
    std::optional<std::vector<std::string>> token_endpoint_auth_methods = std::nullopt;
};

// At most this many token_endpoint_auth_methods_supported entries, each at
// most kMaxAuthMethodLength bytes: a real server lists a handful.
inline constexpr std::size_t kMaxAuthMethods = 64;
inline constexpr std::size_t kMaxAuthMethodLength = 128;

// Validates a discovery document: a JSON object whose issuer equals
// `expected_issuer` exactly and whose endpoints are https (or loopback http),
// and whose token_endpoint_auth_methods_supported, when present, is an array
// of at most kMaxAuthMethods strings. Throws Failure(unavailable) naming what
// is wrong.
OidcEndpoints parse_discovery(const std::string &document, const std::string &expected_issuer);

// The endpoints, from the state cache when fresh, else fetched (and cached).
// `cache` may be null (no state_dir usable): then every call fetches.
OidcEndpoints discover_endpoints(const std::string &issuer, HttpTransport &transport, StateStore *cache,
                                 Logger &logger);

// Keys from the state cache when fresh; refresh() always fetches.
class CachedJwksSource final : public JwksSource {
public:
    CachedJwksSource(std::string jwks_uri, HttpTransport &transport, StateStore *cache, Logger &logger);
    const JsonWebKeySet &keys() override;
    const JsonWebKeySet &refresh() override;

private:
    std::string jwks_uri_;
    HttpTransport &transport_;
    StateStore *cache_;
    Logger &logger_;
    std::optional<JsonWebKeySet> keys_;
};

// Fetches a URL with GET and returns the body of a 200 answer; anything else
// is Failure(unavailable) saying what came back.
std::string fetch_document(HttpTransport &transport, const std::string &url, const char *what);

}  // namespace devflow
