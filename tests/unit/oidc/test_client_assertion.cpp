// SPDX-License-Identifier: Apache-2.0
// private_key_jwt's assertions (RFC 7523 2.2, OIDC Core 9): which keys are
// accepted and with which algorithm, what the JWT says, and that OpenSSL
// verifies its signature with the public key (for EC, as JOSE's R || S).
#include "base/base64url.hpp"
#include "base/secret.hpp"
#include "oidc/client_assertion.hpp"
#include "oidc/openssl_ptr.hpp"
#include "test_keys.hpp"

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/pem.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "expect_failure.hpp"  // with cmocka: last

using devflow::ClientAssertionClaims;
using devflow::ClientAssertionKey;
using devflow::OpenSslDeleter;
using devflow::Outcome;
using devflow::Secret;
using devflow::TimePoint;
using devflow::test::expect_failure;
using devflow::test::KeyKind;
using devflow::test::TestKey;
using nlohmann::json;

namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<BIO, BIO_free_all>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, OpenSslDeleter<ECDSA_SIG, ECDSA_SIG_free>>;

constexpr long long kNow = 1700000000;
const TimePoint now{std::chrono::seconds{kNow}};
const std::string kTokenEndpoint = "https://idp.example/oauth2/token";

struct Jwt {
    json header;
    json claims;
    std::string signing_input;
    std::string signature;
};

Jwt split(const std::string &compact) {
    const auto first = compact.find('.');
    const auto second = compact.find('.', first + 1);
    assert_true(first != std::string::npos && second != std::string::npos);
    assert_true(compact.find('.', second + 1) == std::string::npos);
    const auto header = devflow::base64url_decode(compact.substr(0, first));
    const auto claims = devflow::base64url_decode(compact.substr(first + 1, second - first - 1));
    const auto signature = devflow::base64url_decode(compact.substr(second + 1));
    assert_true(header && claims && signature);
    return {json::parse(*header), json::parse(*claims), compact.substr(0, second), *signature};
}

std::string pem_of(EVP_PKEY *key, bool public_only) {
    const BioPtr bio(BIO_new(BIO_s_mem()));
    const int written = public_only ? PEM_write_bio_PUBKEY(bio.get(), key)
                                    : PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    assert_int_equal(written, 1);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    return std::string(data, static_cast<std::size_t>(size));
}

KeyPtr public_key_from(const std::string &pem) {
    const BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    KeyPtr key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
    assert_non_null(key.get());
    return key;
}

// OpenSSL's own verification of a JWS signature: RS256 as is, ES* after
// turning JOSE's R || S (each `half` bytes) into DER.
bool verifies(const Jwt &jwt, EVP_PKEY *public_key, const char *digest, std::size_t half) {
    std::string signature = jwt.signature;
    if (half > 0) {
        if (signature.size() != 2 * half) return false;
        const auto *bytes = reinterpret_cast<const unsigned char *>(signature.data());
        EcdsaSigPtr sig(ECDSA_SIG_new());
        BIGNUM *r = BN_bin2bn(bytes, static_cast<int>(half), nullptr);
        BIGNUM *s = BN_bin2bn(bytes + half, static_cast<int>(half), nullptr);
        assert_int_equal(ECDSA_SIG_set0(sig.get(), r, s), 1);
        unsigned char *der = nullptr;
        const int length = i2d_ECDSA_SIG(sig.get(), &der);
        assert_true(length > 0);
        signature.assign(reinterpret_cast<const char *>(der), static_cast<std::size_t>(length));
        OPENSSL_free(der);
    }
    const devflow::EvpMdCtxPtr context(EVP_MD_CTX_new());
    assert_int_equal(EVP_DigestVerifyInit_ex(context.get(), nullptr, digest, nullptr, nullptr, public_key, nullptr), 1);
    return EVP_DigestVerify(context.get(), reinterpret_cast<const unsigned char *>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char *>(jwt.signing_input.data()),
                            jwt.signing_input.size()) == 1;
}

Jwt assertion_by(const ClientAssertionKey &key, const std::string &kid = "") {
    const ClientAssertionClaims claims{"bastion", kTokenEndpoint, kid};
    const Secret compact = devflow::make_client_assertion(key, claims, now);
    return split(compact.reveal());
}

void claims_are_those_of_rfc_7523(const Jwt &jwt) {
    assert_string_equal(jwt.claims.at("iss").get<std::string>().c_str(), "bastion");
    assert_string_equal(jwt.claims.at("sub").get<std::string>().c_str(), "bastion");
    assert_true(jwt.claims.at("aud").is_string());  // one audience, as rfc7523bis asks
    assert_string_equal(jwt.claims.at("aud").get<std::string>().c_str(), kTokenEndpoint.c_str());
    assert_int_equal(jwt.claims.at("iat").get<long long>(), kNow);
    assert_int_equal(jwt.claims.at("exp").get<long long>(), kNow + 60);
    const std::string jti = jwt.claims.at("jti").get<std::string>();
    assert_int_equal(jti.size(), 22);  // 128 bits, base64url without padding
    assert_int_equal(devflow::base64url_decode(jti)->size(), 16);
    assert_int_equal(jwt.claims.size(), 6);
}

