// SPDX-License-Identifier: Apache-2.0
// Step-up reuse (reuse_window) through whole logins: a scripted IdP, a fake
// clock, the real state store in a temp directory. A reused approval needs no
// device request; anything off about it (age, user, provider, tampering,
// policy, exp, file safety) falls back to a normal device flow.
#include "base/utc_time.hpp"
#include "fake_clock.hpp"
#include "fake_conversation.hpp"
#include "fake_transport.hpp"
#include "login/authenticator.hpp"
#include "oidc/oidc_approval_reuse.hpp"
#include "scripted_login.hpp"
#include "store/state_store.hpp"
#include "test_files.hpp"
#include "test_keys.hpp"

#include <nlohmann/json.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <memory>
#include <string>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;
using devflow::test::current_user;
using devflow::test::FakeConversation;
using devflow::test::FakeTransport;
using devflow::test::kDevice;
using devflow::test::kDiscovery;
using devflow::test::KeyKind;
using devflow::test::kIssuer;
using devflow::test::kJwks;
using devflow::test::kToken;
using devflow::test::NoPrivileges;
using devflow::test::RecordingLogger;
using devflow::test::TempDir;
using devflow::test::TestKey;
using Json = nlohmann::json;

namespace {

struct World {
    TempDir dir;
    TestKey key{KeyKind::rsa2048};
    FakeClock clock;
    FakeConversation conversation;
    RecordingLogger logger;
    NoPrivileges privileges;
    std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();
    std::string user = current_user();

    std::string state_dir() const { return dir / "state"; }

    // Two providers on the same IdP and client: only the name differs.
    void write_config(const std::string &top = "reuse_window = 300\n", const std::string &corp_extra = "") {
        const std::string provider_body = "type = \"oidc\"\nissuer = \"" + kIssuer + "\"\nclient_id = \"bastion\"\n";
        devflow::test::write_text(dir / "pam_device_flow.conf",
                                  "prompt = \"auto\"\nqr = \"off\"\ndefault_provider = \"corp\"\n"
                                  "state_dir = \"" +
                                      state_dir() + "\"\n" + top + "[providers.corp]\n" + provider_body + corp_extra +
                                      "[providers.other]\n" + provider_body,
                                  0600);
    }

    std::string id_token(const Json &claims_override = Json::object()) {
        const long now = std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
        Json claims = {{"iss", kIssuer},
                       {"aud", "bastion"},
                       {"sub", "u-1"},
                       {"iat", now},
                       {"exp", now + 3600},
                       {"preferred_username", user},
                       {"amr", Json::array({"pwd"})}};
        claims.update(claims_override);
        return devflow::test::make_jws({{"alg", "RS256"}, {"kid", "k1"}}, claims, key, "RS256");
    }

    // A fresh IdP for the next login: every endpoint answers, the device flow
    // is approved on the second poll with `token`.
    void script_idp(const std::string &token) {
        transport = std::make_shared<FakeTransport>();
        transport->answer(kDiscovery, 200,
                          Json{{"issuer", kIssuer},
                               {"device_authorization_endpoint", kDevice},
                               {"token_endpoint", kToken},
                               {"jwks_uri", kJwks}}
                              .dump());
        transport->answer(kJwks, 200, devflow::test::jwks_document({key.jwk("k1")}));
        transport->answer(kDevice, 200,
                          Json{{"device_code", "DC-1"},
                               {"user_code", "WDJB-MJHT"},
                               {"verification_uri", "https://idp.test/device"},
                               {"expires_in", 600}}
                              .dump());
        transport->answer(kToken, 400, R"({"error":"authorization_pending"})");
        transport->answer(
            kToken, 200,
            Json{{"access_token", "AT"}, {"id_token", token}, {"token_type", "Bearer"}, {"expires_in", 3600}}.dump());
    }

    LoginResult login(const std::string &provider = "", const std::string &service = "sudo",
                      const std::string &remote_host = "") {
        LoginRequest request;
        request.config_path = dir / "pam_device_flow.conf";
        request.provider_name = provider;
        request.user = user;
        request.service = service;
        request.remote_host = remote_host;
        request.local_host = "bastion1";
        std::shared_ptr<FakeTransport> target = transport;
        LoginServices services{clock,
                               conversation,
                               logger,
                               privileges,
                               [target](const TransportSettings &) -> std::unique_ptr<HttpTransport> {
                                   struct Forward final : HttpTransport {
                                       explicit Forward(std::shared_ptr<FakeTransport> t) : to(std::move(t)) {}
                                       HttpResponse send(const HttpRequest &r) override { return to->send(r); }
                                       std::shared_ptr<FakeTransport> to;
                                   };
                                   return std::make_unique<Forward>(target);
                               },
                               {}};
        return authenticate(request, services);
    }

