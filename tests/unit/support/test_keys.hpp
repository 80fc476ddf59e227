// SPDX-License-Identifier: Apache-2.0
// Test keys made fresh by OpenSSL at test time (nothing committed), their
// public JWKs, and compact JWS tokens signed with them, well-formed or not.
#pragma once

#include "oidc/jwks.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace devflow::test {

enum class KeyKind { rsa2048, rsa1024, p256, ed25519 };

class TestKey {
public:
    explicit TestKey(KeyKind kind);  // generates a new key pair

    KeyKind kind() const noexcept { return kind_; }

    // The public JWK with this kid (omitted when empty); members of `extra`
    // are added or replace the generated ones.
    nlohmann::json jwk(const std::string &kid, const nlohmann::json &extra = nlohmann::json::object()) const;

    // The JWS signature bytes over `signing_input`: RS256, PS256, ES256 (as
    // R || S) or EdDSA. Throws std::runtime_error when OpenSSL refuses.
    std::string sign(std::string_view signing_input, const std::string &alg) const;

    // The public key as SubjectPublicKeyInfo, for key-confusion attacks.
    std::string public_pem() const;
    std::string public_der() const;

    // The private key as unencrypted PKCS #8 PEM, as an admin's
    // private_key_file holds it.
    std::string private_pem() const;

private:
    KeyKind kind_;
    EvpPkeyPtr key_;
};

// A new P-256 key whose JWK coordinate `member` ("x" or "y") starts with a
// zero byte: about one key in 256, so a few hundred tries at most.
TestKey p256_key_with_leading_zero(const std::string &member);

// `jwk` with the leading zero byte of its base64url member `member` dropped,
// as some IdPs publish EC coordinates. Throws std::runtime_error when that
// member does not start with a zero byte.
nlohmann::json without_leading_zero(nlohmann::json jwk, const std::string &member);

// {"keys": [...]} of the given JWKs, serialized.
std::string jwks_document(const std::vector<nlohmann::json> &keys);

// base64url(header) "." base64url(claims) "." base64url(signature by key).
std::string make_jws(const nlohmann::json &header, const nlohmann::json &claims, const TestKey &key,
                     const std::string &alg);

// The same from raw texts, so the header or claims need not be JSON.
std::string make_jws_text(const std::string &header_text, const std::string &claims_text, const TestKey &key,
                          const std::string &alg);

// An HS256 token with `secret` as the HMAC key.
std::string make_hs256_jws(const nlohmann::json &header, const nlohmann::json &claims, std::string_view secret);

// The compact token with one byte of its decoded signature flipped.
std::string flip_signature_byte(const std::string &compact);

}  // namespace devflow::test
