// SPDX-License-Identifier: Apache-2.0
#include "test_keys.hpp"

#include "base/base64url.hpp"
#include "oidc/openssl_ptr.hpp"

#include <openssl/bio.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace devflow::test {
namespace {

using json = nlohmann::json;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;
using MacPtr = std::unique_ptr<EVP_MAC, OpenSslDeleter<EVP_MAC, EVP_MAC_free>>;
using MacCtxPtr = std::unique_ptr<EVP_MAC_CTX, OpenSslDeleter<EVP_MAC_CTX, EVP_MAC_CTX_free>>;

void check(bool ok, const char *what) {
    if (!ok) {
        throw std::runtime_error(std::string("OpenSSL failed: ") + what);
    }
}

EvpPkeyPtr generate(KeyKind kind) {
    EVP_PKEY *key = nullptr;
    switch (kind) {
    case KeyKind::rsa2048: key = EVP_RSA_gen(2048); break;
    case KeyKind::rsa1024: key = EVP_RSA_gen(1024); break;
    case KeyKind::p256: key = EVP_EC_gen("P-256"); break;
    case KeyKind::ed25519: key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"); break;
    }
    check(key != nullptr, "key generation");
    return EvpPkeyPtr(key);
}

std::string bignum_param(EVP_PKEY *key, const char *name, int width) {
    BIGNUM *raw = nullptr;
    check(EVP_PKEY_get_bn_param(key, name, &raw) == 1, name);
    const BignumPtr value(raw);
    const int size = width > 0 ? width : BN_num_bytes(value.get());
    std::string out(static_cast<std::size_t>(size), '\0');
    check(BN_bn2binpad(value.get(), reinterpret_cast<unsigned char *>(out.data()), size) == size, "BN_bn2binpad");
    return out;
}

std::string bytes_of(const BIGNUM *value, int width) {
    std::string out(static_cast<std::size_t>(width), '\0');
    check(BN_bn2binpad(value, reinterpret_cast<unsigned char *>(out.data()), width) == width, "BN_bn2binpad");
    return out;
}

// OpenSSL signs ECDSA as DER; JWS wants R || S, 32 bytes each.
std::string ecdsa_raw(const std::string &der) {
    const auto *in = reinterpret_cast<const unsigned char *>(der.data());
    const EcdsaSigPtr signature(d2i_ECDSA_SIG(nullptr, &in, static_cast<long>(der.size())));
    check(signature != nullptr, "d2i_ECDSA_SIG");
    const BIGNUM *r = nullptr;
    const BIGNUM *s = nullptr;
    ECDSA_SIG_get0(signature.get(), &r, &s);
    return bytes_of(r, 32) + bytes_of(s, 32);
}

std::string compact(const std::string &header_text, const std::string &claims_text) {
    return base64url_encode(header_text) + "." + base64url_encode(claims_text);
}

}  // namespace

TestKey::TestKey(KeyKind kind) : kind_(kind), key_(generate(kind)) {}

json TestKey::jwk(const std::string &kid, const json &extra) const {
    json out;
    switch (kind_) {
    case KeyKind::rsa2048:
    case KeyKind::rsa1024:
        out = {{"kty", "RSA"},
               {"n", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_N, 0))},
               {"e", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_RSA_E, 0))}};
        break;
    case KeyKind::p256:
        out = {{"kty", "EC"},
               {"crv", "P-256"},
               {"x", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32))},
               {"y", base64url_encode(bignum_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32))}};
        break;
    case KeyKind::ed25519: {
        std::string x(32, '\0');
        std::size_t length = x.size();
        check(EVP_PKEY_get_raw_public_key(key_.get(), reinterpret_cast<unsigned char *>(x.data()), &length) == 1 &&
                  length == 32,
              "EVP_PKEY_get_raw_public_key");
        out = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"x", base64url_encode(x)}};
        break;
    }
    }
    if (!kid.empty()) {
        out["kid"] = kid;
    }
    for (const auto &[name, value] : extra.items()) {
        out[name] = value;
    }
    return out;
}

