// SPDX-License-Identifier: Apache-2.0
// The OIDC side of RFC 8628: what is sent, and how every kind of answer
// (good, RFC errors, malformed, hostile) is read.
#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "fake_clock.hpp"
#include "fake_transport.hpp"
#include "oidc/oidc_device_client.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "expect_failure.hpp"
#include "log_checks.hpp"  // with cmocka: last

using namespace devflow;
using devflow::test::assert_log_line_safe;
using devflow::test::expect_failure;
using devflow::test::FakeTransport;
using devflow::test::kHostileText;

namespace {

const char *const kDevice = "https://idp.example/device/auth";
const char *const kToken = "https://idp.example/token";

const char *const kGoodDevice = R"({"device_code":"dc-123","user_code":"WDJB-MJHT",
  "verification_uri":"https://idp.example/device",
  "verification_uri_complete":"https://idp.example/device?user_code=WDJB-MJHT",
  "expires_in":600,"interval":3})";

OidcDeviceClient make_client(FakeTransport &transport, FakeClock &clock, const char *secret = "") {
    OidcEndpoints endpoints{"https://idp.example", kDevice, kToken, "https://idp.example/jwks"};
    OidcClientSettings settings;
    settings.authentication = *secret == '\0' ? ClientAuthentication::public_client("bastion")
                                              : ClientAuthentication::with_secret(ClientAuthMethod::client_secret_post,
                                                                                  "bastion", Secret(secret));
    settings.scopes = {"openid", "profile", "email"};
    return OidcDeviceClient(endpoints, std::move(settings), transport, clock);
}

Outcome outcome_of_device_answer(const std::string &body) {
    try {
        parse_device_authorization(body);
    } catch (const Failure &failure) {
        return failure.outcome();
    }
    return Outcome::success;
}

Outcome outcome_of_token_answer(long status, const std::string &body) {
    try {
        parse_token_answer(status, body, FakeClock::default_start());
    } catch (const Failure &failure) {
        return failure.outcome();
    }
    return Outcome::success;
}

#define assert_outcome(actual, expected) assert_int_equal(static_cast<int>(actual), static_cast<int>(Outcome::expected))

void device_request_sends_client_id_and_scopes(void **) {
    FakeTransport transport;
    FakeClock clock;
    transport.answer(kDevice, 200, kGoodDevice);
    auto client = make_client(transport, clock);
    DeviceAuthorization authorization = client.start();
    assert_string_equal(transport.sent().at(0).method.c_str(), "POST");
    assert_string_equal(transport.sent().at(0).body.c_str(), "client_id=bastion&scope=openid+profile+email");
    assert_string_equal(authorization.device_code.reveal().c_str(), "dc-123");
    assert_string_equal(authorization.user_code.c_str(), "WDJB-MJHT");
    assert_int_equal(authorization.interval.count(), 3);
    assert_int_equal(authorization.expires_in.count(), 600);
}

void confidential_clients_send_their_secret(void **) {
    FakeTransport transport;
    FakeClock clock;
    transport.answer(kDevice, 200, kGoodDevice);
    transport.answer(kToken, 400, R"({"error":"authorization_pending"})");
    auto client = make_client(transport, clock, "s3cret&=");
    DeviceAuthorization authorization = client.start();
    client.poll(authorization);
    assert_string_equal(transport.sent().at(0).body.c_str(),
                        "client_id=bastion&client_secret=s3cret%26%3D&scope=openid+profile+email");
    assert_string_equal(transport.sent().at(1).body.c_str(),
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
                        "&device_code=dc-123&client_id=bastion&client_secret=s3cret%26%3D");
}

