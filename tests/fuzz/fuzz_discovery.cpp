// SPDX-License-Identifier: Apache-2.0
// libFuzzer target for parse_discovery (OpenID Connect discovery documents).
//
// Input: the first line is the configured (expected) issuer, the rest is the
// discovery document.
//
// Invariants checked, beyond "no crash":
//  - the only exception that escapes is devflow::Failure, outcome unavailable,
//    or outcome config_error when the document's issuer is Entra ID's multi-tenant
//    template (it holds "{tenantid}"): that is the admin's mistake to fix;
//  - an accepted document names exactly the expected issuer, and the three
//    endpoints returned pass is_secure_url and are, byte for byte, the strings
//    the document holds under their names (re-read here with nlohmann_json);
//  - token_endpoint_auth_methods is nullopt exactly when the document has no
//    token_endpoint_auth_methods_supported, else the array's strings in order,
//    at most kMaxAuthMethods of at most kMaxAuthMethodLength bytes.
#include "base/failure.hpp"
#include "net/url.hpp"
#include "oidc/oidc_discovery.hpp"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

namespace {

void require(bool condition) {
    if (!condition) {
        std::abort();
    }
}

bool same_string(const nlohmann::json &document, const char *name, const std::string &value) {
    const auto found = document.find(name);
    return found != document.end() && found->is_string() && found->get_ref<const std::string &>() == value;
}

void check_endpoints(const devflow::OidcEndpoints &endpoints, const std::string &document,
                     const std::string &expected_issuer) {
    require(endpoints.issuer == expected_issuer);
    require(devflow::is_secure_url(endpoints.device_authorization_endpoint));
    require(devflow::is_secure_url(endpoints.token_endpoint));
    require(devflow::is_secure_url(endpoints.jwks_uri));

    const auto json = nlohmann::json::parse(document, nullptr, false);
    require(!json.is_discarded() && json.is_object());
    require(same_string(json, "issuer", expected_issuer));
    require(same_string(json, "device_authorization_endpoint", endpoints.device_authorization_endpoint));
    require(same_string(json, "token_endpoint", endpoints.token_endpoint));
    require(same_string(json, "jwks_uri", endpoints.jwks_uri));

    const auto methods = json.find("token_endpoint_auth_methods_supported");
    const auto &parsed = endpoints.token_endpoint_auth_methods;
    require((methods == json.end()) == !parsed.has_value());
    if (!parsed) return;
    require(methods->is_array() && methods->size() == parsed->size() && parsed->size() <= devflow::kMaxAuthMethods);
    for (std::size_t i = 0; i < parsed->size(); ++i) {
        require((*methods)[i].is_string() && (*methods)[i].get_ref<const std::string &>() == (*parsed)[i]);
        require((*parsed)[i].size() <= devflow::kMaxAuthMethodLength);
    }
}

// The one refusal that blames the configuration: a template issuer.
bool names_a_template_issuer(const std::string &document) {
    const auto json = nlohmann::json::parse(document, nullptr, false);
    if (json.is_discarded() || !json.is_object()) return false;
    const auto issuer = json.find("issuer");
    return issuer != json.end() && issuer->is_string() &&
           issuer->get_ref<const std::string &>().find("{tenantid}") != std::string::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
    const std::string input(reinterpret_cast<const char *>(data), size);
    const std::size_t newline = input.find('\n');
    if (newline == std::string::npos) {
        return 0;
    }
    const std::string expected_issuer = input.substr(0, newline);
    const std::string document = input.substr(newline + 1);
    try {
        const devflow::OidcEndpoints endpoints = devflow::parse_discovery(document, expected_issuer);
        check_endpoints(endpoints, document, expected_issuer);
    } catch (const devflow::Failure &failure) {
        require(failure.outcome() == devflow::Outcome::unavailable ||
                (failure.outcome() == devflow::Outcome::config_error && names_a_template_issuer(document)));
    } catch (...) {
        std::abort();
    }
    return 0;
}
