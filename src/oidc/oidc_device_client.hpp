// SPDX-License-Identifier: Apache-2.0
// RFC 8628 against an OpenID Connect provider: the device authorization
// request and the device_code token request, with their answers validated.
#pragma once

#include "base/clock.hpp"
#include "flow/device_answer.hpp"
#include "flow/device_flow_client.hpp"
#include "net/http_transport.hpp"
#include "oidc/client_authentication.hpp"
#include "oidc/oidc_discovery.hpp"

#include <string>
#include <vector>

namespace devflow {

struct OidcClientSettings {
    ClientAuthentication authentication;  // the client_id and how it authenticates
    std::vector<std::string> scopes;
};

class OidcDeviceClient final : public DeviceFlowClient {
public:
    OidcDeviceClient(OidcEndpoints endpoints, OidcClientSettings settings, HttpTransport &transport, Clock &clock);
    DeviceAuthorization start() override;
    PollResult poll(const DeviceAuthorization &authorization) override;

private:
    // POSTs `fields` (wiped then) with `headers` to `url`.
    HttpResponse post_form(const std::string &url, FormFields &fields, std::vector<std::string> headers);
    // Failure(unavailable) naming the client authentication when the answer
    // is invalid_client (RFC 6749 5.2); else returns.
    void check_client_accepted(const HttpResponse &response, const char *request) const;

    OidcEndpoints endpoints_;
    OidcClientSettings settings_;
    HttpTransport &transport_;
    Clock &clock_;
};

// Parser, exposed for unit tests and fuzzing. Throws Failure(unavailable).
PollResult parse_token_answer(long status, const std::string &body, TimePoint now);

}  // namespace devflow