void a_missing_interval_means_five_seconds(void **) {
    auto authorization = parse_device_authorization(
        R"({"device_code":"d","user_code":"U","verification_uri":"https://i/d","expires_in":600})");
    assert_int_equal(authorization.interval.count(), 5);
    assert_true(authorization.verification_uri_complete.empty());
}

void numbers_as_strings_are_accepted(void **) {
    auto authorization = parse_device_authorization(
        R"({"device_code":"d","user_code":"U","verification_url":"https://i/d","expires_in":"1800","interval":"5"})");
    assert_int_equal(authorization.expires_in.count(), 1800);
    assert_string_equal(authorization.verification_uri.c_str(), "https://i/d");
}

void loopback_http_is_allowed(void **) {
    auto authorization = parse_device_authorization(
        R"({"device_code":"d","user_code":"U","verification_uri":"http://127.0.0.1:3000/device","expires_in":60})");
    assert_string_equal(authorization.verification_uri.c_str(), "http://127.0.0.1:3000/device");
}

void hostile_device_answers_are_refused(void **) {
    const std::vector<std::string> hostile = {
        "<html>",
        "[]",
        R"({"user_code":"U","verification_uri":"https://i/d","expires_in":60})",
        R"({"device_code":"d","user_code":"U\u001b[2J","verification_uri":"https://i/d","expires_in":60})",
        R"J({"device_code":"d","user_code":"U","verification_uri":"javascript:alert(1)","expires_in":60})J",
        R"({"device_code":"d","user_code":"U","verification_uri":"http://evil.example/d","expires_in":60})",
        R"({"device_code":"d","user_code":"U","verification_uri":"https://i/d\u001b]8;;x","expires_in":60})",
        R"({"device_code":"d","user_code":"U","verification_uri":"https://i/d"})",
        R"({"device_code":"d","user_code":"U","verification_uri":"https://i/d","expires_in":-1})",
        R"({"device_code":"d","user_code":"U","verification_uri":"https://i/d","expires_in":60,"interval":99999})",
        R"({"device_code":"d","user_code":"U","verification_uri":"https://i/d","expires_in":1.5})",
        std::string(R"({"device_code":"d","user_code":")") + std::string(100, 'A') +
            R"(","verification_uri":"https://i/d","expires_in":60})",
    };
    for (const auto &body : hostile) {
        if (outcome_of_device_answer(body) != Outcome::unavailable) {
            fail_msg("accepted: %s", body.c_str());
        }
    }
}

void an_unsafe_complete_uri_is_dropped_not_shown(void **) {
    auto authorization = parse_device_authorization(
        R"({"device_code":"d","user_code":"U","verification_uri":"https://i/d","verification_uri_complete":"http://evil.example/x","expires_in":60})");
    assert_true(authorization.verification_uri_complete.empty());
}

void rfc8628_errors_map_to_poll_states(void **) {
    const auto now = FakeClock::default_start();
    assert_int_equal(static_cast<int>(parse_token_answer(400, R"({"error":"authorization_pending"})", now).status),
                     static_cast<int>(PollStatus::pending));
    assert_int_equal(static_cast<int>(parse_token_answer(400, R"({"error":"slow_down"})", now).status),
                     static_cast<int>(PollStatus::slow_down));
    assert_int_equal(static_cast<int>(parse_token_answer(400, R"({"error":"access_denied"})", now).status),
                     static_cast<int>(PollStatus::denied));
    assert_int_equal(static_cast<int>(parse_token_answer(400, R"({"error":"expired_token"})", now).status),
                     static_cast<int>(PollStatus::expired));
}

// Entra ID's names: a "no" is a denial, an unknown device code an ended one.
void entra_errors_map_to_poll_states(void **) {
    const auto now = FakeClock::default_start();
    assert_int_equal(static_cast<int>(parse_token_answer(400, R"({"error":"authorization_declined"})", now).status),
                     static_cast<int>(PollStatus::denied));
    assert_int_equal(static_cast<int>(parse_token_answer(400, R"({"error":"bad_verification_code"})", now).status),
                     static_cast<int>(PollStatus::expired));
}

// Auth0 answers slow_down with HTTP 429; a rate limiter in front of an IdP
// says 429 without a JSON body: both slow the polling down.
void http_429_slows_down(void **) {
    const auto now = FakeClock::default_start();
    assert_int_equal(static_cast<int>(parse_token_answer(429, R"({"error":"slow_down"})", now).status),
                     static_cast<int>(PollStatus::slow_down));
    assert_int_equal(static_cast<int>(parse_token_answer(429, "", now).status),
                     static_cast<int>(PollStatus::slow_down));
    assert_int_equal(static_cast<int>(parse_token_answer(429, "<html>Too Many Requests</html>", now).status),
                     static_cast<int>(PollStatus::slow_down));
    // Google's authorization_pending comes as HTTP 428.
    assert_int_equal(static_cast<int>(parse_token_answer(428, R"({"error":"authorization_pending"})", now).status),
                     static_cast<int>(PollStatus::pending));
    // A 429 that names another error is that error.
    assert_outcome(outcome_of_token_answer(429, R"({"error":"invalid_grant"})"), unavailable);
}

void other_errors_stop_as_unavailable(void **) {
    assert_outcome(outcome_of_token_answer(400, R"({"error":"invalid_grant"})"), unavailable);
    assert_outcome(outcome_of_token_answer(401, R"({"error":"invalid_client"})"), unavailable);
    assert_outcome(outcome_of_token_answer(500, "<html>oops</html>"), unavailable);
    assert_outcome(outcome_of_token_answer(400, R"({"message":"no error code"})"), unavailable);
}

void an_approved_answer_yields_tokens(void **) {
    const auto now = FakeClock::default_start();
    PollResult result = parse_token_answer(
        200,
        R"({"access_token":"at","refresh_token":"rt","id_token":"it","token_type":"Bearer","expires_in":300,"scope":"openid"})",
        now);
    assert_int_equal(static_cast<int>(result.status), static_cast<int>(PollStatus::approved));
    assert_string_equal(result.tokens.access_token.reveal().c_str(), "at");
    assert_string_equal(result.tokens.refresh_token.reveal().c_str(), "rt");
    assert_string_equal(result.tokens.id_token.reveal().c_str(), "it");
    assert_string_equal(result.tokens.token_type.c_str(), "Bearer");
    assert_true(result.tokens.expires_at == now + Seconds(300));
}

void a_malformed_approved_answer_is_refused(void **) {
    assert_outcome(outcome_of_token_answer(200, "not json"), unavailable);
    assert_outcome(outcome_of_token_answer(200, R"({"token_type":"Bearer"})"), unavailable);
    assert_outcome(outcome_of_token_answer(200, R"({"access_token":"at"})"), unavailable);
    assert_outcome(outcome_of_token_answer(200, R"({"access_token":42,"token_type":"Bearer"})"), unavailable);
}

void a_refused_device_request_is_unavailable_with_the_error_code(void **) {
    FakeTransport transport;
    FakeClock clock;
    transport.answer(kDevice, 400, R"({"error":"unauthorized_client","error_description":"no"})");
    auto client = make_client(transport, clock);
    try {
        client.start();
        fail_msg("no failure");
    } catch (const Failure &failure) {
        assert_outcome(failure.outcome(), unavailable);
        assert_non_null(std::strstr(failure.what(), "HTTP 400 (\"unauthorized_client\")"));
    }
}

// Error codes are the IdP's text: quoted for the log (issue 8), never the raw
// bytes and never only "terminal-sanitized" (that keeps non-ASCII and drops
// what the admin would need to see).
void a_hostile_token_error_code_is_quoted(void **) {
    const std::string body = nlohmann::json{{"error", kHostileText}}.dump();
    const auto failure = expect_failure([&] { parse_token_answer(400, body, FakeClock::default_start()); });
    assert_outcome(failure.outcome, unavailable);
    assert_log_line_safe(failure.message);
    assert_string_equal(failure.message.c_str(),
                        ("token endpoint answered error " + quote_for_log(kHostileText, 64)).c_str());
}

void a_hostile_device_error_code_is_quoted(void **) {
    FakeTransport transport;
    FakeClock clock;
    transport.answer(kDevice, 400, nlohmann::json{{"error", kHostileText}}.dump());
    auto client = make_client(transport, clock);
    const auto failure = expect_failure([&] { client.start(); });
    assert_outcome(failure.outcome, unavailable);
    assert_log_line_safe(failure.message);
    assert_string_equal(
        failure.message.c_str(),
        ("device authorization request answered HTTP 400 (" + quote_for_log(kHostileText, 64) + ")").c_str());
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(device_request_sends_client_id_and_scopes),
        cmocka_unit_test(confidential_clients_send_their_secret),
        cmocka_unit_test(a_missing_interval_means_five_seconds),
        cmocka_unit_test(numbers_as_strings_are_accepted),
        cmocka_unit_test(loopback_http_is_allowed),
        cmocka_unit_test(hostile_device_answers_are_refused),
        cmocka_unit_test(an_unsafe_complete_uri_is_dropped_not_shown),
        cmocka_unit_test(rfc8628_errors_map_to_poll_states),
        cmocka_unit_test(entra_errors_map_to_poll_states),
        cmocka_unit_test(http_429_slows_down),
        cmocka_unit_test(other_errors_stop_as_unavailable),
        cmocka_unit_test(an_approved_answer_yields_tokens),
        cmocka_unit_test(a_malformed_approved_answer_is_refused),
        cmocka_unit_test(a_hostile_token_error_code_is_quoted),
        cmocka_unit_test(a_hostile_device_error_code_is_quoted),
        cmocka_unit_test(a_refused_device_request_is_unavailable_with_the_error_code),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
