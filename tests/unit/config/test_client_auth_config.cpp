// SPDX-License-Identifier: Apache-2.0
// The client authentication keys of an oidc provider: token_endpoint_auth_method,
// private_key_file and private_key_kid, what goes with what, each error with
// its position, and which credential file the module reads and hands to its
// helper (trusted_files) for each method.
#include "base/failure.hpp"
#include "config/choices.hpp"
#include "config/config.hpp"
#include "config/trusted_files.hpp"

#include <string>
#include <variant>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::ClientAssertionAudience;
using devflow::Config;
using devflow::Failure;
using devflow::OidcProviderConfig;
using devflow::Outcome;
using devflow::TokenEndpointAuthMethod;

namespace {

const std::string corp =
    "[providers.corp]\n"
    "issuer = \"https://login.example.com\"\n"
    "client_id = \"bastion\"\n";

std::string error_of(const std::string &text) {
    try {
        (void)devflow::parse_config(text, "test.conf");
    } catch (const Failure &failure) {
        if (failure.outcome() != Outcome::config_error) return "wrong outcome";
        return failure.what();
    }
    return "no error";
}

void expect_error(const std::string &text, const char *expected) {
    assert_string_equal(error_of(text).c_str(), expected);
}

OidcProviderConfig provider_of(const std::string &text) {
    const Config config = devflow::parse_config(text, "test.conf");
    return std::get<OidcProviderConfig>(config.providers.at("corp"));
}

// The paths trusted_files would read for the provider, in its order.
std::vector<std::string> credential_files(const std::string &text) {
    const Config config = devflow::parse_config(text, "test.conf");
    std::vector<std::string> paths;
    for (const auto &use : devflow::trusted_files_read_by(config, config.providers.at("corp"),
                                                          [](const char *) -> const char * { return nullptr; })) {
        assert_true(use.secrecy == devflow::FileSecrecy::secret);  // both are secrets: 0600, never group-readable
        paths.push_back(use.path);
    }
    return paths;
}

void the_default_is_auto(void **) {
    const OidcProviderConfig provider = provider_of(corp);
    assert_true(provider.token_endpoint_auth_method == TokenEndpointAuthMethod::automatic);
    assert_true(provider.private_key_file.empty());
    assert_true(provider.private_key_kid.empty());
}

void every_method_and_key_is_read(void **) {
    const struct {
        const char *word;
        TokenEndpointAuthMethod method;
        const char *credential;
    } methods[] = {
        {"auto", TokenEndpointAuthMethod::automatic, ""},
        {"none", TokenEndpointAuthMethod::none, ""},
        {"client_secret_basic", TokenEndpointAuthMethod::client_secret_basic, "client_secret_file = \"/etc/s\"\n"},
        {"client_secret_post", TokenEndpointAuthMethod::client_secret_post, "client_secret_file = \"/etc/s\"\n"},
        {"private_key_jwt", TokenEndpointAuthMethod::private_key_jwt, "private_key_file = \"/etc/k.pem\"\n"},
    };
    for (const auto &m : methods) {
        const OidcProviderConfig provider =
            provider_of(corp + "token_endpoint_auth_method = \"" + m.word + "\"\n" + m.credential);
        assert_true(provider.token_endpoint_auth_method == m.method);
        assert_string_equal(std::string(devflow::token_endpoint_auth_method_name(m.method)).c_str(), m.word);
    }
    const OidcProviderConfig keyed =
        provider_of(corp + "private_key_file = \"/etc/security/bastion.pem\"\nprivate_key_kid = \"2024-01\"\n");
    assert_string_equal(keyed.private_key_file.c_str(), "/etc/security/bastion.pem");
    assert_string_equal(keyed.private_key_kid.c_str(), "2024-01");
    assert_true(keyed.client_assertion_audience == ClientAssertionAudience::token_endpoint);
    const OidcProviderConfig to_issuer = provider_of(
        corp + "private_key_file = \"/etc/security/bastion.pem\"\nclient_assertion_audience = \"issuer\"\n");
    assert_true(to_issuer.client_assertion_audience == ClientAssertionAudience::issuer);
    assert_string_equal(std::string(devflow::client_assertion_audience_name(ClientAssertionAudience::issuer)).c_str(),
                        "issuer");
    assert_string_equal(
        std::string(devflow::client_assertion_audience_name(ClientAssertionAudience::token_endpoint)).c_str(),
        "token_endpoint");
}

void an_unknown_method_names_the_key_and_the_allowed_values(void **) {
    expect_error(corp + "token_endpoint_auth_method = \"client_secret_jwt\"\n",
                 "test.conf:4:30: \"providers.corp.token_endpoint_auth_method\" must be one of \"auto\", "
                 "\"client_secret_basic\", \"client_secret_post\", \"private_key_jwt\", \"none\", not "
                 "\"client_secret_jwt\"");
    expect_error(corp + "token_endpoint_auth_method = 1\n",
                 "test.conf:4:30: \"providers.corp.token_endpoint_auth_method\" must be a string, not an integer");
}

void a_method_needs_its_credential(void **) {
    expect_error(corp + "token_endpoint_auth_method = \"client_secret_basic\"\n",
                 "test.conf:4:30: \"providers.corp.token_endpoint_auth_method\" = \"client_secret_basic\" needs "
                 "\"client_secret_file\" in the same provider");
    expect_error(corp + "token_endpoint_auth_method = \"client_secret_post\"\nprivate_key_file = \"/etc/k\"\n",
                 "test.conf:4:30: \"providers.corp.token_endpoint_auth_method\" = \"client_secret_post\" needs "
                 "\"client_secret_file\" in the same provider");
    expect_error(corp + "token_endpoint_auth_method = \"private_key_jwt\"\nclient_secret_file = \"/etc/s\"\n",
                 "test.conf:4:30: \"providers.corp.token_endpoint_auth_method\" = \"private_key_jwt\" needs "
                 "\"private_key_file\" in the same provider");
    expect_error(corp + "private_key_kid = \"k1\"\n",
                 "test.conf:4:19: \"providers.corp.private_key_kid\" needs \"private_key_file\" in the same provider");
    expect_error(corp + "private_key_file = \"key.pem\"\n",
                 "test.conf:4:20: \"providers.corp.private_key_file\" must be an absolute path (starting with "
                 "\"/\"), not \"key.pem\"");
    expect_error(corp + "private_key_file = \"/etc/k\"\nprivate_key_kid = \"\"\n",
                 "test.conf:5:19: \"providers.corp.private_key_kid\" must not be empty");
    expect_error(corp + "client_assertion_audience = \"issuer\"\n",
                 "test.conf:4:29: \"providers.corp.client_assertion_audience\" needs \"private_key_file\" in the "
                 "same provider");
    expect_error(corp + "private_key_file = \"/etc/k\"\nclient_assertion_audience = \"endpoint\"\n",
                 "test.conf:5:29: \"providers.corp.client_assertion_audience\" must be one of \"token_endpoint\", "
                 "\"issuer\", not \"endpoint\"");
}

// Under auto two credentials would leave the method to chance; an explicit
// method says which one authenticates (the other is kept, unused).
void two_credentials_need_an_explicit_method(void **) {
    expect_error(corp + "client_secret_file = \"/etc/s\"\nprivate_key_file = \"/etc/k\"\n",
                 "test.conf:5:20: [providers.corp] has both \"client_secret_file\" and \"private_key_file\": set "
                 "\"token_endpoint_auth_method\" to the method the client is registered with");
    const std::string both = corp + "client_secret_file = \"/etc/s\"\nprivate_key_file = \"/etc/k\"\n";
    assert_true(provider_of(both + "token_endpoint_auth_method = \"private_key_jwt\"\n").token_endpoint_auth_method ==
                TokenEndpointAuthMethod::private_key_jwt);
}

void the_keys_belong_to_oidc_providers(void **) {
    const std::string aws =
        "[providers.corp]\n"
        "type = \"aws-sso\"\n"
        "start_url = \"https://d-1234567890.awsapps.com/start\"\n"
        "region = \"us-east-1\"\n"
        "sso_session = \"corp\"\n"
        "account_id = \"111122223333\"\n"
        "role_name = \"ReadOnly\"\n";
    expect_error(aws + "private_key_file = \"/etc/k\"\n",
                 "test.conf:8:1: \"providers.corp.private_key_file\" is a key of \"oidc\" providers; this provider "
                 "has type = \"aws-sso\"");
}

// The module reads (as root) and hands to its helper only the credential the
// method may use: never a file the login would not send.
void only_the_credential_in_use_is_read(void **) {
    const std::string secret = "client_secret_file = \"/etc/s\"\n";
    const std::string key = "private_key_file = \"/etc/k\"\n";
    using Paths = std::vector<std::string>;
    assert_true(credential_files(corp).empty());
    assert_true((credential_files(corp + secret) == Paths{"/etc/s"}));
    assert_true((credential_files(corp + key) == Paths{"/etc/k"}));
    const std::string both = corp + secret + key;
    assert_true((credential_files(both + "token_endpoint_auth_method = \"client_secret_basic\"\n") == Paths{"/etc/s"}));
    assert_true((credential_files(both + "token_endpoint_auth_method = \"client_secret_post\"\n") == Paths{"/etc/s"}));
    assert_true((credential_files(both + "token_endpoint_auth_method = \"private_key_jwt\"\n") == Paths{"/etc/k"}));
    assert_true(credential_files(both + "token_endpoint_auth_method = \"none\"\n").empty());
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_default_is_auto),
        cmocka_unit_test(every_method_and_key_is_read),
        cmocka_unit_test(an_unknown_method_names_the_key_and_the_allowed_values),
        cmocka_unit_test(a_method_needs_its_credential),
        cmocka_unit_test(two_credentials_need_an_explicit_method),
        cmocka_unit_test(the_keys_belong_to_oidc_providers),
        cmocka_unit_test(only_the_credential_in_use_is_read),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
