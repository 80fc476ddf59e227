// SPDX-License-Identifier: Apache-2.0
#include "oidc/client_assertion.hpp"

#include "base/base64url.hpp"
#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/utc_time.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <utility>

namespace devflow {
namespace {

using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;

constexpr int kMinRsaBits = 2048;
constexpr std::size_t kJtiBytes = 16;

// Refuses every passphrase prompt: an encrypted key must fail, never make
// OpenSSL read one from the terminal of sshd's or sudo's user.
int no_passphrase(char *, int, int, void *) { return -1; }

// An EC curve's JWS algorithm, digest and coordinate size, or none.
struct CurveAlgorithm {
    const char *group;  // OpenSSL's name
    const char *jose;   // the curve's JOSE name
    const char *algorithm;
    const char *digest;
    std::size_t coordinate_bytes;
};
constexpr CurveAlgorithm kCurves[] = {
    {"prime256v1", "P-256", "ES256", "SHA256", 32},
    {"secp384r1", "P-384", "ES384", "SHA384", 48},
    {"secp521r1", "P-521", "ES512", "SHA512", 66},
};

std::string curve_of(EVP_PKEY *key) {
    char name[64] = {};
    std::size_t length = 0;
    if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &length) != 1) return {};
    return std::string(name, length);
}

// OpenSSL signs ECDSA as DER; JWS wants R || S, each the curve's size.
std::string ecdsa_jose(const std::string &der, std::size_t coordinate_bytes) {
    const auto *in = reinterpret_cast<const unsigned char *>(der.data());
    const EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
    if (!signature) fail_system("cannot read OpenSSL's ECDSA signature");
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(signature.get(), &r, &s);
    std::string out(2 * coordinate_bytes, '\0');
    auto *bytes = reinterpret_cast<unsigned char *>(out.data());
    const int width = static_cast<int>(coordinate_bytes);
    if (BN_bn2binpad(r, bytes, width) != width || BN_bn2binpad(s, bytes + coordinate_bytes, width) != width) {
        fail_system("an ECDSA signature value is larger than its curve");
    }
    return out;
}

std::string random_jti() {
    unsigned char bytes[kJtiBytes];
    if (RAND_bytes(bytes, sizeof bytes) != 1) fail_system("no random bytes for a client assertion's jti");
    return base64url_encode(std::string_view(reinterpret_cast<const char *>(bytes), sizeof bytes));
}

// The configuration's strings are valid UTF-8 (TOML) and the audience is an
// ASCII URL, so nothing is replaced in practice; a throw would be worse.
std::string compact_json(const Json &value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

}  // namespace

ClientAssertionKey::ClientAssertionKey(KeyPtr key, std::string algorithm, std::string digest,
                                       std::size_t coordinate_bytes, std::string description)
    : key_(std::move(key)), algorithm_(std::move(algorithm)), digest_(std::move(digest)),
      coordinate_bytes_(coordinate_bytes), description_(std::move(description)) {}

ClientAssertionKey ClientAssertionKey::from_pem(const Secret &pem, const std::string &origin) {
    const std::string &text = pem.reveal();
    BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
    if (!bio) fail_system("out of memory reading a private key");
    KeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
    ERR_clear_error();  // a failed read leaves its reasons; ours is the message below
    if (!key) {
        fail_config("private_key_file " + origin +
                    " holds no unencrypted PEM private key (an encrypted one cannot be used: nobody is there "
                    "to type its passphrase)");
    }
    const int type = EVP_PKEY_get_base_id(key.get());
    if (type == EVP_PKEY_RSA) {
        const int bits = EVP_PKEY_get_bits(key.get());
        if (bits < kMinRsaBits) {
            fail_config("private_key_file " + origin + " is an RSA key of " + std::to_string(bits) +
                        " bits; private_key_jwt needs at least " + std::to_string(kMinRsaBits));
        }
        return ClientAssertionKey(std::move(key), "RS256", "SHA256", 0,
                                  "RSA " + std::to_string(bits) + " bits (RS256)");
    }
    if (type == EVP_PKEY_EC) {
        const std::string group = curve_of(key.get());
        for (const CurveAlgorithm &curve : kCurves) {
            if (group == curve.group) {
                return ClientAssertionKey(std::move(key), curve.algorithm, curve.digest, curve.coordinate_bytes,
                                          std::string("EC ") + curve.jose + " (" + curve.algorithm + ")");
            }
        }
        fail_config("private_key_file " + origin + " is an EC key on curve " +
                    (group.empty() ? std::string("(unnamed)") : group) +
                    "; private_key_jwt signs with P-256, P-384 or P-521");
    }
    fail_config("private_key_file " + origin +
                " is neither an RSA nor an EC key; private_key_jwt signs with RSA (RS256) or EC (ES256, ES384, "
                "ES512)");
}

std::string ClientAssertionKey::sign(std::string_view signing_input) const {
    const EvpMdCtxPtr context(EVP_MD_CTX_new());
    if (!context ||
        EVP_DigestSignInit_ex(context.get(), nullptr, digest_.c_str(), nullptr, nullptr, key_.get(), nullptr) != 1) {
        ERR_clear_error();
        fail_system("cannot start a " + algorithm_ + " signature");
    }
    const auto *input = reinterpret_cast<const unsigned char *>(signing_input.data());
    std::size_t length = 0;
    if (EVP_DigestSign(context.get(), nullptr, &length, input, signing_input.size()) != 1) {
        ERR_clear_error();
        fail_system("cannot size a " + algorithm_ + " signature");
    }
    std::string signature(length, '\0');
    if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, input,
                       signing_input.size()) != 1) {
        ERR_clear_error();
        fail_system("cannot make a " + algorithm_ + " signature");
    }
    signature.resize(length);
    return coordinate_bytes_ == 0 ? signature : ecdsa_jose(signature, coordinate_bytes_);
}

Secret make_client_assertion(const ClientAssertionKey &key, const ClientAssertionClaims &claims, TimePoint now) {
    Json header = {{"alg", key.algorithm()}, {"typ", "JWT"}};
    if (!claims.kid.empty()) header["kid"] = claims.kid;
    const long long issued_at = epoch_seconds(now);
    const Json payload = {{"iss", claims.client_id}, {"sub", claims.client_id},
                          {"aud", claims.audience},  {"jti", random_jti()},
                          {"iat", issued_at},        {"exp", issued_at + kClientAssertionLifetime.count()}};
    const std::string signing_input =
        base64url_encode(compact_json(header)) + "." + base64url_encode(compact_json(payload));
    return Secret(signing_input + "." + base64url_encode(key.sign(signing_input)));
}

}  // namespace devflow
