// SPDX-License-Identifier: Apache-2.0
// One provider's side of RFC 8628: start a device authorization, poll for the
// token. The OIDC client (oidc/oidc_device_client.hpp) and AWS IAM Identity
// Center's sso-oidc client (aws/aws_sso_oidc_client.hpp) implement it; the
// flow state machine (device_flow.hpp) drives either.
#pragma once

#include "base/clock.hpp"
#include "base/secret.hpp"
#include "flow/token_set.hpp"

#include <string>

namespace devflow {

struct DeviceAuthorization {
    Secret device_code;
    std::string user_code;                  // sanitised, safe for a terminal
    std::string verification_uri;           // checked: https, or http to loopback
    std::string verification_uri_complete;  // checked, or empty when absent/unsafe
    Seconds expires_in{0};
    Seconds interval{5};
};

enum class PollStatus { pending, slow_down, denied, expired, approved };

struct PollResult {
    PollStatus status = PollStatus::pending;
    TokenSet tokens;  // only for approved
};

class DeviceFlowClient {
public:
    virtual ~DeviceFlowClient() = default;
    // Throws Failure(unavailable) for unreachable or malformed answers.
    virtual DeviceAuthorization start() = 0;
    // One token request. Throws Failure(unavailable) for errors other than
    // the four RFC 8628 ones, and for malformed answers.
    virtual PollResult poll(const DeviceAuthorization &authorization) = 0;
};

}  // namespace devflow
