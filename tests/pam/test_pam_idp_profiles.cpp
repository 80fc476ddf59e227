// SPDX-License-Identifier: Apache-2.0
// Whole logins through real libpam, the built module and its helper against
// the scripted fake playing each big IdP the way its public documentation
// says it behaves (tests/fixtures/scripted_idp.js, PROFILES): Entra ID,
// Google, Keycloak, Okta, Auth0, Authentik (issue #11, item 4).

extern "C" {
#include <libpamtest.h>
}

#include "pam_test_support.hpp"

#include <nlohmann/json.hpp>
#include <security/pam_appl.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow::pamtest;
using Json = nlohmann::json;

namespace {

const char *const kService = "devflow_profiles";
const char *const kGroupId = "5b2f8b1e-9c43-4b7a-8c36-0f4e3f3a9d11";  // an Entra group object id

struct Suite {
    std::string scratch;
    std::vector<TestAccount> accounts;
};
Suite *suite = nullptr;

// The person at the terminal: the scripted IdP answers by its script, so they
// only read and press Enter (prompt = "auto" polls without asking).
struct Person {
    std::vector<std::string> infos;
    std::vector<std::string> errors;
};

extern "C" int person_converses(int count, const pam_message **messages, pam_response **responses, void *data) {
    auto *person = static_cast<Person *>(data);
    auto *replies = static_cast<pam_response *>(calloc(static_cast<std::size_t>(count), sizeof(pam_response)));
    if (replies == nullptr) return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        switch (messages[i]->msg_style) {
        case PAM_TEXT_INFO: person->infos.emplace_back(messages[i]->msg); break;
        case PAM_ERROR_MSG: person->errors.emplace_back(messages[i]->msg); break;
        case PAM_PROMPT_ECHO_ON: replies[i].resp = strdup(""); break;
        default: free(replies); return PAM_CONV_ERR;
        }
    }
    *responses = replies;
    return PAM_SUCCESS;
}

// A new server is a new IdP: no discovery or JWKS cached for an earlier one
// that had the same port (the kernel's pick) goes on being used.
std::unique_ptr<FixtureServer> start_profile(const std::string &profile, Json scenario) {
    remove_tree(suite->scratch + "/state");
    scenario["profile"] = profile;
    if (!scenario.contains("interval")) scenario["interval"] = 1;
    if (!scenario.contains("expires_in")) scenario["expires_in"] = 60;
    const std::string path = suite->scratch + "/scenario.json";
    write_text(path, scenario.dump(), 0644);
    return std::make_unique<FixtureServer>(
        std::vector<std::string>{DEVFLOW_NODE, DEVFLOW_FIXTURES "/scripted_idp.js", "--scenario", path});
}

void write_config(const std::string &issuer, const std::string &provider_lines = "") {
    write_text(suite->scratch + "/pam_device_flow.conf",
               "default_provider = \"test\"\nqr = \"utf8\"\nprompt = \"auto\"\nmax_wait = 60\nhttp_timeout = 5\n"
               "state_dir = \"" +
                   suite->scratch + "/state\"\n\n[providers.test]\ntype = \"oidc\"\nissuer = \"" + issuer +
                   "\"\nclient_id = \"bastion\"\n"
                   "scopes = [\"openid\", \"profile\", \"email\"]\n" +
                   provider_lines,
               0600);
}

int login(const std::string &user, Person &person) {
    pam_testcase cases[] = {pam_test(PAMTEST_AUTHENTICATE, PAM_SUCCESS)};
    const enum pamtest_err error = _pamtest_conv(kService, user.c_str(), person_converses, &person, cases, 1, nullptr);
    if (error != PAMTEST_ERR_OK && error != PAMTEST_ERR_CASE) fail_msg("libpamtest: %s", pamtest_strerror(error));
    // No cached approval may carry one login's result into the next.
    for (const auto &account : suite->accounts) remove_tree(account.home + "/.cache");
    return cases[0].op_rv;
}

Json token_polls(const FixtureServer &server) {
    std::string output;
    std::string base = server.issuer();
    if (base.back() == '/') base.pop_back();
    if (run_command({"/usr/bin/curl", "-sS", base + "/_stats"}, &output) != 0) fail_msg("curl _stats");
    return Json::parse(output)["token"];
}

double gap_ms(const Json &polls, std::size_t i) {
    return polls[i]["t_ms"].get<double>() - polls[i - 1]["t_ms"].get<double>();
}

bool has(const std::string &text, const std::string &part) { return text.find(part) != std::string::npos; }

// --- Microsoft Entra ID ------------------------------------------------------

