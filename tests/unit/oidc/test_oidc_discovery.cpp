// SPDX-License-Identifier: Apache-2.0
// OpenID Connect discovery: a document is accepted only for the configured
// issuer, and whatever a hostile one names reaches the log only quoted
// (issue 8), whether it comes from the network or from the state cache.
#include "base/log_text.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "oidc/oidc_discovery.hpp"
#include "store/state_store.hpp"
#include "test_files.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "expect_failure.hpp"
#include "log_checks.hpp"  // with cmocka: last

using namespace devflow;
using devflow::test::assert_contains;
using devflow::test::assert_log_line_safe;
using devflow::test::expect_failure;
using devflow::test::FakeTransport;
using devflow::test::kHostileText;
using devflow::test::RecordingLogger;
using devflow::test::TempDir;
using Json = nlohmann::json;

namespace {

const std::string kIssuer = "https://idp.test/realms/corp";
const std::string kDiscovery = kIssuer + "/.well-known/openid-configuration";

std::string document_naming(const std::string &issuer) {
    return Json{{"issuer", issuer},
                {"device_authorization_endpoint", kIssuer + "/device"},
                {"token_endpoint", kIssuer + "/token"},
                {"jwks_uri", kIssuer + "/jwks"}}
        .dump();
}

void the_configured_issuer_is_accepted(void **) {
    const OidcEndpoints endpoints = parse_discovery(document_naming(kIssuer), kIssuer);
    assert_string_equal(endpoints.issuer.c_str(), kIssuer.c_str());
    assert_string_equal(endpoints.token_endpoint.c_str(), (kIssuer + "/token").c_str());
}

void a_hostile_issuer_is_quoted_in_the_failure(void **) {
    const auto failure = expect_failure([] { parse_discovery(document_naming(kHostileText), kIssuer); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
    assert_log_line_safe(failure.message);
    assert_string_equal(failure.message.c_str(), ("discovery document names issuer " + quote_for_log(kHostileText) +
                                                  ", not the configured " + quote_for_log(kIssuer))
                                                     .c_str());
}

// Entra ID's common/organizations discovery names the template issuer
// ".../{tenantid}/v2.0": the failure tells the admin to use the tenant id.
void entra_multi_tenant_discovery_asks_for_the_tenant_id(void **) {
    const std::string common = "https://login.microsoftonline.com/common/v2.0";
    const auto failure = expect_failure(
        [&] { parse_discovery(document_naming("https://login.microsoftonline.com/{tenantid}/v2.0"), common); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::config_error));
    assert_contains(failure.message, "https://login.microsoftonline.com/<tenant id>/v2.0");
    assert_log_line_safe(failure.message);
    // The template written as the configured issuer is refused the same way.
    const std::string templated = "https://login.microsoftonline.com/{tenantid}/v2.0";
    const auto configured = expect_failure([&] { parse_discovery(document_naming(templated), templated); });
    assert_int_equal(static_cast<int>(configured.outcome), static_cast<int>(Outcome::config_error));
}

// Auth0 and Authentik issuers end with a slash: the discovery URL has no
// double slash, and the document's issuer is compared as configured.
void an_issuer_with_a_trailing_slash_is_discovered_without_a_double_slash(void **) {
    const std::string issuer = "https://tenant.auth0.test/";
    FakeTransport transport;
    transport.answer("https://tenant.auth0.test/.well-known/openid-configuration", 200, document_naming(issuer));
    RecordingLogger logger;
    const OidcEndpoints endpoints = discover_endpoints(issuer, transport, nullptr, logger);
    assert_string_equal(endpoints.issuer.c_str(), issuer.c_str());
    const auto failure = expect_failure(
        [] { parse_discovery(document_naming("https://tenant.auth0.test"), "https://tenant.auth0.test/"); });
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
}

// A cached document of another issuer (the state file was edited, or the
// configuration changed) is ignored with a warning, and fetched again.
void a_hostile_cached_document_is_ignored_with_a_quoted_warning(void **) {
    TempDir dir;
    FakeClock clock;
    StateStore state(dir / "state", clock);
    state.put("discovery " + kIssuer, document_naming(kHostileText));
    FakeTransport transport;
    transport.answer(kDiscovery, 200, document_naming(kIssuer));
    RecordingLogger logger;
    const OidcEndpoints endpoints = discover_endpoints(kIssuer, transport, &state, logger);
    assert_string_equal(endpoints.issuer.c_str(), kIssuer.c_str());
    assert_int_equal(transport.count(kDiscovery), 1);
    assert_true(logger.contains("ignoring cached discovery document: discovery document names issuer " +
                                quote_for_log(kHostileText)));
    for (const auto &[level, line] : logger.lines) assert_log_line_safe(line);
}

std::string document_listing(const Json &methods) {
    Json document = Json::parse(document_naming(kIssuer));
    document["token_endpoint_auth_methods_supported"] = methods;
    return document.dump();
}

// RFC 8414's token_endpoint_auth_methods_supported, read as listed; absent
// (as in documents cached before it was read) it is nullopt, not empty.
void the_client_auth_methods_are_read_as_listed(void **) {
    const OidcEndpoints listed =
        parse_discovery(document_listing({"client_secret_basic", "private_key_jwt", "x-other"}), kIssuer);
    assert_true(listed.token_endpoint_auth_methods.has_value());
    assert_true((*listed.token_endpoint_auth_methods ==
                 std::vector<std::string>{"client_secret_basic", "private_key_jwt", "x-other"}));
    const OidcEndpoints empty = parse_discovery(document_listing(Json::array()), kIssuer);
    assert_true(empty.token_endpoint_auth_methods.has_value() && empty.token_endpoint_auth_methods->empty());
    const OidcEndpoints absent = parse_discovery(document_naming(kIssuer), kIssuer);
    assert_false(absent.token_endpoint_auth_methods.has_value());
}

void a_cached_document_without_the_methods_still_loads(void **) {
    TempDir dir;
    FakeClock clock;
    StateStore state(dir / "state", clock);
    state.put("discovery " + kIssuer, document_naming(kIssuer));
    FakeTransport transport;
    RecordingLogger logger;
    const OidcEndpoints endpoints = discover_endpoints(kIssuer, transport, &state, logger);
    assert_int_equal(transport.count(kDiscovery), 0);
    assert_false(endpoints.token_endpoint_auth_methods.has_value());
    assert_string_equal(endpoints.token_endpoint.c_str(), (kIssuer + "/token").c_str());
}

void malformed_client_auth_methods_are_refused(void **) {
    Json too_many = Json::array();
    for (int i = 0; i < 65; ++i) too_many.push_back("m" + std::to_string(i));
    for (const Json &methods : {Json("client_secret_basic"), Json::array({"client_secret_basic", 1}),
                                Json::array({std::string(129, 'm')}), Json::object(), too_many}) {
        const auto failure = expect_failure([&] { parse_discovery(document_listing(methods), kIssuer); });
        assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::unavailable));
        assert_contains(failure.message, "token_endpoint_auth_methods_supported");
    }
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_configured_issuer_is_accepted),
        cmocka_unit_test(a_hostile_issuer_is_quoted_in_the_failure),
        cmocka_unit_test(entra_multi_tenant_discovery_asks_for_the_tenant_id),
        cmocka_unit_test(an_issuer_with_a_trailing_slash_is_discovered_without_a_double_slash),
        cmocka_unit_test(a_hostile_cached_document_is_ignored_with_a_quoted_warning),
        cmocka_unit_test(the_client_auth_methods_are_read_as_listed),
        cmocka_unit_test(a_cached_document_without_the_methods_still_loads),
        cmocka_unit_test(malformed_client_auth_methods_are_refused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
