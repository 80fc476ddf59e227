// SPDX-License-Identifier: Apache-2.0
// JsonWebKeySet::parse: which documents fail, which keys are kept, which are
// skipped, and how keys are looked up.
#include "base/base64url.hpp"
#include "oidc/jwks.hpp"
#include "test_keys.hpp"

#include <openssl/evp.h>

#include <string>
#include <vector>

#include "expect_failure.hpp"  // with cmocka: last

using devflow::JsonWebKeySet;
using devflow::KeyType;
using devflow::Outcome;
using devflow::test::expect_failure;
using devflow::test::jwks_document;
using devflow::test::KeyKind;
using devflow::test::TestKey;
using devflow::test::without_leading_zero;
using nlohmann::json;

namespace {

// Generated once per run: RSA key generation is slow.
const TestKey &rsa_key() {
    static const TestKey key(KeyKind::rsa2048);
    return key;
}
const TestKey &rsa1024_key() {
    static const TestKey key(KeyKind::rsa1024);
    return key;
}
const TestKey &ec_key() {
    static const TestKey key(KeyKind::p256);
    return key;
}
const TestKey &ed_key() {
    static const TestKey key(KeyKind::ed25519);
    return key;
}

// Keys whose x or y starts with a zero byte (1 in 256: found by trying).
const TestKey &zero_x_key() {
    static const TestKey key = devflow::test::p256_key_with_leading_zero("x");
    return key;
}
const TestKey &zero_y_key() {
    static const TestKey key = devflow::test::p256_key_with_leading_zero("y");
    return key;
}

std::size_t parsed_size(const std::vector<json> &keys) { return JsonWebKeySet::parse(jwks_document(keys)).size(); }

void assert_document_rejected(const std::string &document) {
    const auto failure = expect_failure([&] { (void)JsonWebKeySet::parse(document); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
}

void parses_rsa_ec_and_ed25519_keys(void **) {
    assert_int_equal(parsed_size({rsa_key().jwk("r"), ec_key().jwk("e"), ed_key().jwk("o")}), 3);
}

void finds_key_by_kid_and_alg(void **) {
    const auto set = JsonWebKeySet::parse(jwks_document({rsa_key().jwk("r"), ec_key().jwk("e")}));
    const auto *key = set.find("e", "ES256");
    assert_non_null(key);
    assert_true(key->type() == KeyType::p256 && key->kid() == "e" && std::string(key->curve()) == "P-256");
}

void find_refuses_kid_with_other_key_type(void **) {
    const auto set = JsonWebKeySet::parse(jwks_document({rsa_key().jwk("r")}));
    assert_null(set.find("r", "ES256"));
}

void declared_alg_restricts_key(void **) {
    const auto set = JsonWebKeySet::parse(jwks_document({rsa_key().jwk("r", {{"alg", "RS256"}})}));
    assert_null(set.find("r", "PS256"));
}

void candidates_match_alg(void **) {
    const auto set = JsonWebKeySet::parse(
        jwks_document({rsa_key().jwk("r"), ec_key().jwk("e"), ed_key().jwk("o"), rsa_key().jwk("r2")}));
    assert_int_equal(set.candidates("PS256").size(), 2);
}

void rejects_non_json_document(void **) { assert_document_rejected("{\"keys\": [}"); }

void rejects_array_document(void **) { assert_document_rejected("[]"); }

void rejects_document_without_keys(void **) { assert_document_rejected("{\"key\": []}"); }

void rejects_keys_that_is_not_an_array(void **) { assert_document_rejected("{\"keys\": {}}"); }

void rejects_document_over_one_mib(void **) {
    std::string document = "{\"keys\": [], \"padding\": \"";
    document.append(JsonWebKeySet::kMaxDocumentSize, 'a');
    document += "\"}";
    assert_document_rejected(document);
}

void accepts_empty_key_list(void **) { assert_int_equal(parsed_size({}), 0); }

void skips_key_without_kty(void **) {
    json key = ec_key().jwk("e");
    key.erase("kty");
    assert_int_equal(parsed_size({key, ed_key().jwk("o")}), 1);
}

void skips_entry_that_is_not_an_object(void **) {
    assert_int_equal(parsed_size({json("RSA"), json::array(), ed_key().jwk("o")}), 1);
}

void skips_rsa_1024(void **) { assert_int_equal(parsed_size({rsa1024_key().jwk("weak")}), 0); }

void skips_ec_point_not_on_curve(void **) {
    const json key = ec_key().jwk("e");
    auto y = devflow::base64url_decode(key.find("y")->get<std::string>());
    (*y)[31] = static_cast<char>((*y)[31] ^ 0x01);
    assert_int_equal(parsed_size({ec_key().jwk("e", {{"y", devflow::base64url_encode(*y)}})}), 0);
}

void skips_ec_coordinate_of_wrong_length(void **) {
    const json key = ec_key().jwk("e");
    auto x = devflow::base64url_decode(key.find("x")->get<std::string>());
    assert_int_equal(parsed_size({ec_key().jwk("e", {{"x", devflow::base64url_encode(x->substr(1))}})}), 0);
}

// Some IdPs drop leading zero bytes of a coordinate (31 bytes, not 32). The
// value stays unambiguous, so it is left-padded; the key must be the same
// public key as the one published at full length.
void assert_short_coordinate_accepted(const TestKey &key, const char *member) {
    const auto full = JsonWebKeySet::parse(jwks_document({key.jwk("e")}));
    const auto shortened = JsonWebKeySet::parse(jwks_document({without_leading_zero(key.jwk("e"), member)}));
    const auto *padded = shortened.find("e", "ES256");
    assert_non_null(padded);
    assert_int_equal(EVP_PKEY_eq(padded->evp(), full.find("e", "ES256")->evp()), 1);
}

void accepts_x_without_its_leading_zero(void **) { assert_short_coordinate_accepted(zero_x_key(), "x"); }

void notes_the_padded_coordinate(void **) {
    const auto set =
        JsonWebKeySet::parse(jwks_document({without_leading_zero(zero_y_key().jwk("e"), "y"), ec_key().jwk("full")}));
    assert_string_equal(set.find("e", "ES256")->note().c_str(), "\"y\" is 31 bytes, left-padded to the 32 of P-256");
    assert_true(set.find("full", "ES256")->note().empty());
}

void accepts_y_without_its_leading_zero(void **) { assert_short_coordinate_accepted(zero_y_key(), "y"); }

// 0x00 || x is the same number, but longer than the field: refused, not trimmed.
void skips_coordinate_longer_than_the_field(void **) {
    const json key = ec_key().jwk("e");
    const auto y = devflow::base64url_decode(key.find("y")->get<std::string>());
    assert_int_equal(parsed_size({ec_key().jwk("e", {{"y", devflow::base64url_encode(std::string(1, '\0') + *y)}})}),
                     0);
}

void skips_empty_coordinate(void **) { assert_int_equal(parsed_size({ec_key().jwk("e", {{"x", ""}})}), 0); }

// Each skipped entry keeps its kid and why, for the log line of a token that
// names it; none of them can verify anything.
void keeps_why_each_key_was_skipped(void **) {
    const json ec = ec_key().jwk("e");
    const auto x = devflow::base64url_decode(ec.find("x")->get<std::string>());
    const std::vector<std::pair<json, std::string>> cases = {
        {json("RSA"), "not a JSON object"},
        {rsa1024_key().jwk("weak"), "the RSA modulus is 1024 bits, under the 2048 minimum"},
        {ec_key().jwk("long", {{"x", devflow::base64url_encode(std::string(1, '\0') + *x)}}),
         "\"x\" is 33 bytes, longer than the 32 of P-256"},
        {ec_key().jwk("empty", {{"y", ""}}), "\"y\" is empty"},
        {ec_key().jwk("p384", {{"crv", "P-384"}}), "curve \"P-384\" is not supported for EC (only P-256)"},
        {ed_key().jwk("x25519", {{"crv", "X25519"}}), "curve \"X25519\" is not supported for OKP (only Ed25519)"},
        {json{{"kty", "oct"}, {"k", "c2VjcmV0"}, {"kid", "hmac"}},
         "key type \"oct\" is not supported (RSA, EC or OKP)"},
        {rsa_key().jwk("enc", {{"use", "enc"}}), "\"use\" is \"enc\", not \"sig\""},
        {ed_key().jwk("ops", {{"key_ops", {"encrypt"}}}), "\"key_ops\" does not include \"verify\""},
        {rsa_key().jwk("rs-es", {{"alg", "ES256"}}), "\"alg\" \"ES256\" does not fit an RSA key"},
        {rsa_key().jwk("rs512", {{"alg", "RS512"}}), "\"alg\" \"RS512\" is not supported (RS256, PS256, ES256, EdDSA)"},
        {rsa_key().jwk("b64", {{"n", "not base64!"}}), "\"n\" is not valid base64url"},
        {ed_key().jwk("ed31", {{"x", "AAAA"}}), "\"x\" is 3 bytes, not the 32 of Ed25519"},
    };
    for (const auto &[jwk, reason] : cases) {
        const auto set = JsonWebKeySet::parse(jwks_document({jwk}));
        assert_int_equal(set.size(), 0);
        assert_int_equal(set.unusable().size(), 1);
        const std::string kid = jwk.is_object() ? jwk.value("kid", "") : "";
        assert_string_equal(set.unusable()[0].kid.c_str(), kid.c_str());
        assert_string_equal(set.why_unusable(kid).c_str(), reason.c_str());
    }
}

void skips_other_curves(void **) {
    assert_int_equal(parsed_size({ec_key().jwk("e", {{"crv", "P-384"}}), ed_key().jwk("o", {{"crv", "X25519"}})}), 0);
}

void skips_unknown_kty(void **) {
    assert_int_equal(parsed_size({json{{"kty", "oct"}, {"k", "c2VjcmV0"}, {"kid", "hmac"}}}), 0);
}

void skips_use_enc(void **) { assert_int_equal(parsed_size({rsa_key().jwk("r", {{"use", "enc"}})}), 0); }

void keeps_use_sig(void **) { assert_int_equal(parsed_size({rsa_key().jwk("r", {{"use", "sig"}})}), 1); }

void skips_key_ops_without_verify(void **) {
    assert_int_equal(parsed_size({ed_key().jwk("o", {{"key_ops", {"encrypt"}}})}), 0);
}

void skips_alg_not_matching_kty(void **) { assert_int_equal(parsed_size({rsa_key().jwk("r", {{"alg", "ES256"}})}), 0); }

void skips_unsupported_alg(void **) { assert_int_equal(parsed_size({rsa_key().jwk("r", {{"alg", "RS512"}})}), 0); }

void skips_non_string_kid(void **) { assert_int_equal(parsed_size({ed_key().jwk("", {{"kid", 7}})}), 0); }

void skips_rsa_with_bad_base64(void **) {
    assert_int_equal(parsed_size({rsa_key().jwk("r", {{"n", "not base64!"}})}), 0);
}

void ignores_private_parameters(void **) { assert_int_equal(parsed_size({ed_key().jwk("o", {{"d", "AAAA"}})}), 1); }

void caps_at_one_hundred_keys(void **) {
    std::vector<json> keys;
    for (int i = 0; i <= 100; ++i) {
        keys.push_back(ed_key().jwk("k" + std::to_string(i)));
    }
    const auto set = JsonWebKeySet::parse(jwks_document(keys));
    assert_true(set.size() == 100 && set.find("k100", "EdDSA") == nullptr);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_rsa_ec_and_ed25519_keys),
        cmocka_unit_test(finds_key_by_kid_and_alg),
        cmocka_unit_test(find_refuses_kid_with_other_key_type),
        cmocka_unit_test(declared_alg_restricts_key),
        cmocka_unit_test(candidates_match_alg),
        cmocka_unit_test(rejects_non_json_document),
        cmocka_unit_test(rejects_array_document),
        cmocka_unit_test(rejects_document_without_keys),
        cmocka_unit_test(rejects_keys_that_is_not_an_array),
        cmocka_unit_test(rejects_document_over_one_mib),
        cmocka_unit_test(accepts_empty_key_list),
        cmocka_unit_test(skips_key_without_kty),
        cmocka_unit_test(skips_entry_that_is_not_an_object),
        cmocka_unit_test(skips_rsa_1024),
        cmocka_unit_test(skips_ec_point_not_on_curve),
        cmocka_unit_test(skips_ec_coordinate_of_wrong_length),
        cmocka_unit_test(accepts_x_without_its_leading_zero),
        cmocka_unit_test(accepts_y_without_its_leading_zero),
        cmocka_unit_test(notes_the_padded_coordinate),
        cmocka_unit_test(skips_coordinate_longer_than_the_field),
        cmocka_unit_test(skips_empty_coordinate),
        cmocka_unit_test(keeps_why_each_key_was_skipped),
        cmocka_unit_test(skips_other_curves),
        cmocka_unit_test(skips_unknown_kty),
        cmocka_unit_test(skips_use_enc),
        cmocka_unit_test(keeps_use_sig),
        cmocka_unit_test(skips_key_ops_without_verify),
        cmocka_unit_test(skips_alg_not_matching_kty),
        cmocka_unit_test(skips_unsupported_alg),
        cmocka_unit_test(skips_non_string_kid),
        cmocka_unit_test(skips_rsa_with_bad_base64),
        cmocka_unit_test(ignores_private_parameters),
        cmocka_unit_test(caps_at_one_hundred_keys),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
