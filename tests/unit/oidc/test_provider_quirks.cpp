// SPDX-License-Identifier: Apache-2.0
// detected_quirks: what `pam-device-flow check` says about a provider's
// documented differences, from its configuration and discovered endpoints.
#include "oidc/provider_quirks.hpp"

#include <string>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;

namespace {

std::string all_quirks(const std::string &issuer, const std::string &device_endpoint,
                       const std::string &username_claim = "preferred_username") {
    OidcProviderConfig provider;
    provider.issuer = issuer;
    provider.username_claim = username_claim;
    OidcEndpoints endpoints;
    endpoints.issuer = issuer;
    endpoints.device_authorization_endpoint = device_endpoint;
    std::string text;
    for (const auto &quirk : detected_quirks(provider, endpoints)) text += quirk + "\n";
    return text;
}

bool has(const std::string &text, const char *part) { return text.find(part) != std::string::npos; }

void a_plain_server_has_none(void **) {
    assert_string_equal(all_quirks("https://idp.example", "https://idp.example/device/auth").c_str(), "");
    assert_string_equal(
        all_quirks("https://idp.example/oauth2/default", "https://idp.example/oauth2/default/v1/device/authorize")
            .c_str(),
        "");
}

void each_provider_is_recognised(void **) {
    const std::string google = all_quirks("https://accounts.google.com", "https://oauth2.googleapis.com/device/code");
    assert_true(has(google, "Google: scheme-less iss"));
    assert_true(
        has(google, "device endpoint outside the issuer's path: \"https://oauth2.googleapis.com/device/code\""));

    const std::string entra = all_quirks("https://login.microsoftonline.com/tid/v2.0",
                                         "https://login.microsoftonline.com/tid/oauth2/v2.0/devicecode");
    assert_true(has(entra, "Entra tenant issuer"));

    const std::string auth0 = all_quirks("https://tenant.auth0.com/", "https://tenant.auth0.com/oauth/device/code");
    assert_true(has(auth0, "issuer with trailing slash (Auth0/Authentik style)"));
    assert_false(has(auth0, "outside"));

    const std::string keycloak = all_quirks("https://kc.example/realms/corp",
                                            "https://kc.example/realms/corp/protocol/openid-connect/auth/device");
    assert_true(has(keycloak, "Keycloak device endpoint"));
    assert_false(has(keycloak, "outside"));

    const std::string authentik =
        all_quirks("https://ak.example/application/o/ssh/", "https://ak.example/application/o/device/");
    assert_true(has(authentik, "trailing slash"));
    assert_true(has(authentik, "outside the issuer's path"));

    assert_true(has(all_quirks("https://idp.example", "https://idp.example/d", "email"), "email_verified"));
}

// A look-alike host or a prefix that is no path segment is not the issuer's path.
void look_alikes_are_not_taken_for_the_real_thing(void **) {
    assert_false(has(all_quirks("https://accounts.google.com.evil", "https://accounts.google.com.evil/d"), "Google"));
    assert_true(has(all_quirks("https://idp.example", "https://idp.example.evil/device"), "outside"));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(a_plain_server_has_none),
        cmocka_unit_test(each_provider_is_recognised),
        cmocka_unit_test(look_alikes_are_not_taken_for_the_real_thing),
    };
    return cmocka_run_group_tests_name("provider_quirks", tests, nullptr, nullptr);
}