    // A first login that runs the device flow and (with a window) records the approval.
    void approved_login(const Json &claims_override = Json::object(), const std::string &provider = "") {
        script_idp(id_token(claims_override));
        const LoginResult result = login(provider);
        if (result.outcome != Outcome::success) fail_msg("first login: %s", result.log_line.c_str());
        assert_int_equal(transport->count(kDevice), 1);
    }

    // A first login through PAM service `service` from `remote_host` ("": PAM_RHOST unset).
    void approved_login_from(const std::string &service, const std::string &remote_host) {
        script_idp(id_token());
        const LoginResult result = login("", service, remote_host);
        if (result.outcome != Outcome::success) fail_msg("first login: %s", result.log_line.c_str());
        assert_int_equal(transport->count(kDevice), 1);
    }

    std::string entry_path(const std::string &provider, const std::string &name) const {
        return state_dir() + "/" + StateStore::file_name_for(approval_key(provider, name));
    }

    // Writes an entry the way the module does, for cases the module would not write.
    void store_entry(const std::string &provider, const std::string &name, const std::string &token) {
        StateStore state(state_dir(), clock);
        OidcProviderConfig config;
        config.name = provider;
        config.issuer = kIssuer;
        config.client_id = "bastion";
        record_approval(state, config, name, {"sudo", ""}, token, clock, logger);  // as login() asks
    }

    // An entry as the module wrote it before approvals were bound to where
    // they were given: no service, no remote_host.
    void store_unbound_entry(const Json &extra = Json::object()) {
        StateStore state(state_dir(), clock);
        Json entry = {{"issuer", kIssuer},
                      {"client_id", "bastion"},
                      {"approved_at", epoch_seconds(clock.now())},
                      {"id_token", id_token()}};
        entry.update(extra);
        state.put(approval_key("corp", user), entry.dump());
    }

    std::size_t shown_codes() const {
        std::size_t count = 0;
        for (const auto &text : conversation.shown) count += text.find("WDJB-MJHT") != std::string::npos;
        return count;
    }
};

#define assert_success(result)                                                   \
    do {                                                                         \
        const LoginResult &r_ = (result);                                        \
        if (r_.outcome != Outcome::success) fail_msg("%s", r_.log_line.c_str()); \
    } while (0)

// The second login must have run a device flow of its own.
void assert_new_flow(World &world, const LoginResult &result) {
    assert_success(result);
    assert_int_equal(world.transport->count(kDevice), 1);
    assert_null(std::strstr(result.log_line.c_str(), "reused"));
}

void reuse_within_the_window_needs_no_device_request(void **) {
    World world;
    world.write_config();
    world.approved_login();
    assert_int_equal(devflow::test::file_mode(world.entry_path("corp", world.user)), 0600);
    assert_int_equal(world.shown_codes(), 1);

    world.clock.advance(std::chrono::seconds(120));
    world.transport = std::make_shared<FakeTransport>();  // answers nothing
    const LoginResult result = world.login();
    assert_success(result);
    assert_non_null(std::strstr(result.log_line.c_str(), "reused an approval from 120 s ago"));
    assert_int_equal(world.transport->sent().size(), 0);  // keys from the state cache
    assert_int_equal(world.shown_codes(), 1);             // no code shown the second time
    assert_int_equal(world.privileges.calls, 1);          // the user's cache is not rewritten
}

void reuse_does_not_extend_the_window(void **) {
    World world;
    world.write_config();
    world.approved_login();
    world.clock.advance(std::chrono::seconds(200));
    world.transport = std::make_shared<FakeTransport>();
    assert_success(world.login());
    // 200 + 100 = 300 s after the approval: the window counts from the approval, not the reuse.
    world.clock.advance(std::chrono::seconds(100));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());
}

void after_the_window_a_new_flow_runs(void **) {
    World world;
    world.write_config();
    world.approved_login();
    world.clock.advance(std::chrono::seconds(300));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());
    // That new approval opens a new window.
    world.clock.advance(std::chrono::seconds(10));
    world.transport = std::make_shared<FakeTransport>();
    assert_success(world.login());
}

void the_window_never_outlives_the_id_token(void **) {
    World world;
    world.write_config("reuse_window = 3600\n");
    const auto start = FakeClock::default_start();
    world.approved_login({{"exp", 1700000000 + 200}});                // the token lives 200 s
    world.clock.set_now(start + std::chrono::seconds(200 + 60 - 1));  // within exp + clock_skew
    world.transport = std::make_shared<FakeTransport>();
    assert_success(world.login());
    world.clock.set_now(start + std::chrono::seconds(200 + 60));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());
    assert_true(world.logger.contains("not reusing the earlier approval: id_token rejected: expired"));
}

