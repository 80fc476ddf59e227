// SPDX-License-Identifier: Apache-2.0
// `pam-device-flow check` for an oidc provider (reach_oidc_provider): what it
// says about the JWKS. A key the module skips is named with the reason a
// login's log line would give; a key it accepts only after padding a short
// EC coordinate is named too.
#include "base/log_text.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "oidc/oidc_check.hpp"
#include "test_keys.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <utility>
#include <vector>

#include "expect_failure.hpp"
#include "log_checks.hpp"  // with cmocka: last

using namespace devflow;
using devflow::test::assert_contains;
using devflow::test::assert_log_line_safe;
using devflow::test::expect_failure;
using devflow::test::FakeTransport;
using devflow::test::jwks_document;
using devflow::test::KeyKind;
using devflow::test::kHostileText;
using devflow::test::RecordingLogger;
using devflow::test::TestKey;
using Json = nlohmann::json;

namespace {

const std::string kIssuer = "https://idp.test/realms/corp";

class RecordingReport final : public CheckReport {
public:
    void row(const char *name, const std::string &value) override { rows.emplace_back(name, value); }

    // Every row as "name: value", one a line.
    std::string text() const {
        std::string out;
        for (const auto &[name, value] : rows) out += name + ": " + value + "\n";
        return out;
    }

    std::vector<std::pair<std::string, std::string>> rows;
};

const TestKey &ec_key() {
    static const TestKey key(KeyKind::p256);
    return key;
}

// Discovery for kIssuer, and `jwks` at its jwks_uri.
FakeTransport idp_publishing(const std::vector<Json> &jwks) {
    FakeTransport transport;
    transport.answer(kIssuer + "/.well-known/openid-configuration", 200,
                     Json{{"issuer", kIssuer},
                          {"device_authorization_endpoint", kIssuer + "/device"},
                          {"token_endpoint", kIssuer + "/token"},
                          {"jwks_uri", kIssuer + "/jwks"}}
                         .dump());
    transport.answer(kIssuer + "/jwks", 200, jwks_document(jwks));
    return transport;
}

OidcProviderConfig provider() {
    OidcProviderConfig config;
    config.name = "corp";
    config.issuer = kIssuer;
    config.client_id = "bastion";
    return config;
}

// reach_oidc_provider that must succeed: a Failure fails the test.
void reach(RecordingReport &report, FakeTransport &transport) {
    RecordingLogger logger;
    try {
        reach_oidc_provider(report, provider(), transport, logger);
    } catch (const Failure &failure) {
        fail_msg("check failed: %s", failure.what());
    }
}

void names_skipped_keys_and_padded_ones(void **) {
    const TestKey short_x = devflow::test::p256_key_with_leading_zero("x");
    FakeTransport transport = idp_publishing({ec_key().jwk("enc1", {{"use", "enc"}}),
                                              devflow::test::without_leading_zero(short_x.jwk("ec31"), "x"),
                                              ec_key().jwk("p384", {{"crv", "P-384"}})});
    RecordingReport report;
    reach(report, transport);
    const std::string text = report.text();
    assert_contains(text, "jwks: OK: 1 usable key at " + kIssuer + "/jwks");
    assert_contains(text, "jwks key: \"ec31\" accepted: \"x\" is 31 bytes, left-padded to the 32 of P-256");
    assert_contains(text, "jwks skipped: \"enc1\": \"use\" is \"enc\", not \"sig\"");
    assert_contains(text, "jwks skipped: \"p384\": curve \"P-384\" is not supported for EC (only P-256)");
}

void a_jwks_without_usable_keys_says_why_each_was_skipped(void **) {
    FakeTransport transport = idp_publishing({ec_key().jwk("enc1", {{"use", "enc"}})});
    RecordingReport report;
    RecordingLogger logger;
    const auto failure = expect_failure([&] { reach_oidc_provider(report, provider(), transport, logger); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    assert_contains(failure.message, "has no usable signing key");
    assert_contains(report.text(), "jwks skipped: \"enc1\": \"use\" is \"enc\", not \"sig\"");
}

// The kid and the values in a reason come from the IdP: quoted, like every
// logged value, so the rows cannot act on the admin's terminal.
void hostile_jwk_values_are_quoted(void **) {
    FakeTransport transport = idp_publishing({ec_key().jwk(kHostileText, {{"use", kHostileText}}), ec_key().jwk("ok")});
    RecordingReport report;
    reach(report, transport);
    assert_contains(report.text(), "jwks skipped: " + quote_for_log(kHostileText) + ": \"use\" is ");
    for (const auto &[name, value] : report.rows) assert_log_line_safe(value);
}

void lists_at_most_ten_skipped_keys(void **) {
    std::vector<Json> keys{ec_key().jwk("ok")};
    for (int i = 0; i < 12; ++i) keys.push_back(ec_key().jwk("enc" + std::to_string(i), {{"use", "enc"}}));
    FakeTransport transport = idp_publishing(keys);
    RecordingReport report;
    reach(report, transport);
    std::size_t skipped_rows = 0;
    for (const auto &row : report.rows) {
        if (row.first == "jwks skipped") ++skipped_rows;
    }
    assert_int_equal(skipped_rows, 11);
    assert_contains(report.text(), "jwks skipped: ... and 2 more");
}

// Google refuses a device client without its secret: check says so before
// the first login does.
void warns_of_a_google_client_without_a_secret(void **) {
    OidcProviderConfig google = provider();
    google.issuer = "https://accounts.google.com";
    RecordingReport without;
    report_oidc_settings(without, Config{}, google);
    assert_contains(without.text(), "WARNING: Google requires the client secret even for device clients");

    google.client_secret_file = "/etc/pam_device_flow/google.secret";
    google.token_endpoint_auth_method = TokenEndpointAuthMethod::none;  // so that check does not read it
    RecordingReport with;
    report_oidc_settings(with, Config{}, google);
    assert_true(with.text().find("WARNING") == std::string::npos);
    RecordingReport other;
    report_oidc_settings(other, Config{}, provider());
    assert_true(other.text().find("WARNING") == std::string::npos);
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_skipped_keys_and_padded_ones),
        cmocka_unit_test(a_jwks_without_usable_keys_says_why_each_was_skipped),
        cmocka_unit_test(hostile_jwk_values_are_quoted),
        cmocka_unit_test(lists_at_most_ten_skipped_keys),
        cmocka_unit_test(warns_of_a_google_client_without_a_secret),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
