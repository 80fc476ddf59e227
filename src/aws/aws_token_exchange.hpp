// SPDX-License-Identifier: Apache-2.0
// CreateTokenWithIAM (sso-oidc, POST /token?aws_iam=t, SigV4 "sso-oauth"):
// trades the verified id_token of an OIDC login for an IAM Identity Center
// token of a customer-managed application that trusts our IdP as a trusted
// token issuer (jwt-bearer grant). The request is signed with the host's
// IAM credentials: AWS authorizes the host, the assertion names the user.
#pragma once

#include "aws/aws_credentials.hpp"
#include "base/clock.hpp"
#include "base/secret.hpp"
#include "net/http_transport.hpp"

#include <string>

namespace devflow {

struct AwsTokenExchangeSettings {
    std::string oidc_endpoint;    // https://oidc.REGION.amazonaws.com, no trailing slash
    std::string region;           // the SigV4 scope region
    std::string application_arn;  // the clientId: arn:aws:sso::ACCOUNT:application/ssoins-.../apl-...
};

struct AwsExchangedToken {
    Secret access_token;
    std::string token_type = "Bearer";
    TimePoint expires_at{};
    Secret refresh_token;  // may be empty; bound to the application, not to an AWS CLI client
    Secret id_token;       // may be empty
};

// Sends the jwt-bearer request {clientId, grantType, assertion} signed with
// `credentials`. Throws Failure(unavailable) for every error answer (the log
// line names the code from x-amzn-ErrorType, else the body's "error", else
// "message") and for an answer that cannot be used.
AwsExchangedToken exchange_id_token_for_aws(const AwsTokenExchangeSettings &settings, const Secret &id_token,
                                            const AwsCredentials &credentials, HttpTransport &transport, TimePoint now);

// A CreateTokenWithIAM answer; exposed for unit tests and fuzzing.
AwsExchangedToken parse_create_token_with_iam_answer(const HttpResponse &response, TimePoint now);

}  // namespace devflow
