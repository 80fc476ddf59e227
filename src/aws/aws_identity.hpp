// SPDX-License-Identifier: Apache-2.0
// Who approved an aws-sso device login, as AWS itself says: the access token
// buys temporary credentials for the configured role (SSO portal
// GetRoleCredentials), and STS GetCallerIdentity, signed with them, names the
// assumed role and its session. Only a token whose user holds that role in
// that account gets this far.
#pragma once

#include "base/clock.hpp"
#include "base/secret.hpp"
#include "config/aws_endpoints.hpp"
#include "net/http_transport.hpp"

#include <string>

namespace devflow {

struct AwsIdentity {
    std::string account;       // 12 digits, equal to the configured account_id
    std::string arn;           // arn:aws:sts::ACCOUNT:assumed-role/AWSReservedSSO_<role>_<hex>/<session>
    std::string session_name;  // the ARN's last segment: in practice the Identity Center user name
};

// The temporary credentials GetRoleCredentials hands out.
struct AwsRoleCredentials {
    Secret access_key_id;
    Secret secret_access_key;
    Secret session_token;
    TimePoint expires_at{};  // sent as epoch milliseconds
};

// What STS GetCallerIdentity says, unchecked beyond its syntax.
struct AwsCallerIdentity {
    std::string arn;
    std::string account;
    std::string user_id;
};

// Exchanges `access_token` for role credentials of `role_name` in `account_id`
// and asks STS who they belong to; checks that STS names that account and the
// Identity Center role of that permission set, and returns the identity.
// Throws Failure(refused) when the portal refuses the token or the role (HTTP
// 401/403), Failure(unavailable) for STS errors, other HTTP errors and
// malformed or inconsistent answers, Failure(config_error) for a region,
// account id or role name that cannot be right. The credentials are wiped.
AwsIdentity verify_aws_identity(HttpTransport &transport, const AwsEndpoints &endpoints, const std::string &region,
                                const std::string &account_id, const std::string &role_name,
                                const Secret &access_token);

// The parsers behind it, for tests and fuzzing. Both throw Failure(unavailable)
// for anything but the expected shape.
AwsRoleCredentials parse_role_credentials(const std::string &body);
AwsCallerIdentity parse_caller_identity(const std::string &xml);

}  // namespace devflow
