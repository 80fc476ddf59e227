// SPDX-License-Identifier: Apache-2.0
#include "oidc/provider_quirks.hpp"

#include "base/log_text.hpp"

namespace devflow {
namespace {

bool starts_with(const std::string &text, const std::string &prefix) { return text.rfind(prefix, 0) == 0; }

bool contains(const std::string &text, const char *part) { return text.find(part) != std::string::npos; }

}  // namespace

std::vector<std::string> detected_quirks(const OidcProviderConfig &provider, const OidcEndpoints &endpoints) {
    std::vector<std::string> quirks;
    const std::string &issuer = provider.issuer;
    if (issuer == "https://accounts.google.com") {
        quirks.emplace_back(
            "Google: scheme-less iss \"accounts.google.com\" accepted, verification_url read, HTTP 428 pending polled");
    }
    if (starts_with(issuer, "https://login.microsoftonline.com/") && contains(issuer, "/v2.0")) {
        quirks.emplace_back(
            "Entra tenant issuer: authorization_declined is a denial; groups overage refused with allowed_groups");
    }
    if (!issuer.empty() && issuer.back() == '/') {
        quirks.emplace_back(
            "issuer with trailing slash (Auth0/Authentik style): discovery without a double slash, "
            "iss compared exactly");
    }
    if (contains(endpoints.device_authorization_endpoint, "/protocol/openid-connect/auth/device")) {
        quirks.emplace_back("Keycloak device endpoint; allowed_groups also match top-level group paths (\"/name\")");
    }
    std::string base = issuer;
    if (!base.empty() && base.back() == '/') base.pop_back();
    if (!starts_with(endpoints.device_authorization_endpoint, base + "/")) {
        quirks.emplace_back("device endpoint outside the issuer's path: " +
                            quote_for_log(endpoints.device_authorization_endpoint, 256));
    }
    if (provider.username_claim == "email") quirks.emplace_back("username_claim email: email_verified must be true");
    return quirks;
}

}  // namespace devflow
