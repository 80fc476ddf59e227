// SPDX-License-Identifier: Apache-2.0
// The answer to a device authorization request (RFC 8628 section 3.2),
// checked the same way for every provider kind: the user code sanitised, the
// URLs safe for a terminal, every number in bounds.
#pragma once

#include "flow/device_flow_client.hpp"

#include <string>

namespace devflow {

// The member names of a device authorization answer: RFC 8628's by default,
// AWS sso-oidc's camelCase ones (aws_sso_oidc_client.cpp). One parser, so both
// kinds get the same checks (sanitised user code, safe URLs, bounds).
struct DeviceAnswerNames {
    const char *device_code = "device_code";
    const char *user_code = "user_code";
    const char *verification_uri = "verification_uri";
    const char *verification_uri_alias = "verification_url";  // Google's name; may be nullptr
    const char *verification_uri_complete = "verification_uri_complete";
    const char *expires_in = "expires_in";
    const char *interval = "interval";  // absent: 5 seconds
};

// Throws Failure(unavailable) for a malformed answer or unsafe values.
DeviceAuthorization parse_device_authorization(const std::string &body, const DeviceAnswerNames &names = {});

}  // namespace devflow
