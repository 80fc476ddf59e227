// An aws-sso login from the shared setup (config, user, transport, flow
// settings) to a result: a reusable earlier approval (aws_approval_reuse.hpp)
// when reuse_window allows, else the untrusted stage (aws_sso_login.hpp), then
// the privileged steps on its verified value only: the session name mapped and
// bound to PAM_USER, the user's AWS CLI files written as the user, and the
// approval recorded for reuse.
#pragma once

#include "login/authenticator.hpp"
#include "flow/device_flow.hpp"
#include "store/state_store.hpp"

namespace devflow {

// Throws Failure like the oidc login; returns only a successful result.
// `state` (may be null: no reuse) is the root-owned state store; a
// `reuse_window` of 0 neither reuses nor records approvals.
LoginResult run_aws_sso_login(const LoginRequest &request, const Config &config, const ProviderConfig &provider,
                              const UserAccount &user, const FlowSettings &flow, HttpTransport &transport,
                              StateStore *state, Seconds reuse_window, LoginServices &services);

}  // namespace devflow
