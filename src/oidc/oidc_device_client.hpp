// RFC 8628 against an OpenID Connect provider: the device authorization
// request and the device_code token request, with their answers validated.
#pragma once

#include "base/clock.hpp"
#include "flow/device_answer.hpp"
#include "flow/device_flow_client.hpp"
#include "net/http_transport.hpp"
#include "oidc/oidc_discovery.hpp"

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
    OidcDeviceClient(OidcEndpoints endpoints, OidcClientSettings settings, HttpTransport &transport, Clock &clock);
    DeviceAuthorization start() override;
    PollResult poll(const DeviceAuthorization &authorization) override;

private:
    void add_client_authentication(std::vector<std::pair<std::string, std::string>> &fields) const;
    HttpResponse post_form(const std::string &url, std::vector<std::pair<std::string, std::string>> &fields);

    OidcEndpoints endpoints_;
    OidcClientSettings settings_;
    HttpTransport &transport_;
    Clock &clock_;
};

// Parser, exposed for unit tests and fuzzing. Throws Failure(unavailable).
PollResult parse_token_answer(long status, const std::string &body, TimePoint now);

}  // namespace devflow
