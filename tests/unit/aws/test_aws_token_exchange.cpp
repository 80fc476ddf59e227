// SPDX-License-Identifier: Apache-2.0
// CreateTokenWithIAM: the exact signed jwt-bearer request, the answer, and
// the error mapping (header first, then body).
#include "aws/aws_token_exchange.hpp"
#include "base/failure.hpp"
#include "expect_failure.hpp"
#include "fake_transport.hpp"

#include <nlohmann/json.hpp>

#include <cstring>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::expect_failure;
using devflow::test::FakeTransport;

namespace {

const std::string kOidc = "https://oidc.eu-west-1.amazonaws.com";
const std::string kUrl = kOidc + "/token?aws_iam=t";
const std::string kArn = "arn:aws:sso::123456789012:application/ssoins-1111111111111111/apl-2222222222222222";
const TimePoint kNow = TimePoint(Seconds(1800000000));

AwsTokenExchangeSettings settings() { return {kOidc, "eu-west-1", kArn}; }

AwsCredentials credentials(std::string session_token = "session") {
    AwsCredentials result;
    result.access_key_id = Secret("ASIAHOST");
    result.secret_access_key = Secret("host-secret");
    result.session_token = Secret(std::move(session_token));
    result.source = "test";
    return result;
}

void the_request_is_a_signed_jwt_bearer_grant(void **) {
    FakeTransport transport;
    transport.answer(kUrl, 200,
                     R"({"accessToken":"idc-at","tokenType":"Bearer","expiresIn":3600,"refreshToken":"idc-rt",
                        "idToken":"idc-id","issuedTokenType":"urn:ietf:params:oauth:token-type:refresh_token",
                        "scope":["openid","aws"],"awsAdditionalDetails":{"identityContext":"ctx"}})");
    AwsExchangedToken token =
        exchange_id_token_for_aws(settings(), Secret("the.id.token"), credentials(), transport, kNow);
    assert_string_equal(token.access_token.reveal().c_str(), "idc-at");
    assert_string_equal(token.refresh_token.reveal().c_str(), "idc-rt");
    assert_string_equal(token.id_token.reveal().c_str(), "idc-id");
    assert_true(token.expires_at == kNow + Seconds(3600));

    assert_int_equal(transport.sent().size(), 1);
    const auto &sent = transport.sent().front();
    assert_string_equal(sent.method.c_str(), "POST");
    assert_string_equal(sent.url.c_str(), kUrl.c_str());
    assert_string_equal(sent.headers.at(0).c_str(), "Content-Type: application/json");
    const auto body = nlohmann::json::parse(sent.body);
    assert_true(body == nlohmann::json({{"clientId", kArn},
                                        {"grantType", "urn:ietf:params:oauth:grant-type:jwt-bearer"},
                                        {"assertion", "the.id.token"}}));
    assert_true(sent.aws_signing.has_value());
    assert_string_equal(sent.aws_signing->provider.c_str(), "aws:amz:eu-west-1:sso-oauth");
    assert_string_equal(sent.aws_signing->access_key_id.c_str(), "ASIAHOST");
    assert_string_equal(sent.aws_signing->secret_access_key.c_str(), "host-secret");
    assert_string_equal(sent.aws_signing->session_token.c_str(), "session");
}

void long_term_keys_send_no_session_token(void **) {
    FakeTransport transport;
    transport.answer(kUrl, 200, R"({"accessToken":"a","expiresIn":60})");
    AwsExchangedToken token = exchange_id_token_for_aws(settings(), Secret("t"), credentials(""), transport, kNow);
    assert_true(token.refresh_token.empty());
    assert_string_equal(token.token_type.c_str(), "Bearer");
    assert_true(transport.sent().front().aws_signing->session_token.empty());
}

void errors_name_the_header_code_first(void **) {
    FakeTransport transport;
    transport.answer(kUrl, 403, R"({"message":"The request signature we calculated does not match"})",
                     {{"x-amzn-errortype", "InvalidSignatureException:http://internal.amazon.com/coral/"}});
    auto caught =
        expect_failure([&] { exchange_id_token_for_aws(settings(), Secret("t"), credentials(), transport, kNow); });
    assert_int_equal(static_cast<int>(caught.outcome), static_cast<int>(Outcome::unavailable));
    assert_non_null(std::strstr(caught.message.c_str(), "HTTP 403 (InvalidSignatureException)"));
    assert_null(std::strstr(caught.message.c_str(), "calculated"));

    FakeTransport body_only;
    body_only.answer(kUrl, 400, R"({"error":"invalid_grant","error_description":"untrusted issuer"})");
    caught =
        expect_failure([&] { exchange_id_token_for_aws(settings(), Secret("t"), credentials(), body_only, kNow); });
    assert_non_null(std::strstr(caught.message.c_str(), "HTTP 400 (invalid_grant)"));
}

void unusable_answers_are_unavailable(void **) {
    for (const char *body : {"", "[]", R"({"expiresIn":60})", R"({"accessToken":"","expiresIn":60})",
                             R"({"accessToken":"a"})", R"({"accessToken":"a","expiresIn":0})",
                             R"({"accessToken":"a","expiresIn":-5})", R"({"accessToken":7,"expiresIn":60})",
                             R"({"accessToken":"a","expiresIn":60,"tokenType":"Bear\u001b[2Jer"})"}) {
        HttpResponse response;
        response.status = 200;
        response.body = body;
        auto caught = expect_failure([&] { parse_create_token_with_iam_answer(response, kNow); });
        assert_int_equal(static_cast<int>(caught.outcome), static_cast<int>(Outcome::unavailable));
    }
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_request_is_a_signed_jwt_bearer_grant),
        cmocka_unit_test(long_term_keys_send_no_session_token),
        cmocka_unit_test(errors_name_the_header_code_first),
        cmocka_unit_test(unusable_answers_are_unavailable),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
