// RFC 8628 against an OpenID Connect provider: the device authorization
// request and the device_code token request, with their answers validated.
#pragma once

#include "clock.hpp"
#include "device_flow_client.hpp"
#include "http_transport.hpp"
#include "oidc_discovery.hpp"

#include <string>
#include <vector>

namespace devflow {

struct OidcClientSettings {
    std::string client_id;
    Secret client_secret;  // empty: a public client
    std::vector<std::string> scopes;
};

class OidcDeviceClient final : public DeviceFlowClient {
public:
    OidcDeviceClient(OidcEndpoints endpoints, OidcClientSettings settings,
                     HttpTransport &transport, Clock &clock);
    DeviceAuthorization start() override;
    PollResult poll(const DeviceAuthorization &authorization) override;

private:
    void add_client_authentication(std::vector<std::pair<std::string, std::string>> &fields) const;
    HttpResponse post_form(const std::string &url,
                           std::vector<std::pair<std::string, std::string>> &fields);

    OidcEndpoints endpoints_;
    OidcClientSettings settings_;
    HttpTransport &transport_;
    Clock &clock_;
};

// The member names of a device authorization answer: RFC 8628's by default,
// AWS sso-oidc's camelCase ones in aws_sso_oidc_client.cpp. One parser, so both
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

// Parsers, exposed for unit tests and fuzzing. Both throw Failure(unavailable).
DeviceAuthorization parse_device_authorization(const std::string &body,
                                               const DeviceAnswerNames &names = {});
PollResult parse_token_answer(long status, const std::string &body, TimePoint now);

}  // namespace devflow