std::string TestKey::sign(std::string_view signing_input, const std::string &alg) const {
    const EvpMdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX *pkey_ctx = nullptr;
    const char *digest = alg == "EdDSA" ? nullptr : "SHA256";
    check(ctx && EVP_DigestSignInit_ex(ctx.get(), &pkey_ctx, digest, nullptr, nullptr, key_.get(), nullptr) == 1,
          "EVP_DigestSignInit_ex");
    if (alg == "PS256") {
        check(EVP_PKEY_CTX_set_rsa_padding(pkey_ctx, RSA_PKCS1_PSS_PADDING) == 1 &&
                  EVP_PKEY_CTX_set_rsa_pss_saltlen(pkey_ctx, 32) == 1 &&
                  EVP_PKEY_CTX_set_rsa_mgf1_md_name(pkey_ctx, "SHA256", nullptr) == 1,
              "PSS parameters");
    }
    const auto *input = reinterpret_cast<const unsigned char *>(signing_input.data());
    std::size_t length = 0;
    check(EVP_DigestSign(ctx.get(), nullptr, &length, input, signing_input.size()) == 1, "sign size");
    std::string signature(length, '\0');
    check(EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char *>(signature.data()), &length, input,
                         signing_input.size()) == 1,
          "EVP_DigestSign");
    signature.resize(length);
    return alg == "ES256" ? ecdsa_raw(signature) : signature;
}

std::string TestKey::public_pem() const {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_PUBKEY(bio.get(), key_.get()) == 1, "PEM_write_bio_PUBKEY");
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string TestKey::private_pem() const {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    check(bio && PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1,
          "PEM_write_bio_PrivateKey");
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

std::string TestKey::public_der() const {
    unsigned char *data = nullptr;
    const int size = i2d_PUBKEY(key_.get(), &data);
    check(size > 0, "i2d_PUBKEY");
    std::string out(reinterpret_cast<const char *>(data), static_cast<std::size_t>(size));
    OPENSSL_free(data);
    return out;
}

namespace {

std::string decoded_member(const json &jwk, const std::string &member) {
    const auto found = jwk.find(member);
    check(found != jwk.end() && found->is_string(), "JWK member to decode");
    auto bytes = base64url_decode(found->get<std::string>());
    check(bytes.has_value(), "base64url JWK member");
    return *bytes;
}

}  // namespace

TestKey p256_key_with_leading_zero(const std::string &member) {
    for (int tries = 0; tries < 100000; ++tries) {
        TestKey key(KeyKind::p256);
        if (decoded_member(key.jwk(""), member)[0] == '\0') return key;
    }
    throw std::runtime_error("no P-256 key with a leading zero byte in " + member);
}

json without_leading_zero(json jwk, const std::string &member) {
    const std::string bytes = decoded_member(jwk, member);
    check(!bytes.empty() && bytes[0] == '\0', "a leading zero byte to drop");
    jwk[member] = base64url_encode(bytes.substr(1));
    return jwk;
}

std::string jwks_document(const std::vector<json> &keys) { return json{{"keys", keys}}.dump(); }

std::string make_jws_text(const std::string &header_text, const std::string &claims_text, const TestKey &key,
                          const std::string &alg) {
    const std::string signing_input = compact(header_text, claims_text);
    return signing_input + "." + base64url_encode(key.sign(signing_input, alg));
}

std::string make_jws(const json &header, const json &claims, const TestKey &key, const std::string &alg) {
    return make_jws_text(header.dump(), claims.dump(), key, alg);
}

std::string make_hs256_jws(const json &header, const json &claims, std::string_view secret) {
    const std::string signing_input = compact(header.dump(), claims.dump());
    const MacPtr mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    const MacCtxPtr ctx(mac ? EVP_MAC_CTX_new(mac.get()) : nullptr);
    char digest_name[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                                 OSSL_PARAM_construct_end()};
    check(ctx &&
              EVP_MAC_init(ctx.get(), reinterpret_cast<const unsigned char *>(secret.data()), secret.size(), params) ==
                  1 &&
              EVP_MAC_update(ctx.get(), reinterpret_cast<const unsigned char *>(signing_input.data()),
                             signing_input.size()) == 1,
          "HMAC");
    std::string tag(EVP_MAX_MD_SIZE, '\0');
    std::size_t length = 0;
    check(EVP_MAC_final(ctx.get(), reinterpret_cast<unsigned char *>(tag.data()), &length, tag.size()) == 1,
          "EVP_MAC_final");
    tag.resize(length);
    return signing_input + "." + base64url_encode(tag);
}

std::string flip_signature_byte(const std::string &compact_token) {
    const auto dot = compact_token.rfind('.');
    auto signature = base64url_decode(std::string_view(compact_token).substr(dot + 1));
    check(signature.has_value() && !signature->empty(), "signature to flip");
    (*signature)[signature->size() / 2] ^= 0x01;
    return compact_token.substr(0, dot + 1) + base64url_encode(*signature);
}

}  // namespace devflow::test
