// SPDX-License-Identifier: Apache-2.0
// How the client authenticates (RFC 6749 2.3, RFC 7523, OIDC Core 9): the
// method `auto` picks from the discovery document's list, what each method
// adds to a request, Basic's encoding of reserved characters, and the device
// and token requests of a whole device flow with each.
#include "base/base64url.hpp"
#include "base/failure.hpp"
#include "base/log_text.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "oidc/client_authentication.hpp"
#include "oidc/oidc_device_client.hpp"
#include "test_keys.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "expect_failure.hpp"
#include "log_checks.hpp"  // with cmocka: last

using namespace devflow;
using devflow::test::expect_failure;
using devflow::test::FakeTransport;
using devflow::test::KeyKind;
using devflow::test::RecordingLogger;
using devflow::test::TestKey;
using Json = nlohmann::json;
using Methods = std::optional<std::vector<std::string>>;

namespace {

const std::string kDevice = "https://idp.example/device/auth";
const std::string kToken = "https://idp.example/token";
const char *const kGoodDevice = R"({"device_code":"dc-1","user_code":"WDJB-MJHT",
  "verification_uri":"https://idp.example/device","expires_in":600,"interval":3})";

// --- auto: the selection table ----------------------------------------------

struct Row {
    TokenEndpointAuthMethod configured;
    bool secret;
    bool key;
    Methods server;
    const char *method;  // what is chosen
    bool listed;
    const char *reason;
};

void auto_picks_from_the_servers_list(void **) {
    using T = TokenEndpointAuthMethod;
    const std::vector<std::string> both = {"client_secret_post", "client_secret_basic"};
    const std::vector<Row> rows = {
        // auto with a secret: Basic first when listed, post when only it is, Basic when no list.
        {T::automatic, true, false, both, "client_secret_basic", true,
         "auto: the server lists client_secret_post, client_secret_basic"},
        {T::automatic, true, false, Methods({"none", "client_secret_post"}), "client_secret_post", true,
         "auto: the server lists none, client_secret_post"},
        {T::automatic, true, false, Methods({"client_secret_basic"}), "client_secret_basic", true,
         "auto: the server lists client_secret_basic"},
        {T::automatic, true, false, std::nullopt, "client_secret_basic", true,
         "auto: the server does not list its methods, and RFC 6749 makes client_secret_basic the one every "
         "server supports"},
        // auto with a key: private_key_jwt.
        {T::automatic, false, true, Methods({"client_secret_basic", "private_key_jwt"}), "private_key_jwt", true,
         "auto: the server lists client_secret_basic, private_key_jwt"},
        {T::automatic, false, true, std::nullopt, "private_key_jwt", true, "auto: a private_key_file is configured"},
        // auto with neither: a public client, whatever the list says
        // (Keycloak, Google and Entra ID do not list "none").
        {T::automatic, false, false, Methods({"client_secret_basic", "private_key_jwt"}), "none", true,
         "auto: a public client, with no client_secret_file or private_key_file"},
        {T::automatic, false, false, std::nullopt, "none", true,
         "auto: a public client, with no client_secret_file or private_key_file"},
        // Explicit methods are used as configured, listed or not.
        {T::client_secret_post, true, false, Methods({"client_secret_basic"}), "client_secret_post", false,
         "configured, though the server lists client_secret_basic, not this one"},
        {T::client_secret_post, true, false, both, "client_secret_post", true, "configured; the server lists it"},
        {T::client_secret_basic, true, false, std::nullopt, "client_secret_basic", true,
         "configured; the server does not list its methods"},
        {T::private_key_jwt, false, true, Methods({"private_key_jwt"}), "private_key_jwt", true,
         "configured; the server lists it"},
        {T::none, true, false, both, "none", false,
         "configured, though the server lists client_secret_post, client_secret_basic, not this one"},
    };
    for (const Row &row : rows) {
        const ClientAuthChoice choice = choose_client_auth(row.configured, row.secret, row.key, row.server);
        if (client_auth_method_name(choice.method) != row.method || choice.listed != row.listed ||
            choice.reason != row.reason) {
            fail_msg("%s secret=%d key=%d: got %s listed=%d", std::string(row.method).c_str(), row.secret, row.key,
                     choice.describe().c_str(), choice.listed);
        }
    }
    const ClientAuthChoice choice = choose_client_auth(T::automatic, true, false, both);
    assert_string_equal(choice.describe().c_str(),
                        "client_secret_basic (auto: the server lists client_secret_post, client_secret_basic)");
}