// A tenant issuer, a device answer without verification_uri_complete but with
// a "message", a UPN as preferred_username mapped through user_map_file, and
// groups as object ids.
void entra_logs_in_with_a_upn_and_group_ids(void **) {
    auto server = start_profile("entra", {{"polls", {"authorization_pending"}},
                                          {"claims",
                                           {{"preferred_username", "alice@contoso.com"},
                                            {"tid", "00000000-0000-0000-0000-000000000001"},
                                            {"ver", "2.0"},
                                            {"groups", {"0c6e1a7d-1111-4c1e-a111-111111111111", kGroupId}}}}});
    const std::string map = suite->scratch + "/users.map";
    write_text(map, "# Entra UPN  local user\nalice@contoso.com alice\n", 0644);
    write_config(server->issuer(), "user_map_file = \"" + map + "\"\nallowed_groups = [\"" + kGroupId + "\"]\n");
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    assert_int_equal(alice.infos.size(), 1);
    const std::string &message = alice.infos[0];
    // No complete link: the screen shows the URL (the QR code's content) and the code.
    assert_true(has(message, "Open https://microsoft.com/devicelogin"));
    assert_true(has(message, "enter the code: BCDF-GHJK"));
    assert_false(has(message, "or open "));
    assert_true(has(message, "\u2580"));
    // Entra's own sentence is not shown: the module says it its way.
    assert_false(has(message, "To sign in, use a web browser"));
    assert_int_equal(token_polls(*server).size(), 2);
    remove_tree(map);
}

// authorization_declined is the person's "no": a denial, not "unavailable".
void entra_authorization_declined_is_a_denial(void **) {
    auto server = start_profile("entra", {{"polls", {"authorization_pending"}},
                                          {"final", "authorization_declined"},
                                          {"claims", {{"preferred_username", "alice"}}}});
    write_config(server->issuer());
    Person alice;
    assert_int_equal(login("alice", alice), PAM_AUTH_ERR);
    assert_int_equal(alice.errors.size(), 1);
    assert_true(has(alice.errors[0], "denied"));
}

// Too many groups: Entra leaves the claim out and points to Graph. With
// allowed_groups the login is refused and the person is told why; without,
// it goes through.
void entra_groups_overage_fails_closed(void **) {
    const Json overage = {
        {"preferred_username", "alice"},
        {"_claim_names", {{"groups", "src1"}}},
        {"_claim_sources",
         {{"src1",
           {{"endpoint",
             "https://graph.windows.net/00000000-0000-0000-0000-000000000001/users/x/getMemberObjects"}}}}}};
    auto server = start_profile("entra", {{"claims", overage}});
    write_config(server->issuer(), std::string("allowed_groups = [\"") + kGroupId + "\"]\n");
    Person refused;
    assert_int_equal(login("alice", refused), PAM_AUTH_ERR);
    assert_int_equal(refused.errors.size(), 1);
    assert_true(has(refused.errors[0], "too many groups"));

    write_config(server->issuer());
    Person allowed;
    assert_int_equal(login("alice", allowed), PAM_SUCCESS);
}

// --- Google ------------------------------------------------------------------

// verification_url, authorization_pending as HTTP 428, the client secret a
// device client needs, a Workspace hd and a verified email as the user name.
void google_logs_in_with_verification_url_and_428(void **) {
    auto server = start_profile(
        "google",
        {{"client_secret", "google-device-secret"},
         {"polls", {"authorization_pending", "authorization_pending"}},
         {"claims",
          {{"sub", "110169484474386276334"}, {"email", "alice"}, {"email_verified", true}, {"hd", "example.com"}}}});
    const std::string secret = suite->scratch + "/google.secret";
    write_text(secret, "google-device-secret\n", 0600);
    write_config(server->issuer(), "client_secret_file = \"" + secret +
                                       "\"\nusername_claim = \"email\"\nallowed_hosted_domains = [\"example.com\"]\n");
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    assert_true(has(alice.infos.at(0), "Open " + server->issuer() + "/device and enter the code"));
    assert_true(has(alice.infos.at(0), "enter the code: BCDF-GHJK"));
    assert_false(has(alice.infos.at(0), "or open "));
    const Json polls = token_polls(*server);
    assert_int_equal(polls.size(), 3);  // two 428 pendings, then the tokens
    assert_string_equal(polls[0]["answer"].get<std::string>().c_str(), "authorization_pending");
    assert_string_equal(polls[2]["answer"].get<std::string>().c_str(), "success");
}

// An unverified email never names a local user; a token of another hosted
// domain, or of none (a consumer account), is refused by allowed_hosted_domains.
void google_unverified_email_or_foreign_domain_is_refused(void **) {
    const std::string secret = suite->scratch + "/google.secret";
    write_text(secret, "google-device-secret\n", 0600);
    const std::vector<std::pair<Json, const char *>> cases = {
        {{{"email", "alice"}, {"email_verified", false}, {"hd", "example.com"}}, "not verified your email"},
        {{{"email", "alice"}, {"hd", "example.com"}}, "not verified your email"},
        {{{"email", "alice"}, {"email_verified", true}, {"hd", "evil.example"}}, "domain is not allowed"},
        {{{"email", "alice"}, {"email_verified", true}}, "domain is not allowed"},
    };
    for (const auto &[claims, says] : cases) {
        auto server = start_profile("google", {{"client_secret", "google-device-secret"}, {"claims", claims}});
        write_config(server->issuer(),
                     "client_secret_file = \"" + secret +
                         "\"\nusername_claim = \"email\"\nallowed_hosted_domains = [\"example.com\"]\n");
        Person alice;
        const int result = login("alice", alice);
        if (result != PAM_AUTH_ERR) fail_msg("%s gave %d, not PAM_AUTH_ERR", claims.dump().c_str(), result);
        assert_int_equal(alice.errors.size(), 1);
        if (!has(alice.errors[0], says)) fail_msg("%s: \"%s\"", claims.dump().c_str(), alice.errors[0].c_str());
    }
}

