// SPDX-License-Identifier: Apache-2.0
// RFC 8628 against AWS IAM Identity Center (service sso-oidc, rest-json):
// RegisterClient, StartDeviceAuthorization and CreateToken, with answers
// validated like the OIDC client's. The client registration is shared by all
// logins through the root-owned state directory (AwsRegistrationStore), under
// an exclusive lock, and renewed 15 minutes before it expires.
#pragma once

#include "aws/aws_client_registration.hpp"
#include "base/clock.hpp"
#include "base/json.hpp"
#include "base/logger.hpp"
#include "flow/device_flow_client.hpp"
#include "net/http_transport.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace devflow {

struct AwsSsoOidcSettings {
    std::string oidc_endpoint;  // e.g. https://oidc.us-east-1.amazonaws.com (no trailing slash)
    std::string start_url;      // the AWS access portal URL
    std::string region;
    // Root-owned directory for the shared registration. Empty: no sharing, the
    // client registers on first use and keeps the registration in memory only
    // (the unprivileged command, which cannot use the root state).
    std::string state_dir;
    std::vector<std::string> scopes{"sso:account:access"};
    std::string client_name = "pam_device_flow";
    // How long to wait for another login that is registering. Keep it above
    // the HTTP timeout: the holder makes at most one request.
    std::chrono::milliseconds lock_timeout{30000};
};

class AwsSsoOidcClient final : public DeviceFlowClient {
public:
    AwsSsoOidcClient(AwsSsoOidcSettings settings, HttpTransport &transport, Clock &clock, Logger &logger);

    // StartDeviceAuthorization with the shared registration (registered first
    // when there is none or it is about to expire). An invalid_client answer
    // replaces the registration and tries once more.
    DeviceAuthorization start() override;

    // CreateToken with the device_code grant. An invalid_client answer
    // replaces the shared registration for the next login (a device code is
    // bound to the client that started it, so this one cannot be saved) and
    // throws Failure(unavailable).
    PollResult poll(const DeviceAuthorization &authorization) override;

    // CreateToken with the refresh_token grant, under the current registration
    // (see use_registration). The answer's refresh token may be empty: AWS
    // does not always rotate it; keep the old one then.
    // Throws Failure(denied) when AWS refuses the refresh token
    // (InvalidGrantException, ExpiredTokenException) or no longer knows the
    // client it belongs to (InvalidClientException): only a new login helps.
    // Throws Failure(unavailable) for every other error answer.
    TokenSet refresh(const Secret &refresh_token);

    // Makes `registration` the current one without touching the state
    // directory: for refreshing with the registration from the user's AWS CLI
    // cache (a refresh token is bound to its client).
    void use_registration(AwsClientRegistration registration);

    // The registration the last request used (the AWS CLI cache needs its
    // clientId, clientSecret and registrationExpiresAt). Throws
    // Failure(system_error) before the first request.
    const AwsClientRegistration &registration() const;

private:
    const AwsClientRegistration &current_registration();
    AwsClientRegistration register_client();
    void replace_rejected_registration();
    HttpResponse post_json(const char *path, Json &body);
    HttpResponse post_with_client(const char *path, Json body);

    AwsSsoOidcSettings settings_;
    HttpTransport &transport_;
    Clock &clock_;
    Logger &logger_;
    std::optional<AwsRegistrationStore> store_;
    std::optional<AwsClientRegistration> registration_;
    bool replaced_once_ = false;
};

// sso-oidc's error code for an answer: the x-amzn-ErrorType header up to the
// first ':' or ',', else the body's "error"; "" when neither is there. Made
// safe for a log line.
std::string aws_oidc_error_code(const HttpResponse &response);

// "HTTP 400 (InvalidRequestException)", "HTTP 403 (InvalidSignatureException)"
// (x-amzn-ErrorType names signature failures too) or "HTTP 500 without an
// error code", for a log line: the status and aws_oidc_error_code, never the
// body.
std::string describe_aws_oidc_error(const HttpResponse &response);

// What every sso-oidc token answer (CreateToken, CreateTokenWithIAM) says
// about its token; `operation` names the answer in the Failure(unavailable)
// they throw. The tokenType, nullopt when absent; present, it must be 1 to 64
// bytes that sanitize_for_terminal leaves as they are.
std::optional<std::string> aws_token_type(const Json &answer, const char *operation);
// now + expiresIn, at most ten years ahead.
TimePoint aws_token_expiry(const Json &answer, const char *operation, TimePoint now);

// Parsers, exposed for unit tests and fuzzing; they throw Failure(unavailable).
AwsClientRegistration parse_register_client_answer(const std::string &body, TimePoint now);
DeviceAuthorization parse_aws_device_authorization(const std::string &body);
// A CreateToken answer for the device_code grant. InvalidClientException is
// not one of the four poll states: this throws for it like for other errors;
// the client checks for it first.
PollResult parse_create_token_answer(const HttpResponse &response, TimePoint now);

}  // namespace devflow