// auto never picks a method the server's list lacks: it says which key to set.
void auto_refuses_what_the_server_does_not_list(void **) {
    const auto secret = expect_failure([] {
        choose_client_auth(TokenEndpointAuthMethod::automatic, true, false,
                           Methods({"private_key_jwt", "tls_client_auth"}));
    });
    assert_int_equal(static_cast<int>(secret.outcome), static_cast<int>(Outcome::unavailable));
    assert_string_equal(secret.message.c_str(),
                        "token_endpoint_auth_method = \"auto\" found no method for a client with a "
                        "client_secret_file: the server lists private_key_jwt, tls_client_auth in "
                        "token_endpoint_auth_methods_supported; set token_endpoint_auth_method to the method the "
                        "client is registered with");
    const auto key = expect_failure(
        [] { choose_client_auth(TokenEndpointAuthMethod::automatic, false, true, Methods({"client_secret_basic"})); });
    assert_int_equal(static_cast<int>(key.outcome), static_cast<int>(Outcome::unavailable));
    assert_non_null(strstr(key.message.c_str(),
                           "for a client with a private_key_file: the server lists "
                           "client_secret_basic in"));
    const auto empty = expect_failure([] {
        choose_client_auth(TokenEndpointAuthMethod::automatic, true, false, Methods(std::vector<std::string>{}));
    });
    assert_non_null(strstr(empty.message.c_str(), "the server lists no method in"));
}

// The list is the network's: only registered method names reach a reason.
void unknown_names_in_the_list_are_counted_not_shown(void **) {
    const ClientAuthChoice choice =
        choose_client_auth(TokenEndpointAuthMethod::automatic, true, false,
                           Methods({devflow::test::kHostileText, "client_secret_post", "x-custom"}));
    assert_string_equal(choice.reason.c_str(), "auto: the server lists client_secret_post (and 2 others)");
}

// --- what each method adds ----------------------------------------------------

struct Added {
    FormFields fields;
    std::vector<std::string> headers;
};

Added added_by(const ClientAuthentication &authentication, const std::string &endpoint = kToken) {
    Added added;
    authentication.add_to(endpoint, added.fields, added.headers);
    return added;
}

// RFC 6749 2.3.1 and Appendix B: id and secret are form-urlencoded (a space
// as "+", ":" and "%" escaped, UTF-8 as %XX) before they are joined by ":"
// and base64 encoded, so a ":" in the id cannot move the split.
void basic_encodes_reserved_characters_first(void **) {
    const std::string header = basic_authorization_header("a b:c", Secret("p@ss:w\xc3\xb6rd%"));
    // base64("a+b%3Ac:p%40ss%3Aw%C3%B6rd%25")
    assert_string_equal(header.c_str(), "Authorization: Basic YStiJTNBYzpwJTQwc3MlM0F3JUMzJUI2cmQlMjU=");
    assert_string_equal(basic_authorization_header("bastion", Secret("s3cret")).c_str(),
                        "Authorization: Basic YmFzdGlvbjpzM2NyZXQ=");
}

void basic_sends_the_secret_only_in_the_header(void **) {
    const Added added = added_by(
        ClientAuthentication::with_secret(ClientAuthMethod::client_secret_basic, "a b:c", Secret("p@ss:w\xc3\xb6rd%")));
    assert_int_equal(added.fields.size(), 1);
    assert_string_equal(added.fields[0].first.c_str(), "client_id");
    assert_string_equal(added.fields[0].second.c_str(), "a b:c");
    assert_int_equal(added.headers.size(), 1);
    assert_string_equal(added.headers[0].c_str(), "Authorization: Basic YStiJTNBYzpwJTQwc3MlM0F3JUMzJUI2cmQlMjU=");
}

void post_and_none_use_the_body_only(void **) {
    const Added post =
        added_by(ClientAuthentication::with_secret(ClientAuthMethod::client_secret_post, "bastion", Secret("s3")));
    assert_int_equal(post.fields.size(), 2);
    assert_string_equal(post.fields[1].first.c_str(), "client_secret");
    assert_string_equal(post.fields[1].second.c_str(), "s3");
    assert_true(post.headers.empty());
    const Added none = added_by(ClientAuthentication::public_client("bastion"));
    assert_int_equal(none.fields.size(), 1);
    assert_string_equal(none.fields[0].second.c_str(), "bastion");
    assert_true(none.headers.empty());
}

