// An aws-sso login from the shared setup (config, user, transport, flow
// settings) to a result: the untrusted stage (aws_sso_login.hpp), then the
// privileged steps on its verified value only: the session name mapped and
// bound to PAM_USER, and the user's AWS CLI files written as the user.
#pragma once

#include "authenticator.hpp"
#include "device_flow.hpp"

namespace devflow {

// Throws Failure like the oidc login; returns only a successful result.
LoginResult run_aws_sso_login(const LoginRequest &request, const Config &config, const ProviderConfig &provider,
                              const UserAccount &user, const FlowSettings &flow, HttpTransport &transport,
                              LoginServices &services);

}  // namespace devflow
