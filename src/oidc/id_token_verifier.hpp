// SPDX-License-Identifier: Apache-2.0
// Verifies an OpenID Connect id_token (a JWS in compact form, RFC 7515/7519)
// against the IdP's JWKS and the admin's policy (OIDC Core 3.1.3.7). Only a
// token that passes every check yields claims; anything else throws.
#pragma once

#include "base/clock.hpp"
#include "base/json.hpp"
#include "oidc/jwks.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace devflow {

struct IdTokenPolicy {
    std::string issuer;     // compared byte for byte with `iss`
    std::string client_id;  // must be in `aud`
    std::chrono::seconds clock_skew{60};
    // Never effective for "none" or HMAC algorithms: those are not implemented.
    std::vector<std::string> allowed_algorithms{"RS256", "PS256", "ES256", "EdDSA"};
};

// Where the verifier gets the IdP's keys. The real one fetches jwks_uri.
class JwksSource {
public:
    virtual ~JwksSource() = default;
    // The cached set.
    virtual const JsonWebKeySet &keys() = 0;
    // Fetches the set again. The verifier calls this at most once per token,
    // and only when the token names a kid the cached set does not have.
    virtual const JsonWebKeySet &refresh() = 0;
};

struct VerifiedIdToken {
    Json claims;            // a JSON object; iss, aud, exp, iat and sub checked
    std::string algorithm;  // the header's alg
    std::string key_id;     // the kid of the key that verified it ("" when none)
    std::string key_note;   // what that key's JWK had off but safe (PublicKey::note), for a debug line
};

inline constexpr std::size_t kMaxIdTokenSize = 16 * 1024;

// Throws Failure(unavailable, "id_token rejected: <reason>") when the token is
// malformed, not signed by a key of `jwks` with an allowed algorithm, or its
// claims do not match `policy` at `now`. The reason never contains the token.
VerifiedIdToken verify_id_token(const std::string &compact, const IdTokenPolicy &policy, JwksSource &jwks,
                                TimePoint now);

}  // namespace devflow