// --- Keycloak ----------------------------------------------------------------

// A realm issuer and its device endpoint from discovery, full group paths,
// and an acr level sent as a JSON number.
void keycloak_group_paths_and_numeric_acr(void **) {
    auto server = start_profile(
        "keycloak",
        {{"claims", {{"preferred_username", "alice"}, {"groups", {"/corp/admins", "/ssh-users"}}, {"acr", 1}}}});
    assert_true(has(server->issuer(), "/realms/corp"));
    write_config(server->issuer(), "allowed_groups = [\"ssh-users\"]\nrequired_acr = [\"1\"]\n");
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    write_config(server->issuer(), "allowed_groups = [\"/corp/admins\"]\n");
    Person full_path;
    assert_int_equal(login("alice", full_path), PAM_SUCCESS);
    // "admins" is the nested "/corp/admins", not a top-level group of that name.
    write_config(server->issuer(), "allowed_groups = [\"admins\"]\n");
    Person nested;
    assert_int_equal(login("alice", nested), PAM_AUTH_ERR);
    write_config(server->issuer(), "required_acr = [\"2\"]\n");
    Person weaker;
    assert_int_equal(login("alice", weaker), PAM_AUTH_ERR);
}

// --- Okta, Auth0, Authentik -------------------------------------------------

// Okta's custom (/oauth2/default) and org authorization servers: both are
// plain issuers to the module.
void okta_custom_and_org_servers_log_in(void **) {
    for (const char *profile : {"okta", "okta-org"}) {
        auto server = start_profile(profile, {{"polls", {"authorization_pending"}},
                                              {"claims", {{"preferred_username", "alice"}, {"groups", {"ssh"}}}}});
        write_config(server->issuer(), "allowed_groups = [\"ssh\"]\n");
        Person alice;
        assert_int_equal(login("alice", alice), PAM_SUCCESS);
    }
}

// An issuer with a trailing slash (discovery found without a double slash, iss
// compared as configured), namespaced custom claims, and slow_down as HTTP 429.
void auth0_trailing_slash_namespaced_claims_and_429(void **) {
    auto server = start_profile(
        "auth0",
        {{"polls", {"slow_down"}},
         {"claims", {{"https://example.com/username", "alice"}, {"https://example.com/groups", {"ssh-users"}}}}});
    assert_true(server->issuer().back() == '/');
    write_config(server->issuer(),
                 "username_claim = \"https://example.com/username\"\n"
                 "groups_claim = \"https://example.com/groups\"\nallowed_groups = [\"ssh-users\"]\n");
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    const Json polls = token_polls(*server);
    assert_int_equal(polls.size(), 2);
    assert_true(gap_ms(polls, 1) >= 5950);  // the 429 slow_down added 5 s to the 1 s interval
}

void authentik_application_issuer_logs_in(void **) {
    auto server = start_profile("authentik", {{"claims", {{"preferred_username", "alice"}}}});
    assert_true(has(server->issuer(), "/application/o/ssh/"));
    write_config(server->issuer());
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
}

int set_up_suite(void **) {
    suite = new Suite;
    suite->scratch = make_scratch_dir();
    const std::string services = suite->scratch + "/services";
    mkdir(services.c_str(), 0755);
    setenv("PAM_WRAPPER_SERVICE_DIR", services.c_str(), 1);
    write_text(services + "/" + kService,
               "auth required " DEVFLOW_MODULE_PATH " config=" + suite->scratch + "/pam_device_flow.conf\n", 0644);
    write_text(services + "/other", "auth required " DEVFLOW_PAM_DENY "\n", 0644);
    suite->accounts = install_test_accounts(suite->scratch, {"alice", "bob"});
    return 0;
}

int tear_down_suite(void **) {
    remove_tree(suite->scratch);
    delete suite;
    suite = nullptr;
    return 0;
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(entra_logs_in_with_a_upn_and_group_ids),
        cmocka_unit_test(entra_authorization_declined_is_a_denial),
        cmocka_unit_test(entra_groups_overage_fails_closed),
        cmocka_unit_test(google_logs_in_with_verification_url_and_428),
        cmocka_unit_test(google_unverified_email_or_foreign_domain_is_refused),
        cmocka_unit_test(keycloak_group_paths_and_numeric_acr),
        cmocka_unit_test(okta_custom_and_org_servers_log_in),
        cmocka_unit_test(auth0_trailing_slash_namespaced_claims_and_429),
        cmocka_unit_test(authentik_application_issuer_logs_in),
    };
    if (const char *filter = std::getenv("DEVFLOW_TEST_FILTER")) cmocka_set_test_filter(filter);
    return cmocka_run_group_tests(tests, set_up_suite, tear_down_suite);
}
