// SPDX-License-Identifier: Apache-2.0
// The untrusted stage of an aws-sso login: the device flow against AWS IAM
// Identity Center (sso-oidc, with the client registration shared through the
// root-owned state directory), then AWS's own word on who approved it (SSO
// portal GetRoleCredentials + STS GetCallerIdentity). Its output is a small
// validated value; the privileged steps (binding to the PAM user, writing the
// user's AWS CLI files) consume only that value, as for oidc providers
// (oidc/oidc_login.hpp).
#pragma once

#include "aws/aws_client_registration.hpp"
#include "aws/aws_identity.hpp"
#include "base/clock.hpp"
#include "base/logger.hpp"
#include "config/config.hpp"
#include "flow/conversation.hpp"
#include "flow/device_flow.hpp"
#include "flow/token_set.hpp"
#include "net/http_transport.hpp"

#include <string>

namespace devflow {

struct VerifiedAwsLogin {
    AwsIdentity identity;                // account, arn, session_name, as STS names them
    TokenSet tokens;                     // sso-oidc accessToken (+ refreshToken), expiry
    AwsClientRegistration registration;  // the client the tokens are bound to
};

// Runs the device flow with `provider.aws` and verifies the approving identity.
// `state_dir` holds the shared client registration; when it cannot be used the
// login registers a client for itself (and warns). Throws Failure(refused) for
// denial, cancellation and a portal refusal (no access to the role),
// Failure(denied) for expiry, Failure(unavailable) for unreachable or
// malformed services.
VerifiedAwsLogin obtain_verified_aws_login(const AwsSsoProviderConfig &provider, const FlowSettings &flow,
                                           HttpTransport &transport, const std::string &state_dir, Clock &clock,
                                           Conversation &conversation, Logger &logger);

}  // namespace devflow
