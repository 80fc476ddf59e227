// SPDX-License-Identifier: Apache-2.0
// One whole login through the core (config file, discovery, device flow,
// id_token verification, identity, policy, cache) with a scripted transport
// and a fake clock: the outcomes, the state cache, and that no log line ever
// carries a token, a device code or a client secret, even with debug on.
#include "base/log_text.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "log_checks.hpp"
#include "login/authenticator.hpp"
#include "scripted_login.hpp"
#include "test_files.hpp"
#include "test_keys.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::assert_contains;
using devflow::test::assert_log_line_safe;
using devflow::test::assert_terminal_safe;
using devflow::test::current_user;
using devflow::test::FakeConversation;
using devflow::test::FakeTransport;
using devflow::test::kDevice;
using devflow::test::kDiscovery;
using devflow::test::KeyKind;
using devflow::test::kHostileText;
using devflow::test::kIssuer;
using devflow::test::kJwks;
using devflow::test::kToken;
using devflow::test::NoPrivileges;
using devflow::test::RecordingLogger;
using devflow::test::TempDir;
using devflow::test::TestKey;
using Json = nlohmann::json;

namespace {

const char *const kAccessToken = "AT-9f8e7d6c5b4a";
const char *const kRefreshToken = "RT-0a1b2c3d4e5f";
const char *const kDeviceCode = "DC-55aa66bb77cc";
const char *const kClientSecret = "CS-topsecret-123";

struct World {
    TempDir dir;
    TestKey key{KeyKind::rsa2048};
    FakeTransport *transport = nullptr;  // owned by the login while it runs
    FakeClock clock;
    FakeConversation conversation;
    RecordingLogger logger;
    NoPrivileges privileges;
    std::unique_ptr<FakeTransport> prepared = std::make_unique<FakeTransport>();
    std::string user = current_user();

    World() { transport = prepared.get(); }

    void write_config(const std::string &provider_extra = "") {
        devflow::test::write_text(dir / "pam_device_flow.conf",
                                  "prompt = \"auto\"\nqr = \"off\"\nstate_dir = \"" + (dir / "state") +
                                      "\"\n[providers.corp]\ntype = \"oidc\"\nissuer = \"" + kIssuer +
                                      "\"\nclient_id = \"bastion\"\n" + provider_extra,
                                  0600);
    }

    std::string id_token(const Json &claims_override = Json::object(), const std::string &kid = "k1") {
        const long now = std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
        Json claims = {{"iss", kIssuer}, {"aud", "bastion"}, {"sub", "u-1"},
                       {"iat", now},     {"exp", now + 300}, {"preferred_username", user}};
        claims.update(claims_override);
        return devflow::test::make_jws({{"alg", "RS256"}, {"kid", kid}}, claims, key, "RS256");
    }

    void script_idp(const std::string &token_body, const std::string &kid = "k1") {
        transport->answer(kDiscovery, 200,
                          Json{{"issuer", kIssuer},
                               {"device_authorization_endpoint", kDevice},
                               {"token_endpoint", kToken},
                               {"jwks_uri", kJwks}}
                              .dump());
        transport->answer(kJwks, 200, devflow::test::jwks_document({key.jwk(kid)}));
        transport->answer(kDevice, 200,
                          Json{{"device_code", kDeviceCode},
                               {"user_code", "WDJB-MJHT"},
                               {"verification_uri", "https://idp.test/device"},
                               {"expires_in", 600}}
                              .dump());
        transport->answer(kToken, 400, R"({"error":"authorization_pending"})");
        transport->answer(kToken, 200, token_body);
    }

    std::string approved_body(const std::string &token) {
        return Json{{"access_token", kAccessToken},
                    {"refresh_token", kRefreshToken},
                    {"id_token", token},
                    {"token_type", "Bearer"},
                    {"expires_in", 3600}}
            .dump();
    }

