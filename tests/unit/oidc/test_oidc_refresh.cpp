// SPDX-License-Identifier: Apache-2.0
// The refresh_token grant's answer (oidc_refresh) and reading the user's OIDC
// token cache back (oidc_token_cache_reader): what `pam-device-flow token` uses.
#include "base/utc_time.hpp"
#include "fake_clock.hpp"
#include "fake_transport.hpp"
#include "oidc/client_authentication.hpp"
#include "oidc/oidc_refresh.hpp"
#include "oidc/oidc_token_cache_reader.hpp"
#include "test_files.hpp"
#include "usercache/oidc_token_cache.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::Outcome;
using devflow::test::catch_failure;
using devflow::test::failed_with;
using devflow::test::TempDir;

namespace {

const devflow::TimePoint kNow{std::chrono::seconds(1700000000)};

void refresh_answer_gives_tokens(void **) {
    devflow::TokenSet tokens =
        devflow::parse_refresh_answer(200, R"({"access_token":"new-at","token_type":"Bearer","expires_in":600})", kNow);
    assert_string_equal(tokens.access_token.reveal().c_str(), "new-at");
    assert_true(tokens.refresh_token.empty());  // the caller keeps the old one
    assert_true(tokens.expires_at == kNow + std::chrono::seconds(600));
}

void invalid_grant_is_denied(void **) {
    auto failure = catch_failure([] { devflow::parse_refresh_answer(400, R"({"error":"invalid_grant"})", kNow); });
    assert_true(failed_with(failure, Outcome::denied, "refresh token"));
}

void other_error_is_unavailable(void **) {
    auto failure = catch_failure([] { devflow::parse_refresh_answer(401, R"({"error":"invalid_client"})", kNow); });
    assert_true(failed_with(failure, Outcome::unavailable, "invalid_client"));
}

// A 400 or 401 to a refresh_token grant without an error code to read (an
// empty, HTML or other non-JSON body, or JSON without "error"): some servers
// answer a revoked refresh token so. Refused: log in again.
void refusal_without_an_error_code_is_denied(void **) {
    const std::pair<long, const char *> answers[] = {
        {400, ""},
        {401, ""},
        {400, "<html><head><title>400 Bad Request</title></head><body>Bad Request</body></html>"},
        {401, "<!DOCTYPE html><p>Unauthorized</p>"},
        {400, R"({"error_description":"refresh token revoked"})"},
        {401, "{}"},
        {400, R"({"error":7})"},
        {400, "[]"},
    };
    for (const auto &[status, body] : answers) {
        // Copies: clang 14 (the fuzz build) cannot capture a structured binding.
        auto failure =
            catch_failure([status = status, body = body] { devflow::parse_refresh_answer(status, body, kNow); });
        if (!failed_with(failure, Outcome::denied, "refused the refresh")) {
            fail_msg("HTTP %ld with body '%s' gave %s", status, body, failure ? failure->what() : "no failure");
        }
    }
}

// 5xx says nothing about the refresh token: the server is unwell.
void server_errors_are_unavailable(void **) {
    const std::pair<long, const char *> answers[] = {
        {500, ""},
        {500, R"({"error":"server_error"})"},
        {502, "<html>Bad Gateway</html>"},
        {503, R"({"error_description":"maintenance"})"},
    };
    for (const auto &[status, body] : answers) {
        // Copies: clang 14 (the fuzz build) cannot capture a structured binding.
        auto failure =
            catch_failure([status = status, body = body] { devflow::parse_refresh_answer(status, body, kNow); });
        if (!failed_with(failure, Outcome::unavailable)) {
            fail_msg("HTTP %ld with body '%s' gave %s", status, body, failure ? failure->what() : "no failure");
        }
    }
}

// The whole request: an empty 400 is a refusal, an unreachable endpoint is not.
void refresh_request_refused_or_unreachable(void **) {
    const std::string endpoint = "https://idp.example/token";
    const auto client = devflow::ClientAuthentication::public_client("bastion");
    devflow::FakeClock clock;
    devflow::test::FakeTransport refusing;
    refusing.answer(endpoint, 400, "");
    auto refused =
        catch_failure([&] { devflow::refresh_oidc_tokens(endpoint, client, devflow::Secret("rt"), refusing, clock); });
    assert_true(failed_with(refused, Outcome::denied, "HTTP 400"));

    devflow::test::FakeTransport down;
    down.unreachable(endpoint);
    auto unreachable =
        catch_failure([&] { devflow::refresh_oidc_tokens(endpoint, client, devflow::Secret("rt"), down, clock); });
    assert_true(failed_with(unreachable, Outcome::unavailable, "cannot reach"));
}

void device_flow_code_is_unavailable(void **) {
    auto failure =
        catch_failure([] { devflow::parse_refresh_answer(400, R"({"error":"authorization_pending"})", kNow); });
    assert_true(failed_with(failure, Outcome::unavailable));
}

void answer_without_access_token_is_unavailable(void **) {
    auto failure = catch_failure([] { devflow::parse_refresh_answer(200, R"({"token_type":"Bearer"})", kNow); });
    assert_true(failed_with(failure, Outcome::unavailable, "access_token"));
}

void rfc3339_round_trips(void **) {
    auto parsed = devflow::parse_rfc3339_utc(devflow::format_rfc3339_utc(kNow));
    assert_true(parsed.has_value() && *parsed == kNow);
}

void rfc3339_refuses_other_forms(void **) {
    for (const char *text :
         {"2023-11-14T22:13:20", "2023-11-14 22:13:20Z", "2023-13-14T22:13:20Z", "2023-11-14T22:13:20+00:00", "",
          "x023-11-14T22:13:20Z",
          // Before 1970, or past what the nanosecond TimePoint holds (2262).
          "1969-12-31T23:59:59Z", "2263-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0000-01-01T00:00:00Z"}) {
        assert_false(devflow::parse_rfc3339_utc(text).has_value());
    }
}

void cache_written_is_read_back(void **) {
    TempDir temp;
    const std::string home = temp / "home";
    ::mkdir(home.c_str(), 0700);
    devflow::UserAccount user{"alice", geteuid(), getegid(), home};
    devflow::TokenSet tokens;
    tokens.access_token = devflow::Secret("at");
    tokens.refresh_token = devflow::Secret("rt");
    tokens.id_token = devflow::Secret("a.b.c");
    tokens.token_type = "Bearer";
    tokens.scope = "openid offline_access";
    tokens.expires_at = kNow;
    devflow::write_oidc_token_cache(user, "corp", "https://idp.example", "bastion", tokens);
    auto cached = devflow::read_oidc_token_cache(user, "corp");
    assert_true(cached.has_value());
    assert_string_equal(cached->issuer.c_str(), "https://idp.example");
    assert_string_equal(cached->client_id.c_str(), "bastion");
    assert_string_equal(cached->tokens.refresh_token.reveal().c_str(), "rt");
    assert_true(cached->tokens.expires_at == kNow);
    assert_false(devflow::read_oidc_token_cache(user, "other").has_value());
}

void readable_cache_is_refused(void **) {
    TempDir temp;
    const std::string home = temp / "home";
    ::mkdir(home.c_str(), 0700);
    devflow::UserAccount user{"alice", geteuid(), getegid(), home};
    devflow::TokenSet tokens;
    tokens.access_token = devflow::Secret("at");
    tokens.expires_at = kNow;
    devflow::write_oidc_token_cache(user, "corp", "https://idp.example", "bastion", tokens);
    ::chmod((home + "/.cache/pam_device_flow/corp.json").c_str(), 0644);
    auto failure = catch_failure([&] { devflow::read_oidc_token_cache(user, "corp"); });
    assert_true(failed_with(failure, Outcome::system_error));
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(refresh_answer_gives_tokens),
        cmocka_unit_test(invalid_grant_is_denied),
        cmocka_unit_test(other_error_is_unavailable),
        cmocka_unit_test(refusal_without_an_error_code_is_denied),
        cmocka_unit_test(server_errors_are_unavailable),
        cmocka_unit_test(refresh_request_refused_or_unreachable),
        cmocka_unit_test(device_flow_code_is_unavailable),
        cmocka_unit_test(answer_without_access_token_is_unavailable),
        cmocka_unit_test(rfc3339_round_trips),
        cmocka_unit_test(rfc3339_refuses_other_forms),
        cmocka_unit_test(cache_written_is_read_back),
        cmocka_unit_test(readable_cache_is_refused),
    };
    return cmocka_run_group_tests_name("oidc_refresh", tests, nullptr, nullptr);
}
