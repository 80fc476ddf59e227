// SPDX-License-Identifier: Apache-2.0
// The untrusted stage's log lines (issue 8): the discovery document's issuer
// and the id_token's kid reach the log only quoted, with a recording logger
// that keeps the debug lines too.
#include "base/log_text.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "oidc/oidc_login.hpp"
#include "test_keys.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "expect_failure.hpp"
#include "log_checks.hpp"  // with cmocka: last

using namespace devflow;
using devflow::test::assert_contains;
using devflow::test::assert_log_line_safe;
using devflow::test::expect_failure;
using devflow::test::FakeTransport;
using devflow::test::KeyKind;
using devflow::test::kHostileText;
using devflow::test::RecordingLogger;
using devflow::test::TestKey;
using Json = nlohmann::json;

namespace {

const std::string kIssuer = "https://idp.test/realms/corp";
const std::string kDiscovery = kIssuer + "/.well-known/openid-configuration";
const std::string kJwks = kIssuer + "/jwks";

struct Stage {
    TestKey key{KeyKind::rsa2048};
    FakeTransport transport;
    FakeClock clock;
    RecordingLogger logger;
    OidcProviderConfig provider;

    Stage() {
        provider.name = "corp";
        provider.issuer = kIssuer;
        provider.client_id = "bastion";
    }

    void serve_discovery(const std::string &issuer) {
        transport.answer(kDiscovery, 200,
                         Json{{"issuer", issuer},
                              {"device_authorization_endpoint", kIssuer + "/device"},
                              {"token_endpoint", kIssuer + "/token"},
                              {"jwks_uri", kJwks}}
                             .dump());
    }

    std::string id_token(const std::string &kid) {
        const long now = std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
        const Json claims = {{"iss", kIssuer}, {"aud", "bastion"}, {"sub", "u-1"}, {"iat", now}, {"exp", now + 300}};
        return devflow::test::make_jws({{"alg", "RS256"}, {"kid", kid}}, claims, key, "RS256");
    }

    Json verify(const std::string &token) {
        return verify_provider_id_token(provider, token, transport, nullptr, clock, logger);
    }

    void assert_every_line_safe() const {
        for (const auto &[level, line] : logger.lines) assert_log_line_safe(line);
    }
};

void a_verified_hostile_kid_is_quoted_in_the_debug_line(void **) {
    Stage stage;
    stage.serve_discovery(kIssuer);
    stage.transport.answer(kJwks, 200, devflow::test::jwks_document({stage.key.jwk(kHostileText)}));
    const Json claims = stage.verify(stage.id_token(kHostileText));
    assert_string_equal(claims.value("sub", "").c_str(), "u-1");
    assert_true(stage.logger.contains("id_token verified (RS256, kid " + quote_for_log(kHostileText) + ")"));
    stage.assert_every_line_safe();
}

void an_unknown_hostile_kid_is_quoted_in_the_failure(void **) {
    Stage stage;
    stage.serve_discovery(kIssuer);
    stage.transport.answer(kJwks, 200, devflow::test::jwks_document({stage.key.jwk("k1")}));
    const auto failure = expect_failure([&] { stage.verify(stage.id_token(kHostileText)); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    assert_log_line_safe(failure.message);
    assert_contains(failure.message, "unknown key id " + quote_for_log(kHostileText));
    assert_int_equal(stage.transport.count(kJwks), 2);  // refetched once for the unknown kid
    stage.assert_every_line_safe();
}

// A JWKS key whose x lacks its leading zero byte verifies, and the debug
// line of the verification says so, once, for the admin to tell the IdP.
void a_short_ec_coordinate_is_noted_once_at_debug(void **) {
    Stage stage;
    stage.serve_discovery(kIssuer);
    const TestKey ec = devflow::test::p256_key_with_leading_zero("x");
    stage.transport.answer(kJwks, 200,
                           devflow::test::jwks_document({devflow::test::without_leading_zero(ec.jwk("ec31"), "x")}));
    const long now = std::chrono::duration_cast<std::chrono::seconds>(stage.clock.now().time_since_epoch()).count();
    const Json claims = {{"iss", kIssuer}, {"aud", "bastion"}, {"sub", "u-1"}, {"iat", now}, {"exp", now + 300}};
    stage.verify(devflow::test::make_jws({{"alg", "ES256"}, {"kid", "ec31"}}, claims, ec, "ES256"));
    std::size_t noted = 0;
    for (const auto &[level, line] : stage.logger.lines) {
        if (line.find("left-padded") == std::string::npos) continue;
        ++noted;
        assert_true(level == LogLevel::debug);
        assert_string_equal(line.c_str(),
                            "id_token verified (ES256, kid \"ec31\"; its JWK's \"x\" is 31 bytes, "
                            "left-padded to the 32 of P-256)");
    }
    assert_int_equal(noted, 1);
}

// A kid the JWKS has but whose key is unusable: the failure (the login's log
// line) names the kid and why, quoted, and does not say "unknown key id".
void an_unusable_hostile_key_is_named_with_its_reason(void **) {
    Stage stage;
    stage.serve_discovery(kIssuer);
    stage.transport.answer(kJwks, 200, devflow::test::jwks_document({stage.key.jwk(kHostileText, {{"use", "enc"}})}));
    const auto failure = expect_failure([&] { stage.verify(stage.id_token(kHostileText)); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    assert_log_line_safe(failure.message);
    assert_contains(failure.message, "id_token rejected: key " + quote_for_log(kHostileText) +
                                         " is in the JWKS but cannot be used: \"use\" is \"enc\", not \"sig\"");
    assert_int_equal(stage.transport.count(kJwks), 2);  // refetched once: the IdP may have fixed it
    stage.assert_every_line_safe();
}

void a_hostile_discovery_issuer_is_quoted_in_the_failure(void **) {
    Stage stage;
    stage.serve_discovery(kHostileText);
    const auto failure = expect_failure([&] { stage.verify(stage.id_token("k1")); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    assert_log_line_safe(failure.message);
    assert_contains(failure.message, "discovery document names issuer " + quote_for_log(kHostileText) +
                                         ", not the configured " + quote_for_log(kIssuer));
    assert_int_equal(stage.transport.count(kJwks), 0);
    stage.assert_every_line_safe();
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(a_verified_hostile_kid_is_quoted_in_the_debug_line),
        cmocka_unit_test(an_unknown_hostile_kid_is_quoted_in_the_failure),
        cmocka_unit_test(a_short_ec_coordinate_is_noted_once_at_debug),
        cmocka_unit_test(an_unusable_hostile_key_is_named_with_its_reason),
        cmocka_unit_test(a_hostile_discovery_issuer_is_quoted_in_the_failure),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