    LoginResult login(const std::string &arguments_provider = "", const std::string &service = "sudo",
                      const std::string &remote_host = "", bool reuse_approvals = true) {
        LoginRequest request;
        request.reuse_approvals = reuse_approvals;
        request.config_path = dir / "pam_device_flow.conf";
        request.provider_name = arguments_provider;
        request.user = user;
        request.service = service;
        request.remote_host = remote_host;
        request.local_host = "bastion1";
        std::shared_ptr<FakeTransport> shared(std::move(prepared));
        LoginServices services{clock,
                               conversation,
                               logger,
                               privileges,
                               [shared](const TransportSettings &) -> std::unique_ptr<HttpTransport> {
                                   // Hand out a forwarding view so the test keeps the counts.
                                   struct Forward final : HttpTransport {
                                       explicit Forward(std::shared_ptr<FakeTransport> t) : target(std::move(t)) {}
                                       HttpResponse send(const HttpRequest &r) override { return target->send(r); }
                                       std::shared_ptr<FakeTransport> target;
                                   };
                                   return std::make_unique<Forward>(shared);
                               },
                               {}};
        keep = shared;
        LoginResult result = authenticate(request, services);
        return result;
    }

    void assert_no_secret_logged(const std::string &token) {
        for (const auto &[level, line] : logger.lines) {
            for (const char *secret : {kAccessToken, kRefreshToken, kDeviceCode, kClientSecret}) {
                if (line.find(secret) != std::string::npos) fail_msg("secret in log: %s", line.c_str());
            }
            if (line.find(token.substr(token.size() - 20)) != std::string::npos) {
                fail_msg("id_token in log: %s", line.c_str());
            }
        }
    }