void an_rsa_key_signs_rs256_that_openssl_verifies(void **) {
    const TestKey rsa(KeyKind::rsa2048);
    const auto key = ClientAssertionKey::from_pem(Secret(rsa.private_pem()), "/etc/key.pem");
    assert_string_equal(key.algorithm().c_str(), "RS256");
    assert_string_equal(key.description().c_str(), "RSA 2048 bits (RS256)");
    const Jwt jwt = assertion_by(key, "key-1");
    assert_string_equal(jwt.header.at("alg").get<std::string>().c_str(), "RS256");
    assert_string_equal(jwt.header.at("typ").get<std::string>().c_str(), "JWT");
    assert_string_equal(jwt.header.at("kid").get<std::string>().c_str(), "key-1");
    claims_are_those_of_rfc_7523(jwt);
    const KeyPtr public_key = public_key_from(rsa.public_pem());
    assert_true(verifies(jwt, public_key.get(), "SHA256", 0));
    Jwt tampered = jwt;
    tampered.signing_input += "x";
    assert_false(verifies(tampered, public_key.get(), "SHA256", 0));
}

void a_p256_key_signs_es256_as_r_and_s(void **) {
    const TestKey ec(KeyKind::p256);
    const auto key = ClientAssertionKey::from_pem(Secret(ec.private_pem()), "/etc/key.pem");
    assert_string_equal(key.algorithm().c_str(), "ES256");
    assert_string_equal(key.description().c_str(), "EC P-256 (ES256)");
    const Jwt jwt = assertion_by(key);
    assert_string_equal(jwt.header.at("alg").get<std::string>().c_str(), "ES256");
    assert_false(jwt.header.contains("kid"));  // none configured
    claims_are_those_of_rfc_7523(jwt);
    assert_int_equal(jwt.signature.size(), 64);
    assert_true(verifies(jwt, public_key_from(ec.public_pem()).get(), "SHA256", 32));
}

// The curve decides the algorithm and the size of R and S (RFC 7518 3.4):
// P-521's are 66 bytes each.
void p384_and_p521_keys_sign_es384_and_es512(void **) {
    struct Case {
        const char *curve;
        const char *algorithm;
        const char *digest;
        std::size_t half;
    };
    for (const Case &c : {Case{"P-384", "ES384", "SHA384", 48}, Case{"P-521", "ES512", "SHA512", 66}}) {
        const KeyPtr generated(EVP_EC_gen(c.curve));
        assert_non_null(generated.get());
        // Several signatures: R or S with leading zero bytes must keep their width.
        for (int i = 0; i < 8; ++i) {
            const auto key = ClientAssertionKey::from_pem(Secret(pem_of(generated.get(), false)), "/k");
            assert_string_equal(key.algorithm().c_str(), c.algorithm);
            const Jwt jwt = assertion_by(key);
            assert_string_equal(jwt.header.at("alg").get<std::string>().c_str(), c.algorithm);
            assert_int_equal(jwt.signature.size(), 2 * c.half);
            assert_true(verifies(jwt, public_key_from(pem_of(generated.get(), true)).get(), c.digest, c.half));
        }
    }
}

void every_assertion_has_its_own_jti(void **) {
    const TestKey ec(KeyKind::p256);
    const auto key = ClientAssertionKey::from_pem(Secret(ec.private_pem()), "/etc/key.pem");
    std::set<std::string> seen;
    for (int i = 0; i < 200; ++i) seen.insert(assertion_by(key).claims.at("jti").get<std::string>());
    assert_int_equal(seen.size(), 200);
}

void unusable_keys_are_config_errors_naming_the_file(void **) {
    const TestKey small(KeyKind::rsa1024);
    const TestKey ed25519(KeyKind::ed25519);
    const KeyPtr k256(EVP_EC_gen("secp256k1"));
    const KeyPtr rsa(EVP_RSA_gen(2048));
    const BioPtr bio(BIO_new(BIO_s_mem()));
    const char passphrase[] = "passphrase";
    assert_int_equal(PEM_write_bio_PrivateKey(bio.get(), rsa.get(), EVP_aes_128_cbc(),
                                              reinterpret_cast<const unsigned char *>(passphrase),
                                              sizeof passphrase - 1, nullptr, nullptr),
                     1);
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    const std::string encrypted(data, static_cast<std::size_t>(size));
    const TestKey public_only(KeyKind::rsa2048);

    struct Case {
        std::string pem;
        const char *says;
    };
    const std::vector<Case> cases = {
        {small.private_pem(), "is an RSA key of 1024 bits; private_key_jwt needs at least 2048"},
        {ed25519.private_pem(), "is neither an RSA nor an EC key"},
        {pem_of(k256.get(), false), "is an EC key on curve secp256k1"},
        {encrypted, "holds no unencrypted PEM private key"},
        {public_only.public_pem(), "holds no unencrypted PEM private key"},
        {"not a key\n", "holds no unencrypted PEM private key"},
    };
    for (const Case &c : cases) {
        const auto failure = expect_failure([&] { ClientAssertionKey::from_pem(Secret(c.pem), "/etc/k.pem"); });
        assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::config_error));
        if (failure.message.find("private_key_file /etc/k.pem ") != 0 ||
            failure.message.find(c.says) == std::string::npos)
            fail_msg("unexpected message: %s", failure.message.c_str());
    }
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(an_rsa_key_signs_rs256_that_openssl_verifies),
        cmocka_unit_test(a_p256_key_signs_es256_as_r_and_s),
        cmocka_unit_test(p384_and_p521_keys_sign_es384_and_es512),
        cmocka_unit_test(every_assertion_has_its_own_jti),
        cmocka_unit_test(unusable_keys_are_config_errors_naming_the_file),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
