// SPDX-License-Identifier: Apache-2.0
// The IdP's signing keys: a JSON Web Key Set (RFC 7517) turned into OpenSSL
// public keys. Only keys we can use safely survive parsing; the rest are
// skipped, so one odd key (an encryption key, a new key type) does not stop
// logins with the others, and the reason each was skipped is kept for the
// log line of a token that names it.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace devflow {

struct EvpPkeyDeleter {
    void operator()(EVP_PKEY *key) const noexcept;
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;

enum class KeyType {
    rsa,      // kty RSA, at least 2048 bits
    p256,     // kty EC, crv P-256
    ed25519,  // kty OKP, crv Ed25519
};

// One verification key. Holds only public material.
class PublicKey {
public:
    // `declared_alg` is the JWK's `alg` ("" when absent); `note` what parsing
    // tolerated ("" when nothing).
    PublicKey(KeyType type, std::string kid, std::string declared_alg, EvpPkeyPtr key, std::string note = {});

    KeyType type() const noexcept { return type_; }
    const char *kty() const noexcept;                         // "RSA", "EC" or "OKP"
    const char *curve() const noexcept;                       // "P-256", "Ed25519" or "" for RSA
    const std::string &kid() const noexcept { return kid_; }  // "" when absent
    const std::string &declared_alg() const noexcept { return declared_alg_; }
    EVP_PKEY *evp() const noexcept { return key_.get(); }
    // What the JWK had off that was safe to accept, for a debug line, e.g. an
    // EC coordinate published without its leading zero byte; "" when nothing.
    const std::string &note() const { return note_; }

    // Whether this key may verify a JWS with `alg`: the key type fits the
    // algorithm and, when the JWK names an algorithm, it is this one.
    bool suits(const std::string &alg) const noexcept;
    // Why it does not suit `alg`, e.g. "it is an RSA key, and ES256 needs an
    // EC P-256 key"; "" when it does.
    std::string mismatch(const std::string &alg) const;

private:
    KeyType type_;
    std::string kid_;
    std::string declared_alg_;
    EvpPkeyPtr key_;
    std::string note_;
};

// A `keys` entry that was skipped, and why. It holds no key: nothing can be
// verified with it.
struct UnusableKey {
    std::string kid;     // "" when absent or not a string
    std::string reason;  // e.g. "\"use\" is \"enc\", not \"sig\"", untrusted values quoted
};

// The key type a JWS algorithm needs; false for algorithms we never verify.
bool key_type_for_algorithm(const std::string &alg, KeyType &type) noexcept;

class JsonWebKeySet {
public:
    static constexpr std::size_t kMaxDocumentSize = 1024 * 1024;
    static constexpr std::size_t kMaxKeys = 100;

    // Throws Failure(unavailable) when `json` is over kMaxDocumentSize, is not
    // JSON, or is not an object with a `keys` array. Unusable keys are skipped
    // (see unusable()); only the first kMaxKeys entries of `keys` are looked at.
    static JsonWebKeySet parse(std::string_view json);

    JsonWebKeySet() = default;

    // The first key with this kid that suits `alg`, or nullptr.
    const PublicKey *find(const std::string &kid, const std::string &alg) const;
    // Whether any key has this kid, whatever its type.
    bool has_kid(const std::string &kid) const;
    // Every key that suits `alg`, in document order.
    std::vector<const PublicKey *> candidates(const std::string &alg) const;
    std::size_t size() const noexcept { return keys_.size(); }
    // The kept keys, in document order.
    const std::vector<PublicKey> &keys() const noexcept { return keys_; }

    // The skipped entries, in document order.
    const std::vector<UnusableKey> &unusable() const noexcept { return unusable_; }
    // Why the first skipped entry with this kid was skipped; "" when none was.
    std::string why_unusable(const std::string &kid) const;

private:
    std::vector<PublicKey> keys_;
    std::vector<UnusableKey> unusable_;
};

}  // namespace devflow
