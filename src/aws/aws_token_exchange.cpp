// SPDX-License-Identifier: Apache-2.0
#include "aws/aws_token_exchange.hpp"

#include "aws/aws_sso_oidc_client.hpp"
#include "base/failure.hpp"
#include "base/json.hpp"
#include "base/json_fields.hpp"
#include "base/log_text.hpp"

namespace devflow {
namespace {

constexpr std::size_t kMaxToken = 64 * 1024;
const char *const kJwtBearerGrant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

Secret optional_secret(const Json &json, const char *name) {
    const std::string *value = string_field(json, name);
    if (value == nullptr || value->empty()) return {};
    if (value->size() > kMaxToken)
        fail_unavailable(std::string("CreateTokenWithIAM answer's ") + name + " is too long");
    return Secret(*value);
}

}  // namespace

AwsExchangedToken parse_create_token_with_iam_answer(const HttpResponse &response, TimePoint now) {
    if (response.status != 200) fail_unavailable("CreateTokenWithIAM answered " + describe_aws_oidc_error(response));
    Json json = parse_json_object(response.body, "CreateTokenWithIAM");
    WipeJsonOnExit wipe_answer(json);  // it holds the tokens
    AwsExchangedToken token;
    token.access_token = optional_secret(json, "accessToken");
    if (token.access_token.empty()) fail_unavailable("CreateTokenWithIAM answer has no usable accessToken");
    token.refresh_token = optional_secret(json, "refreshToken");
    token.id_token = optional_secret(json, "idToken");
    if (auto type = aws_token_type(json, "CreateTokenWithIAM")) token.token_type = std::move(*type);
    token.expires_at = aws_token_expiry(json, "CreateTokenWithIAM", now);
    return token;
}

AwsExchangedToken exchange_id_token_for_aws(const AwsTokenExchangeSettings &settings, const Secret &id_token,
                                            const AwsCredentials &credentials, HttpTransport &transport,
                                            TimePoint now) {
    HttpRequest request;
    request.method = "POST";
    request.url = settings.oidc_endpoint + "/token?aws_iam=t";
    request.headers.emplace_back("Content-Type: application/json");
    Json body = {
        {"clientId", settings.application_arn},
        {"grantType", kJwtBearerGrant},
        {"assertion", id_token.reveal()},
    };
    try {
        request.body = body.dump();
    } catch (const Json::exception &) {
        wipe_json(body);
        fail_unavailable("cannot encode the CreateTokenWithIAM request (not UTF-8)");
    }
    wipe_json(body);
    AwsSigning signing;
    signing.provider = "aws:amz:" + settings.region + ":sso-oauth";
    signing.access_key_id = credentials.access_key_id.copy();
    signing.secret_access_key = credentials.secret_access_key.copy();
    signing.session_token = credentials.session_token.copy();
    request.aws_signing = std::move(signing);
    return parse_create_token_with_iam_answer(transport.send(request), now);
}

}  // namespace devflow
