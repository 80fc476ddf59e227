// SPDX-License-Identifier: Apache-2.0
// private_key_jwt (RFC 7523 section 2.2, OpenID Connect Core section 9): the
// client proves who it is with a short-lived JWT signed by its own key, so a
// confidential client needs no shared secret on every host. This file holds
// the key and makes the assertions; client_authentication.hpp sends them.
#pragma once

#include "base/clock.hpp"
#include "base/secret.hpp"
#include "oidc/openssl_ptr.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace devflow {

// How long an assertion is valid: enough for one request and a clock a little
// off, short enough that a copy is soon worthless (the server also refuses a
// jti it has seen).
inline constexpr Seconds kClientAssertionLifetime{60};

// A client's signing key: RSA of at least 2048 bits (RS256), or EC on P-256,
// P-384 or P-521 (ES256, ES384, ES512: the curve decides, RFC 7518 3.4).
class ClientAssertionKey {
public:
    // Reads an unencrypted PEM private key (PKCS #8, or the traditional RSA or
    // EC form); `origin` names it in messages (the file's path). Throws
    // Failure(config_error) for anything else, never asking for a passphrase.
    static ClientAssertionKey from_pem(const Secret &pem, const std::string &origin);

    const std::string &algorithm() const noexcept { return algorithm_; }
    // e.g. "RSA 3072 bits (RS256)", "EC P-256 (ES256)": for check and debug lines.
    const std::string &description() const noexcept { return description_; }

    // The JWS signature of `signing_input` (for EC the fixed-size R || S of
    // RFC 7518 3.4, not OpenSSL's DER). Throws Failure(system_error).
    std::string sign(std::string_view signing_input) const;

private:
    using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
    ClientAssertionKey(KeyPtr key, std::string algorithm, std::string digest, std::size_t coordinate_bytes,
                       std::string description);

    KeyPtr key_;
    std::string algorithm_;
    std::string digest_;
    std::size_t coordinate_bytes_ = 0;  // EC only: the size of R and of S
    std::string description_;
};

// What an assertion says: iss = sub = client_id, aud = audience, a jti of 128
// random bits (base64url), iat = now, exp = now + kClientAssertionLifetime;
// the header names alg, typ "JWT" and kid (when not empty).
struct ClientAssertionClaims {
    std::string client_id;
    std::string audience;
    std::string kid;
};

// A fresh signed assertion (compact JWS). Throws Failure(system_error) when
// OpenSSL cannot make random bytes or sign.
Secret make_client_assertion(const ClientAssertionKey &key, const ClientAssertionClaims &claims, TimePoint now);

}  // namespace devflow
