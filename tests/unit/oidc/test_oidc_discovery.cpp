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

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_configured_issuer_is_accepted),
        cmocka_unit_test(a_hostile_issuer_is_quoted_in_the_failure),
        cmocka_unit_test(a_hostile_cached_document_is_ignored_with_a_quoted_warning),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