    std::shared_ptr<FakeTransport> keep;
};

#define assert_outcome(result, expected) \
    assert_int_equal(static_cast<int>((result).outcome), static_cast<int>(Outcome::expected))

void an_approved_login_succeeds_and_logs_no_secret(void **) {
    World world;
    world.write_config("client_secret_file = \"" + (world.dir / "secret") + "\"\n");
    devflow::test::write_text(world.dir / "secret", std::string(kClientSecret) + "\n", 0600);
    const std::string token = world.id_token();
    world.script_idp(world.approved_body(token));
    LoginResult result = world.login();
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    assert_non_null(std::strstr(result.log_line.c_str(), "logged in with provider corp"));
    assert_int_equal(world.privileges.calls, 1);
    assert_true(world.logger.contains("token cache not written"));
    world.assert_no_secret_logged(token);
    assert_false(world.logger.contains(kClientSecret));
    assert_int_equal(world.conversation.shown.size(), 1);
}

// --- CreateTokenWithIAM after the login ------------------------------------

const std::string kImds = "http://127.0.0.1:9";
const std::string kAwsOidc = "https://oidc.eu-west-1.amazonaws.com";
const std::string kIamToken = kAwsOidc + "/token?aws_iam=t";
const char *const kImdsSecret = "IMDS-secret-key-0001";
const char *const kIdcAccessToken = "IDC-access-token-0001";
const char *const kIdcRefreshToken = "IDC-refresh-token-0001";

void configure_exchange(World &world) {
    world.write_config(
        "aws_idc_application_arn = "
        "\"arn:aws:sso::123456789012:application/ssoins-0123456789abcdef/apl-0123456789abcdef\"\n"
        "aws_region = \"eu-west-1\"\naws_sso_session = \"corp\"\naws_credentials = \"imds\"\n"
        "aws_imds_endpoint = \"" +
        kImds + "\"\n");
    world.transport->answer(kImds + "/latest/api/token", 200, "imds-session-token");
    world.transport->answer(kImds + "/latest/meta-data/iam/security-credentials/", 200, "host-role");
    world.transport->answer(kImds + "/latest/meta-data/iam/security-credentials/host-role", 200,
                            Json{{"Code", "Success"},
                                 {"AccessKeyId", "ASIAHOST"},
                                 {"SecretAccessKey", kImdsSecret},
                                 {"Token", "host-session"}}
                                .dump());
}

void assert_no_aws_secret_logged(World &world) {
    for (const auto &[level, line] : world.logger.lines) {
        for (const char *secret :
             {kImdsSecret, kIdcAccessToken, kIdcRefreshToken, "imds-session-token", "host-session"}) {
            if (line.find(secret) != std::string::npos) fail_msg("AWS secret in log: %s", line.c_str());
        }
    }
}

void the_verified_id_token_is_exchanged_after_the_login(void **) {
    World world;
    configure_exchange(world);
    const std::string token = world.id_token();
    world.script_idp(world.approved_body(token));
    world.transport->answer(kIamToken, 200,
                            Json{{"accessToken", kIdcAccessToken},
                                 {"tokenType", "Bearer"},
                                 {"expiresIn", 3600},
                                 {"refreshToken", kIdcRefreshToken},
                                 {"idToken", "x.y.z"}}
                                .dump());
    LoginResult result = world.login();
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    // Both caches are written as the user (here the privilege drop fails: a warning).
    assert_int_equal(world.privileges.calls, 2);
    assert_true(world.logger.contains("AWS IAM Identity Center token not obtained"));
    assert_int_equal(world.keep->count(kIamToken), 1);
    for (const auto &sent : world.keep->sent()) {
        if (sent.url != kIamToken) continue;
        assert_string_equal(Json::parse(sent.body).value("assertion", "").c_str(), token.c_str());
        assert_string_equal(sent.aws_signing->provider.c_str(), "aws:amz:eu-west-1:sso-oauth");
        assert_string_equal(sent.aws_signing->access_key_id.c_str(), "ASIAHOST");
        assert_string_equal(sent.aws_signing->session_token.c_str(), "host-session");
    }
    world.assert_no_secret_logged(token);
    assert_no_aws_secret_logged(world);
}

void a_refused_exchange_is_a_warning_only(void **) {
    World world;
    configure_exchange(world);
    const std::string token = world.id_token();
    world.script_idp(world.approved_body(token));
    world.transport->answer(kIamToken, 403, R"({"message":"The request signature we calculated does not match"})",
                            {{"x-amzn-errortype", "InvalidSignatureException:http://internal.amazon.com/"}});
    LoginResult result = world.login();
    assert_outcome(result, success);
    assert_int_equal(world.privileges.calls, 1);  // the OIDC cache only
    assert_true(world.logger.contains("CreateTokenWithIAM answered HTTP 403 (InvalidSignatureException)"));
    assert_no_aws_secret_logged(world);
}

void another_identity_is_never_exchanged(void **) {
    World world;
    configure_exchange(world);
    world.script_idp(world.approved_body(world.id_token({{"preferred_username", "someone-else"}})));
    LoginResult result = world.login();
    assert_outcome(result, refused);
    assert_int_equal(world.keep->count(kIamToken), 0);
    assert_int_equal(world.keep->count(kImds + "/latest/api/token"), 0);
}

void a_group_readable_client_secret_is_refused(void **) {
    World world;
    world.write_config("client_secret_file = \"" + (world.dir / "secret") + "\"\n");
    devflow::test::write_text(world.dir / "secret", kClientSecret, 0640);
    world.script_idp(world.approved_body(world.id_token()));
    LoginResult result = world.login();
    assert_outcome(result, config_error);
    assert_non_null(std::strstr(result.log_line.c_str(), "chmod 600"));
    assert_int_equal(world.keep->sent().size(), 0);
}

void another_identity_is_refused(void **) {
    World world;
    world.write_config();
    world.script_idp(world.approved_body(world.id_token({{"preferred_username", "mallory"}})));
    LoginResult result = world.login();
    assert_outcome(result, refused);
    assert_non_null(std::strstr(result.user_message.c_str(), "another account"));
    assert_int_equal(world.privileges.calls, 0);  // nothing written for a refused login
}

void a_forged_id_token_is_unavailable(void **) {
    World world;
    world.write_config();
    const std::string forged = devflow::test::flip_signature_byte(world.id_token());
    world.script_idp(world.approved_body(forged));
    LoginResult result = world.login();
    assert_outcome(result, unavailable);
    assert_non_null(std::strstr(result.log_line.c_str(), "signature"));
    assert_int_equal(world.privileges.calls, 0);
}

void a_token_answer_without_id_token_is_unavailable(void **) {
    World world;
    world.write_config();
    world.script_idp(R"({"access_token":"x","token_type":"Bearer"})");
    assert_outcome(world.login(), unavailable);
}

void policy_runs_after_identity(void **) {
    World world;
    world.write_config("allowed_groups = [\"admins\"]\n");
    world.script_idp(world.approved_body(world.id_token({{"groups", Json::array({"ssh-users"})}})));
    LoginResult result = world.login();
    assert_outcome(result, refused);
    assert_int_equal(world.privileges.calls, 0);
}

void discovery_and_jwks_are_cached_in_state_dir(void **) {
    World world;
    world.write_config();
    world.script_idp(world.approved_body(world.id_token()));
    assert_outcome(world.login(), success);
    assert_int_equal(world.keep->count(kDiscovery), 1);
    assert_int_equal(world.keep->count(kJwks), 1);

    // A second login an hour minus a minute later: neither is fetched again.
    world.clock.advance(std::chrono::minutes(59));
    world.prepared = std::make_unique<FakeTransport>();
    world.transport = world.prepared.get();
    world.script_idp(world.approved_body(world.id_token()));
    assert_outcome(world.login(), success);
    assert_int_equal(world.keep->count(kDiscovery), 0);
    assert_int_equal(world.keep->count(kJwks), 0);

    // After the TTL both are fetched again.
    world.clock.advance(std::chrono::minutes(2));
    world.prepared = std::make_unique<FakeTransport>();
    world.transport = world.prepared.get();
    world.script_idp(world.approved_body(world.id_token()));
    assert_outcome(world.login(), success);
    assert_int_equal(world.keep->count(kDiscovery), 1);
}

void a_rotated_key_is_fetched_once(void **) {
    World world;
    world.write_config();
    world.script_idp(world.approved_body(world.id_token()));
    assert_outcome(world.login(), success);

    // The IdP rotated to a new key with a new kid; the cached JWKS lacks it.
    world.key = TestKey(KeyKind::rsa2048);
    world.prepared = std::make_unique<FakeTransport>();
    world.transport = world.prepared.get();
    const std::string token = world.id_token(Json::object(), "k2");
    world.script_idp(world.approved_body(token), "k2");
    LoginResult result = world.login();
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    assert_int_equal(world.keep->count(kJwks), 1);
}

// The audit's case, whole: after a local sudo approval, a login through the
// sshd stack from 203.0.113.7 two seconds later runs a device flow of its own
// (a reuse_window approval is bound to the PAM service and PAM_RHOST).
void a_reuse_is_bound_to_the_service_and_the_remote_host(void **) {
    World world;
    world.write_config("reuse_window = 300\n");
    world.script_idp(world.approved_body(world.id_token()));
    assert_outcome(world.login("", "sudo-devflow", ""), success);
    assert_int_equal(world.keep->count(kDevice), 1);

    world.clock.advance(std::chrono::seconds(2));
    world.prepared = std::make_unique<FakeTransport>();
    world.transport = world.prepared.get();
    world.script_idp(world.approved_body(world.id_token()));
    LoginResult result = world.login("", "sshd-devflow", "203.0.113.7");
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    assert_null(std::strstr(result.log_line.c_str(), "reused"));
    assert_int_equal(world.keep->count(kDevice), 1);
    assert_int_equal(world.conversation.shown.size(), 2);  // the code, shown again

    // From the same place again, within the window: reused, no device request.
    world.clock.advance(std::chrono::seconds(2));
    world.prepared = std::make_unique<FakeTransport>();
    world.transport = world.prepared.get();
    result = world.login("", "sshd-devflow", "203.0.113.7");
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    assert_non_null(std::strstr(result.log_line.c_str(), "reused an approval from 2 s ago"));
    assert_int_equal(world.keep->count(kDevice), 0);
    assert_int_equal(world.conversation.shown.size(), 2);
}

// pam-device-flow login asks for no reuse: every login runs a device flow,
// and none is recorded for a later login to reuse.
void a_login_without_reuse_neither_reuses_nor_records(void **) {
    World world;
    world.write_config("reuse_window = 300\n");
    for (int round = 0; round < 2; ++round) {
        world.prepared = std::make_unique<FakeTransport>();
        world.transport = world.prepared.get();
        world.script_idp(world.approved_body(world.id_token()));
        LoginResult result = world.login("", "pam-device-flow", "", false);
        if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
        assert_int_equal(world.keep->count(kDevice), 1);
        world.clock.advance(std::chrono::seconds(2));
    }
    // Nor is a login that may reuse let in by them.
    world.prepared = std::make_unique<FakeTransport>();
    world.transport = world.prepared.get();
    world.script_idp(world.approved_body(world.id_token()));
    LoginResult result = world.login("", "pam-device-flow", "");
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    assert_int_equal(world.keep->count(kDevice), 1);
}

void a_missing_config_is_a_config_error(void **) {
    World world;
    LoginResult result = world.login();
    assert_outcome(result, config_error);
    assert_non_null(std::strstr(result.log_line.c_str(), "pam_device_flow.conf"));
}

void an_unknown_provider_is_a_config_error(void **) {
    World world;
    world.write_config();
    LoginResult result = world.login("nope");
    assert_outcome(result, config_error);
    assert_non_null(std::strstr(result.log_line.c_str(), "corp"));  // names what exists
}

// --- IdP strings in log lines and on the terminal (issue 8) -----------------

// Every log line (debug ones too), the result's line, and everything the
// person was shown: nothing a hostile IdP sent may act on a log or a terminal.
void assert_nothing_raw_reached_a_log_or_terminal(const World &world, const LoginResult &result) {
    assert_log_line_safe(result.log_line);
    for (const auto &[level, line] : world.logger.lines) assert_log_line_safe(line);
    assert_terminal_safe(result.user_message);
    for (const auto &text : world.conversation.shown) assert_terminal_safe(text);
    for (const auto &text : world.conversation.errors) assert_terminal_safe(text);
    for (const auto &text : world.conversation.prompts) assert_terminal_safe(text);
}

std::string discovery_naming(const std::string &issuer) {
    return Json{
        {"issuer", issuer}, {"device_authorization_endpoint", kDevice}, {"token_endpoint", kToken}, {"jwks_uri", kJwks}}
        .dump();
}

void a_hostile_sub_is_quoted_in_the_success_line(void **) {
    World world;
    world.write_config();
    world.script_idp(world.approved_body(world.id_token({{"sub", kHostileText}})));
    LoginResult result = world.login();
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    assert_contains(result.log_line, "(sub " + quote_for_log(kHostileText) + ")");
    assert_nothing_raw_reached_a_log_or_terminal(world, result);
}

void a_hostile_kid_is_quoted_in_the_debug_line(void **) {
    World world;
    world.write_config();
    world.script_idp(world.approved_body(world.id_token(Json::object(), kHostileText)), kHostileText);
    LoginResult result = world.login();
    if (result.outcome != Outcome::success) fail_msg("%s", result.log_line.c_str());
    assert_true(world.logger.contains("id_token verified (RS256, kid " + quote_for_log(kHostileText) + ")"));
    assert_nothing_raw_reached_a_log_or_terminal(world, result);
}

void a_hostile_username_claim_is_quoted_in_the_refusal(void **) {
    World world;
    world.write_config();
    world.script_idp(world.approved_body(world.id_token({{"preferred_username", kHostileText}})));
    LoginResult result = world.login();
    assert_outcome(result, refused);
    assert_contains(result.log_line, quote_for_log(kHostileText));
    assert_nothing_raw_reached_a_log_or_terminal(world, result);
}

// A look-alike name (a right-to-left override, no control byte) passes the
// plausibility check and is refused as another identity: quoted there too.
void a_look_alike_username_claim_is_quoted_in_the_mismatch(void **) {
    World world;
    world.write_config();
    const std::string look_alike = world.user +
                                   "\xe2\x80\xae"
                                   "nimda";
    world.script_idp(world.approved_body(world.id_token({{"preferred_username", look_alike}})));
    LoginResult result = world.login();
    assert_outcome(result, refused);
    assert_contains(result.log_line, "identity mismatch: the IdP says " + quote_for_log(look_alike));
    assert_nothing_raw_reached_a_log_or_terminal(world, result);
}

void a_hostile_discovery_issuer_is_quoted(void **) {
    World world;
    world.write_config();
    world.transport->answer(kDiscovery, 200, discovery_naming(kHostileText));
    LoginResult result = world.login();
    assert_outcome(result, unavailable);
    assert_contains(result.log_line, "discovery document names issuer " + quote_for_log(kHostileText));
    assert_nothing_raw_reached_a_log_or_terminal(world, result);
}

void a_hostile_token_error_code_is_quoted(void **) {
    World world;
    world.write_config();
    world.transport->answer(kDiscovery, 200, discovery_naming(kIssuer));
    world.transport->answer(kDevice, 200,
                            Json{{"device_code", kDeviceCode},
                                 {"user_code", "WDJB-MJHT"},
                                 {"verification_uri", "https://idp.test/device"},
                                 {"expires_in", 600}}
                                .dump());
    world.transport->answer(kToken, 400, Json{{"error", kHostileText}}.dump());
    LoginResult result = world.login();
    assert_outcome(result, unavailable);
    assert_contains(result.log_line, "token endpoint answered error " + quote_for_log(kHostileText, 64));
    assert_nothing_raw_reached_a_log_or_terminal(world, result);
}

void a_hostile_device_error_code_is_quoted(void **) {
    World world;
    world.write_config();
    world.transport->answer(kDiscovery, 200, discovery_naming(kIssuer));
    world.transport->answer(kDevice, 400, Json{{"error", kHostileText}}.dump());
    LoginResult result = world.login();
    assert_outcome(result, unavailable);
    assert_contains(result.log_line, "answered HTTP 400 (" + quote_for_log(kHostileText, 64) + ")");
    assert_nothing_raw_reached_a_log_or_terminal(world, result);
}

void an_unreachable_idp_is_unavailable(void **) {
    World world;
    world.write_config();
    world.transport->unreachable(kDiscovery);
    LoginResult result = world.login();
    assert_outcome(result, unavailable);
    assert_int_equal(world.conversation.shown.size(), 0);
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(an_approved_login_succeeds_and_logs_no_secret),
        cmocka_unit_test(a_group_readable_client_secret_is_refused),
        cmocka_unit_test(another_identity_is_refused),
        cmocka_unit_test(a_forged_id_token_is_unavailable),
        cmocka_unit_test(a_token_answer_without_id_token_is_unavailable),
        cmocka_unit_test(policy_runs_after_identity),
        cmocka_unit_test(discovery_and_jwks_are_cached_in_state_dir),
        cmocka_unit_test(a_rotated_key_is_fetched_once),
        cmocka_unit_test(a_missing_config_is_a_config_error),
        cmocka_unit_test(an_unknown_provider_is_a_config_error),
        cmocka_unit_test(an_unreachable_idp_is_unavailable),
        cmocka_unit_test(a_reuse_is_bound_to_the_service_and_the_remote_host),
        cmocka_unit_test(a_login_without_reuse_neither_reuses_nor_records),
        cmocka_unit_test(the_verified_id_token_is_exchanged_after_the_login),
        cmocka_unit_test(a_refused_exchange_is_a_warning_only),
        cmocka_unit_test(another_identity_is_never_exchanged),
        cmocka_unit_test(a_hostile_sub_is_quoted_in_the_success_line),
        cmocka_unit_test(a_hostile_kid_is_quoted_in_the_debug_line),
        cmocka_unit_test(a_hostile_username_claim_is_quoted_in_the_refusal),
        cmocka_unit_test(a_look_alike_username_claim_is_quoted_in_the_mismatch),
        cmocka_unit_test(a_hostile_discovery_issuer_is_quoted),
        cmocka_unit_test(a_hostile_token_error_code_is_quoted),
        cmocka_unit_test(a_hostile_device_error_code_is_quoted),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