void another_users_entry_never_counts(void **) {
    World world;
    world.write_config();
    // An approval of somebody else, under their own key.
    world.store_entry("corp", "mallory", world.id_token({{"preferred_username", "mallory"}}));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());

    // And the same token planted under this user's key: identity binding refuses it.
    World planted;
    planted.write_config();
    planted.store_entry("corp", planted.user, planted.id_token({{"preferred_username", "mallory"}}));
    planted.script_idp(planted.id_token());
    assert_new_flow(planted, planted.login());
    assert_true(planted.logger.contains("not reusing the earlier approval"));
}

void another_providers_entry_never_counts(void **) {
    World world;
    world.write_config();
    world.approved_login(Json::object(), "other");
    world.clock.advance(std::chrono::seconds(5));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login("corp"));
}

void a_tampered_entry_falls_back(void **) {
    World world;
    world.write_config();
    world.approved_login();
    const std::string path = world.entry_path("corp", world.user);
    Json entry = Json::parse(devflow::test::read_text(path));
    Json value = Json::parse(entry["value"].get<std::string>());
    value["id_token"] = devflow::test::flip_signature_byte(value["id_token"].get<std::string>());
    entry["value"] = value.dump();
    devflow::test::write_text(path, entry.dump(), 0600);

    world.clock.advance(std::chrono::seconds(5));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());
    assert_true(world.logger.contains("not reusing the earlier approval: id_token rejected"));
}

void an_edited_approval_time_cannot_stretch_the_window(void **) {
    World world;
    world.write_config();
    world.approved_login();
    world.clock.advance(std::chrono::seconds(1000));
    // Make the old approval look fresh: both times the store and the entry keep.
    const std::string path = world.entry_path("corp", world.user);
    Json entry = Json::parse(devflow::test::read_text(path));
    Json value = Json::parse(entry["value"].get<std::string>());
    value["approved_at"] = 1700000000 + 990;
    entry["value"] = value.dump();
    entry["stored_at"] = 1700000000 + 990;
    devflow::test::write_text(path, entry.dump(), 0600);

    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());
    assert_true(world.logger.contains("issued before the reuse window"));
}

void an_unsafe_entry_file_falls_back(void **) {
    World world;
    world.write_config();
    world.approved_login();
    assert_int_equal(chmod(world.entry_path("corp", world.user).c_str(), 0644), 0);
    world.clock.advance(std::chrono::seconds(5));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());
}

void the_current_providers_policy_is_checked_again(void **) {
    World world;
    world.write_config();
    world.approved_login();  // amr ["pwd"]: enough while corp asks for nothing

    // The admin now asks corp for MFA: the password-only approval does not do.
    world.write_config("reuse_window = 300\n", "required_amr = [\"mfa\"]\n");
    world.clock.advance(std::chrono::seconds(5));
    world.script_idp(world.id_token({{"amr", Json::array({"pwd", "mfa"})}}));
    assert_new_flow(world, world.login());
    assert_true(world.logger.contains("not reusing the earlier approval"));

    // The MFA approval just made is reusable under the same policy.
    world.clock.advance(std::chrono::seconds(5));
    world.transport = std::make_shared<FakeTransport>();
    const LoginResult reused = world.login();
    assert_success(reused);
    assert_non_null(std::strstr(reused.log_line.c_str(), "reused an approval from 5 s ago"));
}

void a_zero_window_writes_and_reads_nothing(void **) {
    World world;
    world.write_config("reuse_window = 0\n");
    world.approved_login();
    assert_false(devflow::test::exists_nofollow(world.entry_path("corp", world.user)));

    // Even a valid entry is not read.
    world.store_entry("corp", world.user, world.id_token());
    world.clock.advance(std::chrono::seconds(5));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login());
}

void a_provider_can_turn_reuse_off(void **) {
    World world;
    world.write_config("reuse_window = 300\n", "reuse_window = 0\n");
    world.approved_login();
    assert_false(devflow::test::exists_nofollow(world.entry_path("corp", world.user)));
    world.approved_login(Json::object(), "other");
    assert_true(devflow::test::exists_nofollow(world.entry_path("other", world.user)));
}

// The issue's case: an approval given to a local sudo must not open a login
// through another PAM service (an sshd stack), local or from a remote host.
void an_approval_is_not_reused_through_another_service(void **) {
    for (const char *remote_host : {"", "203.0.113.7"}) {
        World world;
        world.write_config();
        world.approved_login_from("sudo-devflow", "");
        world.clock.advance(std::chrono::seconds(2));
        world.script_idp(world.id_token());
        assert_new_flow(world, world.login("", "sshd-devflow", remote_host));
        assert_int_equal(world.shown_codes(), 2);
        assert_true(world.logger.contains("not reusing the earlier approval"));
    }
}

