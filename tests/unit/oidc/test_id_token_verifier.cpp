// SPDX-License-Identifier: Apache-2.0
// verify_id_token: one case per rule of RFC 7515/7518/7519 and OIDC Core
// 3.1.3.7, each with one expectation. Keys are generated per run.
#include "base/base64url.hpp"
#include "base/log_text.hpp"
#include "oidc/id_token_verifier.hpp"
#include "oidc/jwks.hpp"
#include "test_keys.hpp"

#include <chrono>
#include <string>
#include <vector>

#include "expect_failure.hpp"  // with cmocka: last

using devflow::IdTokenPolicy;
using devflow::JsonWebKeySet;
using devflow::Outcome;
using devflow::TimePoint;
using devflow::VerifiedIdToken;
using devflow::test::expect_failure;
using devflow::test::jwks_document;
using devflow::test::KeyKind;
using devflow::test::make_hs256_jws;
using devflow::test::make_jws;
using devflow::test::make_jws_text;
using devflow::test::TestKey;
using devflow::test::without_leading_zero;
using nlohmann::json;

namespace {

constexpr long long now_seconds = 1700000000;
const TimePoint now{std::chrono::seconds{now_seconds}};
const std::string issuer = "http://127.0.0.1:4000";
const std::string client_id = "pam-client";

const TestKey &rsa_key() {
    static const TestKey key(KeyKind::rsa2048);
    return key;
}
const TestKey &other_rsa_key() {
    static const TestKey key(KeyKind::rsa2048);
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

const TestKey &rsa1024_key() {
    static const TestKey key(KeyKind::rsa1024);
    return key;
}

// A JWKS source that counts refreshes; `after_refresh` is what the IdP
// publishes when asked again.
class FakeJwks final : public devflow::JwksSource {
public:
    FakeJwks(const std::vector<json> &cached, const std::vector<json> &after_refresh)
        : current_(JsonWebKeySet::parse(jwks_document(cached))), next_(jwks_document(after_refresh)) {}
    explicit FakeJwks(const std::vector<json> &keys) : FakeJwks(keys, keys) {}

    const JsonWebKeySet &keys() override { return current_; }
    const JsonWebKeySet &refresh() override {
        ++refresh_calls;
        current_ = JsonWebKeySet::parse(next_);
        return current_;
    }

    int refresh_calls = 0;

private:
    JsonWebKeySet current_;
    std::string next_;
};

FakeJwks standard_jwks() { return FakeJwks({rsa_key().jwk("rsa1"), ec_key().jwk("ec1"), ed_key().jwk("ed1")}); }

IdTokenPolicy policy() {
    IdTokenPolicy result;
    result.issuer = issuer;
    result.client_id = client_id;
    return result;
}

json claims() {
    return {
        {"iss", issuer}, {"aud", client_id}, {"sub", "alice"}, {"iat", now_seconds - 10}, {"exp", now_seconds + 300}};
}

json claims_with(const json &changes) {
    json result = claims();
    for (const auto &[name, value] : changes.items()) {
        result[name] = value;
    }
    return result;
}

json claims_without(const char *name) {
    json result = claims();
    result.erase(name);
    return result;
}

json header(const std::string &alg, const std::string &kid) {
    json result{{"alg", alg}, {"typ", "JWT"}};
    if (!kid.empty()) {
        result["kid"] = kid;
    }
    return result;
}

std::string rs256_token(const json &token_claims) {
    return make_jws(header("RS256", "rsa1"), token_claims, rsa_key(), "RS256");
}

VerifiedIdToken verify(const std::string &token) {
    auto jwks = standard_jwks();
    return devflow::verify_id_token(token, policy(), jwks, now);
}

// The log line of the rejection, after checking it is one.
std::string rejection(const std::string &token, const IdTokenPolicy &token_policy = policy()) {
    auto jwks = standard_jwks();
    const auto failure = expect_failure([&] { (void)devflow::verify_id_token(token, token_policy, jwks, now); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    return failure.message;
}

void assert_rejected_with(const std::string &token, const char *message) {
    assert_string_equal(rejection(token).c_str(), message);
}

void assert_rejected_containing(const std::string &token, const char *fragment) {
    const std::string message = rejection(token);
    if (message.find(fragment) == std::string::npos) {
        fail_msg("\"%s\" does not contain \"%s\"", message.c_str(), fragment);
    }
}

std::string encoded(const json &value) { return devflow::base64url_encode(value.dump()); }

// ---- algorithms and keys

void accepts_rs256(void **) {
    const auto verified = verify(rs256_token(claims()));
    assert_true(verified.algorithm == "RS256" && verified.key_id == "rsa1" &&
                verified.claims.find("sub")->get<std::string>() == "alice");
}

void accepts_ps256(void **) {
    const auto verified = verify(make_jws(header("PS256", "rsa1"), claims(), rsa_key(), "PS256"));
    assert_string_equal(verified.algorithm.c_str(), "PS256");
}

void accepts_es256(void **) {
    const auto verified = verify(make_jws(header("ES256", "ec1"), claims(), ec_key(), "ES256"));
    assert_string_equal(verified.key_id.c_str(), "ec1");
}

void accepts_eddsa(void **) {
    const auto verified = verify(make_jws(header("EdDSA", "ed1"), claims(), ed_key(), "EdDSA"));
    assert_string_equal(verified.key_id.c_str(), "ed1");
}

void without_kid_tries_keys_for_alg(void **) {
    auto jwks = FakeJwks({ec_key().jwk("ec1"), other_rsa_key().jwk("rsa0"), rsa_key().jwk("rsa1")});
    const auto token = make_jws(header("RS256", ""), claims(), rsa_key(), "RS256");
    assert_string_equal(devflow::verify_id_token(token, policy(), jwks, now).key_id.c_str(), "rsa1");
}

void rejects_flipped_signature_byte(void **) {
    assert_rejected_with(devflow::test::flip_signature_byte(rs256_token(claims())),
                         "id_token rejected: signature does not verify");
}

void rejects_flipped_claims(void **) {
    const auto token = rs256_token(claims());
    const auto first = token.find('.');
    const auto second = token.find('.', first + 1);
    const auto forged = token.substr(0, first + 1) + encoded(claims_with({{"sub", "root"}})) + token.substr(second);
    assert_rejected_with(forged, "id_token rejected: signature does not verify");
}

void rejects_other_key_with_same_kid(void **) {
    assert_rejected_with(make_jws(header("RS256", "rsa1"), claims(), other_rsa_key(), "RS256"),
                         "id_token rejected: signature does not verify");
}

void rejects_pss_signature_labelled_rs256(void **) {
    assert_rejected_with(make_jws(header("RS256", "rsa1"), claims(), rsa_key(), "PS256"),
                         "id_token rejected: signature does not verify");
}

void rejects_der_ecdsa_signature(void **) {
    // 64 bytes R || S is the only JWS form; a DER signature is malformed.
    const auto token = make_jws(header("ES256", "ec1"), claims(), ec_key(), "ES256");
    const auto dot = token.rfind('.');
    const auto raw = *devflow::base64url_decode(std::string_view(token).substr(dot + 1));
    assert_rejected_with(token.substr(0, dot + 1) + devflow::base64url_encode("\x30\x44" + raw),
                         "id_token rejected: signature does not verify");
}

// An IdP that publishes a coordinate without its leading zero byte (31
// bytes): its ES256 tokens verify, with the key it really published.
void assert_verifies_with_short_coordinate(const char *member) {
    const TestKey key = devflow::test::p256_key_with_leading_zero(member);
    auto jwks = FakeJwks(std::vector<json>{rsa_key().jwk("rsa1"), without_leading_zero(key.jwk("ec31"), member)});
    const auto token = make_jws(header("ES256", "ec31"), claims(), key, "ES256");
    try {
        const auto verified = devflow::verify_id_token(token, policy(), jwks, now);
        assert_string_equal(verified.key_id.c_str(), "ec31");
    } catch (const devflow::Failure &failure) {
        fail_msg("%s", failure.what());
    }
    assert_int_equal(jwks.refresh_calls, 0);
}

void accepts_es256_key_with_x_short_of_its_leading_zero(void **) { assert_verifies_with_short_coordinate("x"); }

void accepts_es256_key_with_y_short_of_its_leading_zero(void **) { assert_verifies_with_short_coordinate("y"); }

// ---- kid and the JWKS refresh

void known_kid_does_not_refresh(void **) {
    auto jwks = standard_jwks();
    (void)devflow::verify_id_token(rs256_token(claims()), policy(), jwks, now);
    assert_int_equal(jwks.refresh_calls, 0);
}

void unknown_kid_found_after_refresh(void **) {
    auto jwks = FakeJwks({rsa_key().jwk("rsa1")}, {rsa_key().jwk("rsa1"), other_rsa_key().jwk("k2")});
    const auto token = make_jws(header("RS256", "k2"), claims(), other_rsa_key(), "RS256");
    assert_string_equal(devflow::verify_id_token(token, policy(), jwks, now).key_id.c_str(), "k2");
}

void unknown_kid_refreshes_exactly_once(void **) {
    auto jwks = FakeJwks(std::vector<json>{rsa_key().jwk("rsa1")});
    const auto token = make_jws(header("RS256", "k2"), claims(), other_rsa_key(), "RS256");
    (void)expect_failure([&] { (void)devflow::verify_id_token(token, policy(), jwks, now); });
    assert_int_equal(jwks.refresh_calls, 1);
}

void rejects_kid_unknown_after_refresh(void **) {
    assert_rejected_with(make_jws(header("RS256", "k2"), claims(), other_rsa_key(), "RS256"),
                         "id_token rejected: unknown key id \"k2\" (after refreshing the JWKS)");
}

// One quoting for every logged value (quote_for_log): '"' and '\\' escaped
// as such, the value cut after 128 bytes with "..." after the quotes.
void a_hostile_kid_is_quoted_like_every_logged_value(void **) {
    const std::string kid = "k\"\\\x1b[2J\n" + std::string(300, 'k');
    assert_rejected_with(
        make_jws(header("RS256", kid), claims(), other_rsa_key(), "RS256"),
        ("id_token rejected: unknown key id " + devflow::quote_for_log(kid) + " (after refreshing the JWKS)").c_str());
}

// A kid the JWKS has, with a key that cannot be used: the rejection names
// the kid and the reason, not "unknown key id".
void assert_unusable_kid_explained(const json &jwk, const std::string &alg, const TestKey &signer, const char *reason) {
    auto jwks = FakeJwks(std::vector<json>{rsa_key().jwk("rsa1"), jwk});
    const std::string kid = jwk.find("kid")->get<std::string>();
    const auto token = make_jws(header(alg, kid), claims(), signer, alg);
    const auto failure = expect_failure([&] { (void)devflow::verify_id_token(token, policy(), jwks, now); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    const std::string named = "key " + devflow::quote_for_log(kid) + " is in the JWKS but cannot be used: ";
    if (failure.message.find(named) == std::string::npos || failure.message.find(reason) == std::string::npos ||
        failure.message.find("unknown key id") != std::string::npos) {
        fail_msg("\"%s\" does not name the kid and \"%s\"", failure.message.c_str(), reason);
    }
}

void names_the_kid_of_an_encryption_key(void **) {
    assert_unusable_kid_explained(ec_key().jwk("enc1", {{"use", "enc"}}), "ES256", ec_key(),
                                  "\"use\" is \"enc\", not \"sig\"");
}

void names_the_kid_of_a_short_rsa_key(void **) {
    assert_unusable_kid_explained(rsa1024_key().jwk("weak"), "RS256", rsa1024_key(), "1024 bits");
}

void names_the_kid_of_a_coordinate_longer_than_the_field(void **) {
    const json jwk = ec_key().jwk("long");
    const auto x = devflow::base64url_decode(jwk.find("x")->get<std::string>());
    assert_unusable_kid_explained(ec_key().jwk("long", {{"x", devflow::base64url_encode(std::string(1, '\0') + *x)}}),
                                  "ES256", ec_key(), "\"x\" is 33 bytes, longer than the 32 of P-256");
}

void names_the_kid_of_a_point_off_the_curve(void **) {
    const json jwk = ec_key().jwk("off");
    auto y = devflow::base64url_decode(jwk.find("y")->get<std::string>());
    (*y)[31] = static_cast<char>((*y)[31] ^ 0x01);
    assert_unusable_kid_explained(ec_key().jwk("off", {{"y", devflow::base64url_encode(*y)}}), "ES256", ec_key(),
                                  "not on P-256");
}

void names_the_kid_of_an_unsupported_curve(void **) {
    assert_unusable_kid_explained(ec_key().jwk("p384", {{"crv", "P-384"}}), "ES256", ec_key(), "\"P-384\"");
}

// The kid's key is fine but of another kind than the header's alg needs.
void says_why_a_known_key_cannot_verify_the_alg(void **) {
    assert_rejected_containing(make_jws(header("ES256", "rsa1"), claims(), ec_key(), "ES256"),
                               "cannot verify ES256: it is an RSA key");
    auto jwks = FakeJwks(std::vector<json>{rsa_key().jwk("rs", {{"alg", "RS256"}})});
    const auto token = make_jws(header("PS256", "rs"), claims(), rsa_key(), "PS256");
    const auto failure = expect_failure([&] { (void)devflow::verify_id_token(token, policy(), jwks, now); });
    if (failure.message.find("key \"rs\" cannot verify PS256: its JWK \"alg\" is \"RS256\"") == std::string::npos) {
        fail_msg("\"%s\"", failure.message.c_str());
    }
}

void rejects_non_string_kid(void **) {
    assert_rejected_with(make_jws({{"alg", "RS256"}, {"kid", 1}}, claims(), rsa_key(), "RS256"),
                         "id_token rejected: kid is not a string");
}

void rejects_empty_kid(void **) {
    assert_rejected_with(make_jws({{"alg", "RS256"}, {"kid", ""}}, claims(), rsa_key(), "RS256"),
                         "id_token rejected: kid is empty");
}

// ---- algorithm confusion

void rejects_alg_none_with_empty_signature(void **) {
    assert_rejected_with(encoded({{"alg", "none"}}) + "." + encoded(claims()) + ".",
                         "id_token rejected: algorithm \"none\" is not allowed");
}

void rejects_alg_none_with_signature(void **) {
    const auto token = rs256_token(claims());
    const auto first = token.find('.');
    assert_rejected_with(encoded({{"alg", "none"}, {"kid", "rsa1"}}) + token.substr(first),
                         "id_token rejected: algorithm \"none\" is not allowed");
}

void rejects_alg_none_even_if_policy_allows_it(void **) {
    auto permissive = policy();
    permissive.allowed_algorithms.push_back("none");
    const auto message = rejection(encoded({{"alg", "none"}}) + "." + encoded(claims()) + ".", permissive);
    assert_string_equal(message.c_str(), "id_token rejected: algorithm \"none\" is not allowed");
}

void rejects_hs256_keyed_with_public_pem(void **) {
    assert_rejected_with(make_hs256_jws(header("HS256", "rsa1"), claims(), rsa_key().public_pem()),
                         "id_token rejected: algorithm \"HS256\" is not allowed");
}

void rejects_hs256_keyed_with_public_der_even_if_allowed(void **) {
    auto permissive = policy();
    permissive.allowed_algorithms.push_back("HS256");
    const auto message =
        rejection(make_hs256_jws(header("HS256", "rsa1"), claims(), rsa_key().public_der()), permissive);
    assert_string_equal(message.c_str(), "id_token rejected: algorithm \"HS256\" is not allowed");
}

void rejects_alg_outside_policy(void **) {
    auto strict = policy();
    strict.allowed_algorithms = {"ES256"};
    const auto message = rejection(rs256_token(claims()), strict);
    assert_string_equal(message.c_str(), "id_token rejected: algorithm \"RS256\" is not allowed");
}

void rejects_es256_header_with_rsa_key(void **) {
    assert_rejected_containing(make_jws(header("ES256", "rsa1"), claims(), ec_key(), "ES256"),
                               "id_token rejected: key \"rsa1\" cannot verify ES256");
}

void rejects_missing_alg(void **) {
    assert_rejected_with(make_jws({{"kid", "rsa1"}}, claims(), rsa_key(), "RS256"),
                         "id_token rejected: header has no alg string");
}

void rejects_crit_header(void **) {
    assert_rejected_with(
        make_jws({{"alg", "RS256"}, {"kid", "rsa1"}, {"crit", {"exp"}}, {"exp", 1}}, claims(), rsa_key(), "RS256"),
        "id_token rejected: header has crit, and no extension is supported");
}

// ---- issuer and audience

void rejects_wrong_issuer(void **) {
    assert_rejected_with(rs256_token(claims_with({{"iss", "http://evil"}})),
                         "id_token rejected: issuer \"http://evil\" is not the configured issuer "
                         "\"http://127.0.0.1:4000\"");
}

// Google documents iss as "https://accounts.google.com" or "accounts.google.com":
// the scheme-less form passes for exactly that configured issuer, and for no other.
void google_iss_without_scheme_passes_only_for_google(void **) {
    IdTokenPolicy google = policy();
    google.issuer = "https://accounts.google.com";
    auto jwks = standard_jwks();
    for (const char *iss : {"accounts.google.com", "https://accounts.google.com"}) {
        const auto verified = devflow::verify_id_token(rs256_token(claims_with({{"iss", iss}})), google, jwks, now);
        assert_string_equal(verified.claims["iss"].get<std::string>().c_str(), iss);
    }
    assert_true(
        rejection(rs256_token(claims_with({{"iss", "accounts.google.com."}})), google).find("is not the configured") !=
        std::string::npos);
    IdTokenPolicy other = policy();
    other.issuer = "https://idp.example";
    assert_true(rejection(rs256_token(claims_with({{"iss", "idp.example"}})), other).find("is not the configured") !=
                std::string::npos);
    IdTokenPolicy google_slash = policy();
    google_slash.issuer = "https://accounts.google.com/";
    assert_true(rejection(rs256_token(claims_with({{"iss", "accounts.google.com"}})), google_slash)
                    .find("is not the configured") != std::string::npos);
}

void rejects_issuer_with_trailing_slash(void **) {
    assert_rejected_containing(rs256_token(claims_with({{"iss", issuer + "/"}})), "is not the configured issuer");
}

void escapes_control_characters_in_messages(void **) {
    assert_rejected_containing(rs256_token(claims_with({{"iss", "a\nb"}})), "issuer \"a\\x0ab\"");
}

void rejects_wrong_audience(void **) {
    assert_rejected_with(rs256_token(claims_with({{"aud", "other-client"}})),
                         "id_token rejected: aud does not contain the client_id \"pam-client\"");
}

void rejects_audience_of_wrong_type(void **) {
    assert_rejected_with(rs256_token(claims_with({{"aud", 5}})),
                         "id_token rejected: aud is neither a string nor an array");
}

void accepts_audience_array_of_one(void **) {
    const auto verified = verify(rs256_token(claims_with({{"aud", {client_id}}})));
    assert_string_equal(verified.algorithm.c_str(), "RS256");
}

void rejects_audience_array_without_azp(void **) {
    assert_rejected_with(rs256_token(claims_with({{"aud", {client_id, "api"}}})),
                         "id_token rejected: aud has 2 values but there is no azp");
}

void accepts_audience_array_with_azp(void **) {
    const auto verified = verify(rs256_token(claims_with({{"aud", {"api", client_id}}, {"azp", client_id}})));
    assert_string_equal(verified.key_id.c_str(), "rsa1");
}

void rejects_azp_mismatch(void **) {
    assert_rejected_with(rs256_token(claims_with({{"azp", "other-client"}})),
                         "id_token rejected: azp \"other-client\" is not the client_id \"pam-client\"");
}

// ---- times

void rejects_expired(void **) {
    assert_rejected_with(rs256_token(claims_with({{"exp", now_seconds - 3600}})),
                         "id_token rejected: expired 3600 s ago (clock_skew 60 s)");
}

void accepts_expired_within_skew(void **) {
    const auto verified = verify(rs256_token(claims_with({{"exp", now_seconds - 30}})));
    assert_string_equal(verified.algorithm.c_str(), "RS256");
}

void rejects_expired_exactly_at_skew(void **) {
    assert_rejected_with(rs256_token(claims_with({{"exp", now_seconds - 60}})),
                         "id_token rejected: expired 60 s ago (clock_skew 60 s)");
}

void rejects_future_nbf(void **) {
    assert_rejected_with(rs256_token(claims_with({{"nbf", now_seconds + 300}})),
                         "id_token rejected: not valid for another 300 s (clock_skew 60 s)");
}

void accepts_nbf_within_skew(void **) {
    const auto verified = verify(rs256_token(claims_with({{"nbf", now_seconds + 30}})));
    assert_string_equal(verified.algorithm.c_str(), "RS256");
}

void rejects_iat_in_future(void **) {
    assert_rejected_with(rs256_token(claims_with({{"iat", now_seconds + 300}})),
                         "id_token rejected: issued 300 s in the future (clock_skew 60 s)");
}

void rejects_missing_exp(void **) {
    assert_rejected_with(rs256_token(claims_without("exp")), "id_token rejected: missing exp");
}

void rejects_missing_iat(void **) {
    assert_rejected_with(rs256_token(claims_without("iat")), "id_token rejected: missing iat");
}

void rejects_non_numeric_exp(void **) {
    assert_rejected_with(rs256_token(claims_with({{"exp", std::to_string(now_seconds + 300)}})),
                         "id_token rejected: exp is not a number");
}

void rejects_boolean_exp(void **) {
    assert_rejected_with(rs256_token(claims_with({{"exp", true}})), "id_token rejected: exp is not a number");
}

void rejects_huge_exp(void **) {
    assert_rejected_with(rs256_token(claims_with({{"exp", 1e300}})), "id_token rejected: exp is out of range");
}

void accepts_fractional_exp(void **) {
    const auto verified = verify(rs256_token(claims_with({{"exp", now_seconds + 0.5}})));
    assert_string_equal(verified.algorithm.c_str(), "RS256");
}

// ---- subject

void rejects_missing_sub(void **) {
    assert_rejected_with(rs256_token(claims_without("sub")), "id_token rejected: missing sub");
}

void rejects_empty_sub(void **) {
    assert_rejected_with(rs256_token(claims_with({{"sub", ""}})), "id_token rejected: sub is empty");
}

// ---- structure

void rejects_two_parts(void **) {
    assert_rejected_with(encoded(header("RS256", "rsa1")) + "." + encoded(claims()),
                         "id_token rejected: not a compact JWS of three dot-separated parts");
}

void rejects_four_parts(void **) {
    assert_rejected_with(rs256_token(claims()) + ".AAAA",
                         "id_token rejected: not a compact JWS of three dot-separated parts");
}

void rejects_bad_base64_header(void **) {
    const auto token = rs256_token(claims());
    assert_rejected_with("e30*" + token.substr(token.find('.')), "id_token rejected: header is not valid base64url");
}

void rejects_bad_base64_signature(void **) {
    assert_rejected_with(rs256_token(claims()) + "+", "id_token rejected: signature is not valid base64url");
}

void rejects_header_not_json(void **) {
    assert_rejected_with(make_jws_text("{\"alg\":\"RS256\"", claims().dump(), rsa_key(), "RS256"),
                         "id_token rejected: header is not JSON");
}

void rejects_header_array(void **) {
    assert_rejected_with(make_jws_text("[\"RS256\"]", claims().dump(), rsa_key(), "RS256"),
                         "id_token rejected: header is not a JSON object");
}

void rejects_claims_array(void **) {
    assert_rejected_with(
        make_jws_text(header("RS256", "rsa1").dump(), json::array({claims()}).dump(), rsa_key(), "RS256"),
        "id_token rejected: claims set is not a JSON object");
}

void rejects_token_over_16_kib(void **) {
    const auto token = rs256_token(claims_with({{"padding", std::string(16 * 1024, 'a')}}));
    assert_rejected_with(
        token,
        ("id_token rejected: token is " + std::to_string(token.size()) + " bytes, over the 16384 byte limit").c_str());
}

void rejects_policy_without_issuer(void **) {
    auto jwks = standard_jwks();
    auto incomplete = policy();
    incomplete.issuer.clear();
    const auto failure =
        expect_failure([&] { (void)devflow::verify_id_token(rs256_token(claims()), incomplete, jwks, now); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::config_error));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_rs256),
        cmocka_unit_test(accepts_ps256),
        cmocka_unit_test(accepts_es256),
        cmocka_unit_test(accepts_eddsa),
        cmocka_unit_test(without_kid_tries_keys_for_alg),
        cmocka_unit_test(rejects_flipped_signature_byte),
        cmocka_unit_test(rejects_flipped_claims),
        cmocka_unit_test(rejects_other_key_with_same_kid),
        cmocka_unit_test(rejects_pss_signature_labelled_rs256),
        cmocka_unit_test(rejects_der_ecdsa_signature),
        cmocka_unit_test(accepts_es256_key_with_x_short_of_its_leading_zero),
        cmocka_unit_test(accepts_es256_key_with_y_short_of_its_leading_zero),
        cmocka_unit_test(known_kid_does_not_refresh),
        cmocka_unit_test(unknown_kid_found_after_refresh),
        cmocka_unit_test(unknown_kid_refreshes_exactly_once),
        cmocka_unit_test(rejects_kid_unknown_after_refresh),
        cmocka_unit_test(a_hostile_kid_is_quoted_like_every_logged_value),
        cmocka_unit_test(names_the_kid_of_an_encryption_key),
        cmocka_unit_test(names_the_kid_of_a_short_rsa_key),
        cmocka_unit_test(names_the_kid_of_a_coordinate_longer_than_the_field),
        cmocka_unit_test(names_the_kid_of_a_point_off_the_curve),
        cmocka_unit_test(names_the_kid_of_an_unsupported_curve),
        cmocka_unit_test(says_why_a_known_key_cannot_verify_the_alg),
        cmocka_unit_test(rejects_non_string_kid),
        cmocka_unit_test(rejects_empty_kid),
        cmocka_unit_test(rejects_alg_none_with_empty_signature),
        cmocka_unit_test(rejects_alg_none_with_signature),
        cmocka_unit_test(rejects_alg_none_even_if_policy_allows_it),
        cmocka_unit_test(rejects_hs256_keyed_with_public_pem),
        cmocka_unit_test(rejects_hs256_keyed_with_public_der_even_if_allowed),
        cmocka_unit_test(rejects_alg_outside_policy),
        cmocka_unit_test(rejects_es256_header_with_rsa_key),
        cmocka_unit_test(rejects_missing_alg),
        cmocka_unit_test(rejects_crit_header),
        cmocka_unit_test(rejects_wrong_issuer),
        cmocka_unit_test(rejects_issuer_with_trailing_slash),
        cmocka_unit_test(google_iss_without_scheme_passes_only_for_google),
        cmocka_unit_test(escapes_control_characters_in_messages),
        cmocka_unit_test(rejects_wrong_audience),
        cmocka_unit_test(rejects_audience_of_wrong_type),
        cmocka_unit_test(accepts_audience_array_of_one),
        cmocka_unit_test(rejects_audience_array_without_azp),
        cmocka_unit_test(accepts_audience_array_with_azp),
        cmocka_unit_test(rejects_azp_mismatch),
        cmocka_unit_test(rejects_expired),
        cmocka_unit_test(accepts_expired_within_skew),
        cmocka_unit_test(rejects_expired_exactly_at_skew),
        cmocka_unit_test(rejects_future_nbf),
        cmocka_unit_test(accepts_nbf_within_skew),
        cmocka_unit_test(rejects_iat_in_future),
        cmocka_unit_test(rejects_missing_exp),
        cmocka_unit_test(rejects_missing_iat),
        cmocka_unit_test(rejects_non_numeric_exp),
        cmocka_unit_test(rejects_boolean_exp),
        cmocka_unit_test(rejects_huge_exp),
        cmocka_unit_test(accepts_fractional_exp),
        cmocka_unit_test(rejects_missing_sub),
        cmocka_unit_test(rejects_empty_sub),
        cmocka_unit_test(rejects_two_parts),
        cmocka_unit_test(rejects_four_parts),
        cmocka_unit_test(rejects_bad_base64_header),
        cmocka_unit_test(rejects_bad_base64_signature),
        cmocka_unit_test(rejects_header_not_json),
        cmocka_unit_test(rejects_header_array),
        cmocka_unit_test(rejects_claims_array),
        cmocka_unit_test(rejects_token_over_16_kib),
        cmocka_unit_test(rejects_policy_without_issuer),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