Json assertion_claims(const std::string &compact) {
    const auto first = compact.find('.');
    const auto second = compact.find('.', first + 1);
    return Json::parse(*base64url_decode(compact.substr(first + 1, second - first - 1)));
}

// A new assertion per request, for the token endpoint also at the device
// endpoint, and never to another server than the token endpoint's.
void private_key_jwt_sends_a_fresh_assertion_per_request(void **) {
    const TestKey rsa(KeyKind::rsa2048);
    FakeClock clock;
    auto key = std::make_unique<ClientAssertionKey>(ClientAssertionKey::from_pem(Secret(rsa.private_pem()), "/k"));
    const ClientAuthentication authentication =
        ClientAuthentication::with_private_key("bastion", std::move(key), "kid-1", kToken, clock);
    const Added device = added_by(authentication, kDevice);
    clock.advance(std::chrono::seconds(5));
    const Added token = added_by(authentication, kToken);
    for (const Added *added : {&device, &token}) {
        assert_int_equal(added->fields.size(), 3);
        assert_string_equal(added->fields[0].first.c_str(), "client_id");
        assert_string_equal(added->fields[1].first.c_str(), "client_assertion_type");
        assert_string_equal(added->fields[1].second.c_str(), "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        assert_string_equal(added->fields[2].first.c_str(), "client_assertion");
        assert_true(added->headers.empty());
    }
    const Json first = assertion_claims(device.fields[2].second);
    const Json second = assertion_claims(token.fields[2].second);
    assert_string_equal(first.at("aud").get<std::string>().c_str(), kToken.c_str());
    assert_string_equal(second.at("aud").get<std::string>().c_str(), kToken.c_str());
    assert_string_not_equal(first.at("jti").get<std::string>().c_str(), second.at("jti").get<std::string>().c_str());
    assert_int_equal(second.at("iat").get<long long>() - first.at("iat").get<long long>(), 5);

    const auto elsewhere = expect_failure([&] { added_by(authentication, "https://evil.example/device/auth"); });
    assert_int_equal(static_cast<int>(elsewhere.outcome), static_cast<int>(Outcome::unavailable));
    const auto other_port = expect_failure([&] { added_by(authentication, "https://idp.example:8443/device"); });
    assert_int_equal(static_cast<int>(other_port.outcome), static_cast<int>(Outcome::unavailable));
}

// client_assertion_audience = "issuer": aud is the issuer at both endpoints,
// and the assertion still goes only to the token endpoint's origin, even
// when the issuer is on another one.
void private_key_jwt_can_name_the_issuer_as_audience(void **) {
    const TestKey ec(KeyKind::p256);
    FakeClock clock;
    auto key = std::make_unique<ClientAssertionKey>(ClientAssertionKey::from_pem(Secret(ec.private_pem()), "/k"));
    const std::string issuer = "https://login.example/tenant/";
    const ClientAuthentication authentication =
        ClientAuthentication::with_private_key("bastion", std::move(key), "", kToken, clock, issuer);
    for (const std::string &endpoint : {kDevice, kToken}) {
        const Added added = added_by(authentication, endpoint);
        assert_string_equal(assertion_claims(added.fields[2].second).at("aud").get<std::string>().c_str(),
                            issuer.c_str());
    }
    const auto at_issuer = expect_failure([&] { added_by(authentication, "https://login.example/tenant/device"); });
    assert_int_equal(static_cast<int>(at_issuer.outcome), static_cast<int>(Outcome::unavailable));
}

// --- a device flow with each method -----------------------------------------

OidcDeviceClient device_client(ClientAuthentication authentication, FakeTransport &transport, FakeClock &clock) {
    OidcEndpoints endpoints{"https://idp.example", kDevice, kToken, "https://idp.example/jwks"};
    OidcClientSettings settings;
    settings.authentication = std::move(authentication);
    settings.scopes = {"openid"};
    return OidcDeviceClient(endpoints, std::move(settings), transport, clock);
}

void basic_goes_to_the_device_and_token_endpoints(void **) {
    FakeTransport transport;
    FakeClock clock;
    transport.answer(kDevice, 200, kGoodDevice);
    transport.answer(kToken, 400, R"({"error":"authorization_pending"})");
    auto client = device_client(
        ClientAuthentication::with_secret(ClientAuthMethod::client_secret_basic, "bastion", Secret("s3cret&=")),
        transport, clock);
    client.poll(client.start());
    assert_int_equal(transport.sent().size(), 2);
    assert_string_equal(transport.sent()[0].body.c_str(), "client_id=bastion&scope=openid");
    assert_string_equal(transport.sent()[1].body.c_str(),
                        "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code&device_code=dc-1"
                        "&client_id=bastion");
    for (const auto &sent : transport.sent()) {
        // base64("bastion:s3cret%26%3D")
        assert_string_equal(sent.headers.at(0).c_str(), "Authorization: Basic YmFzdGlvbjpzM2NyZXQlMjYlM0Q=");
    }
}

// A server that refuses the method says invalid_client: the line names the
// method and why it was chosen (never the secret).
void invalid_client_names_the_method(void **) {
    for (const long status : {400L, 401L}) {
        FakeTransport transport;
        FakeClock clock;
        transport.answer(kDevice, status, R"({"error":"invalid_client"})");
        auto authentication =
            ClientAuthentication::with_secret(ClientAuthMethod::client_secret_post, "bastion", Secret("s3cret"));
        authentication.set_reason("configured, though the server lists client_secret_basic, not this one");
        auto client = device_client(std::move(authentication), transport, clock);
        const auto failure = expect_failure([&] { client.start(); });
        assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
        assert_string_equal(failure.message.c_str(),
                            ("device authorization request answered HTTP " + std::to_string(status) +
                             " (\"invalid_client\"): the identity provider refused the client authentication, "
                             "client_secret_post (configured, though the server lists client_secret_basic, not this "
                             "one)")
                                .c_str());
    }
    FakeTransport transport;
    FakeClock clock;
    transport.answer(kDevice, 200, kGoodDevice);
    transport.answer(kToken, 401, R"({"error":"invalid_client"})");
    auto client = device_client(ClientAuthentication::public_client("bastion"), transport, clock);
    const DeviceAuthorization authorization = client.start();
    const auto failure = expect_failure([&] { client.poll(authorization); });
    assert_string_equal(failure.message.c_str(),
                        "token request answered HTTP 401 (\"invalid_client\"): the identity provider refused the "
                        "client authentication, none");
}

// --- the provider's credential and choice ----------------------------------

void the_debug_line_names_method_and_reason_not_the_credential(void **) {
    OidcProviderConfig provider;
    provider.name = "corp";
    provider.client_id = "bastion";
    ClientCredential credential;
    credential.client_secret = Secret("CS-do-not-log-me");
    OidcEndpoints endpoints{"https://idp.example", kDevice, kToken, "https://idp.example/jwks",
                            Methods({"client_secret_post"})};
    FakeClock clock;
    RecordingLogger logger;
    const ClientAuthentication authentication =
        client_authentication_for(provider, std::move(credential), endpoints, clock, logger);
    assert_int_equal(static_cast<int>(authentication.method()), static_cast<int>(ClientAuthMethod::client_secret_post));
    assert_true(
        logger.contains("client authentication: client_secret_post (auto: the server lists "
                        "client_secret_post)"));
    assert_false(logger.contains("CS-do-not-log-me"));
    const Added added = added_by(authentication);
    assert_string_equal(added.fields.at(1).second.c_str(), "CS-do-not-log-me");
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(auto_picks_from_the_servers_list),
        cmocka_unit_test(auto_refuses_what_the_server_does_not_list),
        cmocka_unit_test(unknown_names_in_the_list_are_counted_not_shown),
        cmocka_unit_test(basic_encodes_reserved_characters_first),
        cmocka_unit_test(basic_sends_the_secret_only_in_the_header),
        cmocka_unit_test(post_and_none_use_the_body_only),
        cmocka_unit_test(private_key_jwt_sends_a_fresh_assertion_per_request),
        cmocka_unit_test(private_key_jwt_can_name_the_issuer_as_audience),
        cmocka_unit_test(basic_goes_to_the_device_and_token_endpoints),
        cmocka_unit_test(invalid_client_names_the_method),
        cmocka_unit_test(the_debug_line_names_method_and_reason_not_the_credential),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