// PAM_RHOST is compared as it is, byte for byte; unset ("") matches only unset.
void an_approval_is_not_reused_from_another_remote_host(void **) {
    World world;
    world.write_config();
    world.approved_login_from("sudo-devflow", "");
    world.clock.advance(std::chrono::seconds(2));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login("", "sudo-devflow", "203.0.113.7"));

    // That approval (from 203.0.113.7) is not one from 203.0.113.70, nor a local one.
    world.clock.advance(std::chrono::seconds(2));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login("", "sudo-devflow", "203.0.113.70"));
    world.clock.advance(std::chrono::seconds(2));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login("", "sudo-devflow", ""));
    assert_int_equal(world.shown_codes(), 4);
}

void the_same_service_and_remote_host_still_reuse(void **) {
    World local;
    local.write_config();
    local.approved_login_from("sudo-devflow", "");
    for (int round = 0; round < 2; ++round) {
        local.clock.advance(std::chrono::seconds(2));
        local.transport = std::make_shared<FakeTransport>();  // answers nothing
        const LoginResult reused = local.login("", "sudo-devflow", "");
        assert_success(reused);
        assert_non_null(std::strstr(reused.log_line.c_str(), "reused an approval"));
    }
    assert_int_equal(local.shown_codes(), 1);

    World remote;
    remote.write_config();
    remote.approved_login_from("sshd-devflow", "198.51.100.4");
    remote.clock.advance(std::chrono::seconds(2));
    remote.transport = std::make_shared<FakeTransport>();
    const LoginResult reused = remote.login("", "sshd-devflow", "198.51.100.4");
    assert_success(reused);
    assert_non_null(std::strstr(reused.log_line.c_str(), "reused an approval from 2 s ago"));
}

// One approval per provider and user: a fresh approval through another service
// replaces the earlier one, which is then gone (a new flow, never a wider reuse).
void a_fresh_approval_elsewhere_replaces_the_earlier_one(void **) {
    World world;
    world.write_config();
    world.approved_login_from("sudo-devflow", "");
    world.clock.advance(std::chrono::seconds(2));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login("", "sshd-devflow", "203.0.113.7"));
    world.clock.advance(std::chrono::seconds(2));
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login("", "sudo-devflow", ""));
    // The last approval is the one kept.
    world.clock.advance(std::chrono::seconds(2));
    world.transport = std::make_shared<FakeTransport>();
    assert_success(world.login("", "sudo-devflow", ""));
}

// A record without the service and remote host it was given through (written
// before approvals were bound, or edited) is no approval: a new flow, not a failure.
void a_record_without_service_and_remote_host_is_not_reused(void **) {
    World world;
    world.write_config();
    world.store_unbound_entry();
    world.script_idp(world.id_token());
    assert_new_flow(world, world.login("", "sudo", ""));
    assert_true(world.logger.contains("not reusing the earlier approval"));

    World typed;  // present, but not text
    typed.write_config();
    typed.store_unbound_entry({{"service", 7}, {"remote_host", nullptr}});
    typed.script_idp(typed.id_token());
    assert_new_flow(typed, typed.login("", "sudo", ""));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(reuse_within_the_window_needs_no_device_request),
        cmocka_unit_test(reuse_does_not_extend_the_window),
        cmocka_unit_test(after_the_window_a_new_flow_runs),
        cmocka_unit_test(the_window_never_outlives_the_id_token),
        cmocka_unit_test(another_users_entry_never_counts),
        cmocka_unit_test(another_providers_entry_never_counts),
        cmocka_unit_test(a_tampered_entry_falls_back),
        cmocka_unit_test(an_edited_approval_time_cannot_stretch_the_window),
        cmocka_unit_test(an_unsafe_entry_file_falls_back),
        cmocka_unit_test(the_current_providers_policy_is_checked_again),
        cmocka_unit_test(a_zero_window_writes_and_reads_nothing),
        cmocka_unit_test(a_provider_can_turn_reuse_off),
        cmocka_unit_test(an_approval_is_not_reused_through_another_service),
        cmocka_unit_test(an_approval_is_not_reused_from_another_remote_host),
        cmocka_unit_test(the_same_service_and_remote_host_still_reuse),
        cmocka_unit_test(a_fresh_approval_elsewhere_replaces_the_earlier_one),
        cmocka_unit_test(a_record_without_service_and_remote_host_is_not_reused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
