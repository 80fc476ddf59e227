// SPDX-License-Identifier: Apache-2.0
// Renewing an aws-sso token with its refresh token under the registration it
// came with: the request, what is kept and replaced, and which refusals mean
// "log in again" (denied) rather than "AWS is unavailable".
#include "aws/aws_token_refresh.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "test_files.hpp"

#include <nlohmann/json.hpp>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::FakeTransport;
using devflow::test::RecordingLogger;

namespace {

const std::string kOidc = "https://oidc.example";
const std::string kToken = kOidc + "/token";
const std::string kErrorNs = ":http://internal.amazon.com/coral/com.amazonaws.ssooidc/";

AwsCliCacheEntry cached(FakeClock &clock) {
    AwsCliCacheEntry entry;
    entry.sso_session = "corp";
    entry.start_url = "https://d-1234567890.awsapps.com/start";
    entry.region = "us-east-1";
    entry.access_token = Secret("aoa-old");
    entry.expires_at = clock.now() + Seconds(30);
    entry.refresh_token = Secret("aor-old");
    entry.client_id = "cid-cli";
    entry.client_secret = Secret("secret-cli");
    entry.registration_expires_at = clock.now() + std::chrono::hours(24);
    return entry;
}

void the_margin_is_one_minute(void **) {
    FakeClock clock;
    AwsCliCacheEntry entry = cached(clock);
    entry.expires_at = clock.now() + Seconds(61);
    assert_false(aws_token_needs_refresh(entry, clock.now()));
    entry.expires_at = clock.now() + Seconds(60);
    assert_true(aws_token_needs_refresh(entry, clock.now()));
    entry.expires_at = clock.now() - Seconds(1);
    assert_true(aws_token_needs_refresh(entry, clock.now()));
}

void refresh_uses_the_entrys_registration_and_keeps_the_rest(void **) {
    FakeClock clock;
    FakeTransport transport;
    RecordingLogger logger;
    transport.answer(kToken, 200,
                     R"({"accessToken":"aoa-new","tokenType":"Bearer","expiresIn":3600,"refreshToken":"aor-new"})");
    const AwsCliCacheEntry old = cached(clock);
    AwsCliCacheEntry fresh = refresh_aws_token(old, kOidc, transport, clock, logger);

    assert_int_equal(transport.sent().size(), 1);  // no RegisterClient: the token's client is used
    const auto body = nlohmann::json::parse(transport.sent().at(0).body);
    assert_string_equal(body["grantType"].get<std::string>().c_str(), "refresh_token");
    assert_string_equal(body["refreshToken"].get<std::string>().c_str(), "aor-old");
    assert_string_equal(body["clientId"].get<std::string>().c_str(), "cid-cli");
    assert_string_equal(body["clientSecret"].get<std::string>().c_str(), "secret-cli");

    assert_string_equal(fresh.access_token.reveal().c_str(), "aoa-new");
    assert_true(fresh.expires_at == clock.now() + Seconds(3600));
    assert_string_equal(fresh.refresh_token.reveal().c_str(), "aor-new");
    assert_string_equal(fresh.sso_session.c_str(), "corp");
    assert_string_equal(fresh.start_url.c_str(), old.start_url.c_str());
    assert_string_equal(fresh.region.c_str(), "us-east-1");
    assert_string_equal(fresh.client_id.c_str(), "cid-cli");
    assert_string_equal(fresh.client_secret.reveal().c_str(), "secret-cli");
    assert_true(fresh.registration_expires_at == old.registration_expires_at);
    assert_false(logger.contains("aor-") || logger.contains("aoa-") || logger.contains("secret-cli"));
}

void an_unrotated_refresh_token_is_kept(void **) {
    FakeClock clock;
    FakeTransport transport;
    RecordingLogger logger;
    transport.answer(kToken, 200, R"({"accessToken":"aoa-new","expiresIn":3600})");
    AwsCliCacheEntry fresh = refresh_aws_token(cached(clock), kOidc, transport, clock, logger);
    assert_string_equal(fresh.refresh_token.reveal().c_str(), "aor-old");
}

void nothing_to_refresh_with_is_denied_without_a_request(void **) {
    FakeClock clock;
    FakeTransport transport;
    RecordingLogger logger;
    AwsCliCacheEntry no_refresh = cached(clock);
    no_refresh.refresh_token = Secret();
    auto failure = catch_failure([&] { refresh_aws_token(no_refresh, kOidc, transport, clock, logger); });
    assert_true(failed_with(failure, Outcome::denied, "no refresh token"));

    AwsCliCacheEntry expired_registration = cached(clock);
    expired_registration.registration_expires_at = clock.now() - Seconds(1);
    failure = catch_failure([&] { refresh_aws_token(expired_registration, kOidc, transport, clock, logger); });
    assert_true(failed_with(failure, Outcome::denied, "has expired"));
    assert_int_equal(transport.sent().size(), 0);
}

// The outcome of a refresh that AWS answers with (status, header, body).
std::optional<Failure> refresh_answered(long status, const std::string &error_type, const std::string &body) {
    FakeClock clock;
    FakeTransport transport;
    RecordingLogger logger;
    std::map<std::string, std::string> headers;
    if (!error_type.empty()) headers["x-amzn-errortype"] = error_type + kErrorNs;
    transport.answer(kToken, status, body, headers);
    return catch_failure([&] { refresh_aws_token(cached(clock), kOidc, transport, clock, logger); });
}

void refusals_mean_log_in_again(void **) {
    const char *const body = R"({"error":"invalid_grant","error_description":"Invalid refresh token provided"})";
    assert_true(
        failed_with(refresh_answered(400, "InvalidGrantException", body), Outcome::denied, "expired or revoked"));
    assert_true(failed_with(refresh_answered(400, "", body), Outcome::denied, "invalid_grant"));
    assert_true(
        failed_with(refresh_answered(400, "ExpiredTokenException", "{}"), Outcome::denied, "expired or revoked"));
    assert_true(failed_with(refresh_answered(401, "InvalidClientException", "{}"), Outcome::denied, "registration"));
}

void other_errors_are_unavailable(void **) {
    assert_true(failed_with(refresh_answered(500, "InternalServerException", R"({"error":"server_error"})"),
                            Outcome::unavailable, "HTTP 500"));
    assert_true(failed_with(refresh_answered(400, "InvalidRequestException", R"({"error":"invalid_request"})"),
                            Outcome::unavailable, "InvalidRequestException"));
    assert_true(failed_with(refresh_answered(200, "", "not json"), Outcome::unavailable, ""));
    assert_true(failed_with(refresh_answered(200, "", R"({"accessToken":"aoa"})"), Outcome::unavailable, "expiresIn"));

    FakeClock clock;
    FakeTransport transport;
    RecordingLogger logger;
    transport.unreachable(kToken);
    auto failure = catch_failure([&] { refresh_aws_token(cached(clock), kOidc, transport, clock, logger); });
    assert_true(failed_with(failure, Outcome::unavailable, ""));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_margin_is_one_minute),
        cmocka_unit_test(refresh_uses_the_entrys_registration_and_keeps_the_rest),
        cmocka_unit_test(an_unrotated_refresh_token_is_kept),
        cmocka_unit_test(nothing_to_refresh_with_is_denied_without_a_request),
        cmocka_unit_test(refusals_mean_log_in_again),
        cmocka_unit_test(other_errors_are_unavailable),
    };
    return cmocka_run_group_tests_name("aws_token_refresh", tests, nullptr, nullptr);
}
