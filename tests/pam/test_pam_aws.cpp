// SPDX-License-Identifier: Apache-2.0
// The built pam_device_flow.so with an aws-sso provider through real libpam
// (pam_wrapper + libpamtest + nss_wrapper) against the loopback fake of AWS
// IAM Identity Center (tests/fixtures/aws/fake_aws.js): the person approves
// through its /_approve and /_deny hooks, as the browser would, and the test
// reads /_stats to see what the module asked AWS.

extern "C" {
#include <libpamtest.h>
}

#include "pam_test_support.hpp"

#include <nlohmann/json.hpp>
#include <security/pam_appl.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow::pamtest;
using Json = nlohmann::json;

namespace {

const char *const kService = "devflow_aws";
const char *const kOtherService = "devflow_aws_other";  // the same stack under another name
const char *const kStartUrl = "https://d-1234567890.awsapps.com/start";
const char *const kAccount = "111122223333";
// botocore names the token cache after SHA-1("corp"), the sso_session.
const char *const kCacheFile = "/.aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json";

struct Suite {
    std::string scratch;
    std::vector<TestAccount> accounts;
    std::unique_ptr<FixtureServer> aws;
};
Suite *suite = nullptr;

const TestAccount &account(const std::string &name) {
    for (const auto &candidate : suite->accounts) {
        if (candidate.name == name) return candidate;
    }
    fail_msg("no test account %s", name.c_str());
    std::abort();
}

std::string cache_path(const std::string &user) { return account(user).home + kCacheFile; }
std::string config_path(const std::string &user) { return account(user).home + "/.aws/config"; }
void forget_aws_files(const std::string &user) { remove_tree(account(user).home + "/.aws"); }
void forget_registration() { remove_tree(suite->scratch + "/state"); }
bool exists(const std::string &path) { return access(path.c_str(), F_OK) == 0; }

Json fake_call(const std::string &method, const std::string &path, const Json &body = nullptr) {
    std::vector<std::string> command{"/usr/bin/curl", "-sS", "-f", "-X", method, suite->aws->issuer() + path};
    // From a file: a scripted answer may be larger than one argument may be.
    // One file per process: concurrent logins call from forked children.
    const std::string body_file = suite->scratch + "/fake_call_body." + std::to_string(getpid()) + ".json";
    if (!body.is_null()) {
        write_text(body_file, body.dump(), 0600);
        command.insert(command.end(), {"-H", "Content-Type: application/json", "--data-binary", "@" + body_file});
    }
    struct RemoveOnExit {
        const std::string &path;
        ~RemoveOnExit() { unlink(path.c_str()); }
    } remove_body{body_file};
    std::string output;
    if (run_command(command, &output) != 0) fail_msg("fake_aws %s %s failed", method.c_str(), path.c_str());
    return Json::parse(output, nullptr, false);
}

// Every test starts from a fresh fake: no clients, tokens or stats.
void use_scenario(Json scenario) {
    if (!scenario.contains("users")) {
        scenario["users"] = {
            {"alice", {{"assignments", {{{"accountId", kAccount}, {"roleName", "ReadOnly"}}}}}},
            {"carol", {{"assignments", {{{"accountId", kAccount}, {"roleName", "ReadOnly"}}}}}},
            {"bob", {{"assignments", Json::array()}}},
        };
    }
    fake_call("POST", "/_scenario", scenario);
}

Json stats() { return fake_call("GET", "/_stats"); }
int count(const Json &all, const char *operation) { return all["counts"].value(operation, 0); }

struct Setup {
    std::string prompt = "enter";
    std::string endpoint;  // empty: the fake
    std::string extra_provider_lines;
    std::string extra_top_lines;
};

void write_config(const Setup &setup = {}) {
    const std::string endpoint = setup.endpoint.empty() ? suite->aws->issuer() : setup.endpoint;
    write_text(suite->scratch + "/pam_device_flow.conf",
               "default_provider = \"aws\"\n"
               "qr = \"utf8\"\n"
               "prompt = \"" +
                   setup.prompt +
                   "\"\n"
                   "max_wait = 60\n"
                   "http_timeout = 5\n"
                   "state_dir = \"" +
                   suite->scratch + "/state\"\n" + setup.extra_top_lines +
                   "\n[providers.aws]\n"
                   "type = \"aws-sso\"\n"
                   "start_url = \"" +
                   std::string(kStartUrl) +
                   "\"\n"
                   "region = \"us-east-1\"\n"
                   "sso_session = \"corp\"\n"
                   "account_id = \"" +
                   std::string(kAccount) +
                   "\"\n"
                   "role_name = \"ReadOnly\"\n"
                   "oidc_endpoint = \"" +
                   endpoint +
                   "\"\n"
                   "portal_endpoint = \"" +
                   endpoint +
                   "\"\n"
                   "sts_endpoint = \"" +
                   endpoint + "\"\n" + setup.extra_provider_lines,
               0600);
}

// What the person at the terminal does, and what they saw.
struct Person {
    std::string approve_as;  // Identity Center user; empty: never approves
    bool deny = false;
    std::vector<std::string> infos;
    std::vector<std::string> errors;
    std::vector<std::string> prompts;
    bool decided = false;
};

std::string field_after(const std::string &text, const std::string &label) {
    auto at = text.find(label);
    if (at == std::string::npos) return {};
    at += label.size();
    return text.substr(at, text.find('\n', at) - at);
}

// The browser: approve or deny the code shown in the message.
void decide(Person &person) {
    if (person.decided || (person.approve_as.empty() && !person.deny) || person.infos.empty()) return;
    const std::string code = field_after(person.infos.front(), "enter the code: ");
    if (person.deny) {
        fake_call("POST", "/_deny", {{"userCode", code}});
    } else {
        fake_call("POST", "/_approve", {{"userCode", code}, {"user", person.approve_as}});
    }
    person.decided = true;
}

extern "C" int person_converses(int count, const pam_message **messages, pam_response **responses, void *data) {
    auto *person = static_cast<Person *>(data);
    auto *replies = static_cast<pam_response *>(calloc(static_cast<std::size_t>(count), sizeof(pam_response)));
    if (replies == nullptr) return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        switch (messages[i]->msg_style) {
        case PAM_TEXT_INFO: person->infos.emplace_back(messages[i]->msg); break;
        case PAM_ERROR_MSG: person->errors.emplace_back(messages[i]->msg); break;
        case PAM_PROMPT_ECHO_ON:
            person->prompts.emplace_back(messages[i]->msg);
            decide(*person);
            replies[i].resp = strdup("");
            break;
        default: free(replies); return PAM_CONV_ERR;
        }
    }
    *responses = replies;
    return PAM_SUCCESS;
}

int login(const std::string &user, Person &person, const char *service = kService) {
    pam_testcase cases[] = {pam_test(PAMTEST_AUTHENTICATE, PAM_SUCCESS)};
    enum pamtest_err error = _pamtest_conv(service, user.c_str(), person_converses, &person, cases, 1, nullptr);
    if (error != PAMTEST_ERR_OK && error != PAMTEST_ERR_CASE) fail_msg("libpamtest: %s", pamtest_strerror(error));
    return cases[0].op_rv;
}

int approved_login(const std::string &user, const std::string &approver) {
    Person person;
    person.approve_as = approver;
    return login(user, person);
}

const std::regex kAwsTime("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");

// --- the login ---------------------------------------------------------------

void approved_login_writes_the_aws_cli_cache(void **) {
    forget_registration();
    forget_aws_files("alice");
    use_scenario({});
    write_config();
    Person alice;
    alice.approve_as = "alice";
    assert_int_equal(login("alice", alice), PAM_SUCCESS);

    // The message is the one oidc logins show: QR, user, host, URL, code, link.
    assert_int_equal(alice.infos.size(), 1);
    const std::string &message = alice.infos[0];
    char host[256] = {0};
    gethostname(host, sizeof(host) - 1);
    assert_true(message.rfind("\n", 0) == 0);
    assert_non_null(std::strstr(message.c_str(), ("Log in as alice on " + std::string(host)).c_str()));
    assert_non_null(std::strstr(message.c_str(), ("Open " + suite->aws->issuer() + "/start/#/device and").c_str()));
    assert_true(std::regex_search(message, std::regex("enter the code: [A-Z]{4}-[A-Z]{4}\n")));
    assert_true(
        std::regex_search(message, std::regex("\nor open [^\n]*/start/#/device\\?user_code=[A-Z]{4}-[A-Z]{4}$")));
    assert_true(message.find("\u2580") < message.find("Log in as"));
    assert_string_equal(alice.prompts.at(0).c_str(), "Press Enter after you have approved (q to cancel): ");

    struct stat info {};
    assert_int_equal(stat(cache_path("alice").c_str(), &info), 0);
    assert_int_equal(info.st_mode & 07777, 0600);
    assert_int_equal(info.st_uid, account("alice").uid);
    for (const char *directory : {"/.aws", "/.aws/sso", "/.aws/sso/cache"}) {
        struct stat dir {};
        assert_int_equal(stat((account("alice").home + directory).c_str(), &dir), 0);
        assert_int_equal(dir.st_mode & 07777, 0700);
        assert_int_equal(dir.st_uid, account("alice").uid);
    }

    const Json cache = Json::parse(read_text(cache_path("alice")), nullptr, false);
    assert_true(cache.is_object());
    std::set<std::string> keys;
    for (const auto &[key, value] : cache.items()) {
        assert_true(value.is_string());
        keys.insert(key);
    }
    const std::set<std::string> expected{"startUrl", "region",       "accessToken",           "expiresAt",
                                         "clientId", "clientSecret", "registrationExpiresAt", "refreshToken"};
    assert_true(keys == expected);
    assert_string_equal(cache["startUrl"].get<std::string>().c_str(), kStartUrl);
    assert_string_equal(cache["region"].get<std::string>().c_str(), "us-east-1");
    assert_true(cache["accessToken"].get<std::string>().rfind("aoa", 0) == 0);  // the fake's tokens
    assert_true(cache["refreshToken"].get<std::string>().size() > 10);
    assert_true(cache["clientSecret"].get<std::string>().size() > 10);
    assert_true(std::regex_match(cache["expiresAt"].get<std::string>(), kAwsTime));
    assert_true(std::regex_match(cache["registrationExpiresAt"].get<std::string>(), kAwsTime));

    // The client is the one registered, and the token is alice's at the portal.
    const Json all = stats();
    assert_int_equal(count(all, "register"), 1);
    assert_int_equal(count(all, "roleCredentials"), 1);
    assert_int_equal(count(all, "sts"), 1);
    assert_string_equal(all["calls"]["sts"][0]["user"].get<std::string>().c_str(), "alice");
    assert_false(exists(config_path("alice")));  // write_aws_config is off
}

void approval_by_another_identity_center_user_is_refused(void **) {
    forget_aws_files("alice");
    use_scenario({});
    write_config();
    Person carol;
    carol.approve_as = "carol";  // holds the role too, but is not alice
    assert_int_equal(login("alice", carol), PAM_AUTH_ERR);
    assert_false(exists(account("alice").home + "/.aws"));
    assert_int_equal(carol.errors.size(), 1);
    assert_non_null(std::strstr(carol.errors[0].c_str(), "another account"));
}

void a_user_without_the_role_is_refused(void **) {
    forget_aws_files("bob");
    use_scenario({});
    write_config();
    Person bob;
    bob.approve_as = "bob";  // no assignment: the portal answers 403
    assert_int_equal(login("bob", bob), PAM_AUTH_ERR);
    assert_false(exists(account("bob").home + "/.aws"));
    assert_int_equal(bob.errors.size(), 1);
    assert_non_null(std::strstr(bob.errors[0].c_str(), "no access"));
    assert_int_equal(count(stats(), "sts"), 0);
}

void the_session_name_goes_through_username_domain_and_user_map(void **) {
    use_scenario({{"users",
                   {{"alice@example.com", {{"assignments", {{{"accountId", kAccount}, {"roleName", "ReadOnly"}}}}}},
                    {"carol", {{"assignments", {{{"accountId", kAccount}, {"roleName", "ReadOnly"}}}}}}}}});
    Setup domain;
    domain.extra_provider_lines = "username_domain = \"Example.COM\"\n";
    write_config(domain);
    assert_int_equal(approved_login("alice", "alice@example.com"), PAM_SUCCESS);
    assert_int_equal(approved_login("alice", "carol"), PAM_AUTH_ERR);  // no domain

    const std::string map = suite->scratch + "/users.map";
    write_text(map, "# Identity Center user  local user\ncarol alice\n", 0644);
    Setup mapped;
    mapped.extra_provider_lines = "user_map_file = \"" + map + "\"\n";
    write_config(mapped);
    assert_int_equal(approved_login("alice", "carol"), PAM_SUCCESS);
    assert_int_equal(approved_login("carol", "carol"), PAM_AUTH_ERR);  // mapped to alice
    remove_tree(map);
}

std::string cached_member(const std::string &user, const char *name) {
    return Json::parse(read_text(cache_path(user))).value(name, std::string());
}

// AWS's portal Logout with the user's access token: the sign-out (or an
// administrator's revocation) that ends the Identity Center session.
void sign_out(const std::string &user) {
    const std::vector<std::string> command{"/usr/bin/curl",
                                           "-sS",
                                           "-f",
                                           "-X",
                                           "POST",
                                           "-H",
                                           "x-amz-sso_bearer_token: " + cached_member(user, "accessToken"),
                                           suite->aws->issuer() + "/logout"};
    if (run_command(command, nullptr) != 0) fail_msg("fake_aws logout failed");
}

void setup_with_reuse(const char *window) {
    Setup setup;
    setup.extra_top_lines = std::string("reuse_window = ") + window + "\n";
    write_config(setup);
}

void reuse_window_reuses_an_aws_approval_that_aws_still_accepts(void **) {
    forget_registration();
    use_scenario({});
    setup_with_reuse("300");
    Person first;
    first.approve_as = "alice";
    assert_int_equal(login("alice", first), PAM_SUCCESS);
    assert_int_equal(first.infos.size(), 1);  // the code

    Person second;  // approves nothing: the login must not need it
    assert_int_equal(login("alice", second), PAM_SUCCESS);
    assert_true(second.infos.empty());
    assert_true(second.prompts.empty());
    Json all = stats();
    assert_int_equal(count(all, "deviceAuthorization"), 1);
    // The stored token was shown to AWS again: role credentials, then STS.
    assert_int_equal(count(all, "roleCredentials"), 2);
    assert_int_equal(count(all, "sts"), 2);

    // The approval is alice's: carol, mapped to herself, gets a code.
    Person carol;
    carol.approve_as = "carol";
    assert_int_equal(login("carol", carol), PAM_SUCCESS);
    assert_int_equal(carol.infos.size(), 1);

    // Signed out at AWS: the stored token no longer works, so a code again.
    sign_out("alice");
    Person third;
    third.approve_as = "alice";
    assert_int_equal(login("alice", third), PAM_SUCCESS);
    assert_int_equal(third.infos.size(), 1);
    all = stats();
    assert_int_equal(count(all, "deviceAuthorization"), 3);
}

void reuse_refreshes_a_token_about_to_expire(void **) {
    forget_registration();
    use_scenario({{"tokenExpiresIn", 30}});  // inside the one-minute refresh margin
    setup_with_reuse("300");
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    const std::string first_access = cached_member("alice", "accessToken");
    const std::string first_refresh = cached_member("alice", "refreshToken");

    for (int round = 1; round <= 2; ++round) {
        Person again;
        assert_int_equal(login("alice", again), PAM_SUCCESS);
        assert_true(again.infos.empty());
        // Each reuse refreshed with the refresh token the previous one left
        // (the fake rotates them and retires the old one).
        assert_int_equal(count(stats(), "refresh"), round);
    }
    assert_int_equal(count(stats(), "deviceAuthorization"), 1);
    // The user's AWS CLI cache follows: its refresh token is the live one.
    assert_string_not_equal(cached_member("alice", "accessToken").c_str(), first_access.c_str());
    assert_string_not_equal(cached_member("alice", "refreshToken").c_str(), first_refresh.c_str());
    const Json calls = stats()["calls"]["refresh"];
    assert_int_equal(calls[1]["status"].get<int>(), 200);
    struct stat info {};
    assert_int_equal(stat(cache_path("alice").c_str(), &info), 0);
    assert_int_equal(info.st_uid, account("alice").uid);
    assert_int_equal(info.st_mode & 0777, 0600);
}

void a_refused_refresh_means_a_new_device_login(void **) {
    forget_registration();
    use_scenario({{"tokenExpiresIn", 30}, {"script", {{"refresh", Json::array({"invalid_grant"})}}}});
    setup_with_reuse("300");
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    Person again;
    again.approve_as = "alice";
    assert_int_equal(login("alice", again), PAM_SUCCESS);
    assert_int_equal(again.infos.size(), 1);  // a code: no reuse
    const Json all = stats();
    assert_int_equal(count(all, "refresh"), 1);
    assert_int_equal(count(all, "deviceAuthorization"), 2);
}

// An aws-sso approval is reused only through the same PAM service from the
// same remote host; elsewhere a device flow runs (the person denies it here)
// and the stored token is not even shown to AWS. The approval stays reusable
// where it was given.
void an_aws_reuse_is_bound_to_the_service_and_the_remote_host(void **) {
    forget_registration();
    use_scenario({});
    setup_with_reuse("300");
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);

    Person other_service;
    other_service.deny = true;
    assert_int_equal(login("alice", other_service, kOtherService), PAM_AUTH_ERR);
    assert_int_equal(other_service.infos.size(), 1);  // a code: a device flow, no reuse

    Person remote;
    remote.deny = true;
    const pam_conv conversation{person_converses, &remote};
    assert_int_equal(authenticate_with_items(kService, "alice", conversation, {{PAM_RHOST, "203.0.113.7"}}),
                     PAM_AUTH_ERR);
    assert_int_equal(remote.infos.size(), 1);
    Json all = stats();
    assert_int_equal(count(all, "deviceAuthorization"), 3);
    assert_int_equal(count(all, "roleCredentials"), 1);  // the first login's own check only

    Person same_place;  // approves nothing: only a reuse lets this one in
    assert_int_equal(login("alice", same_place), PAM_SUCCESS);
    assert_true(same_place.infos.empty());
    all = stats();
    assert_int_equal(count(all, "deviceAuthorization"), 3);
    assert_int_equal(count(all, "roleCredentials"), 2);
}

void without_reuse_window_or_after_it_every_login_asks(void **) {
    forget_registration();
    use_scenario({});
    write_config();  // reuse_window defaults to 0
    for (int i = 0; i < 2; ++i) {
        Person alice;
        alice.approve_as = "alice";
        assert_int_equal(login("alice", alice), PAM_SUCCESS);
        assert_int_equal(alice.infos.size(), 1);
    }
    setup_with_reuse("1");
    Person fresh;
    fresh.approve_as = "alice";
    assert_int_equal(login("alice", fresh), PAM_SUCCESS);
    sleep(2);  // past the window
    Person later;
    later.approve_as = "alice";
    assert_int_equal(login("alice", later), PAM_SUCCESS);
    assert_int_equal(later.infos.size(), 1);
    assert_int_equal(count(stats(), "deviceAuthorization"), 4);
}

// --- the shared client registration ------------------------------------------

void the_registration_is_cached_and_reused(void **) {
    forget_registration();
    use_scenario({});
    write_config();
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    const std::string first = Json::parse(read_text(cache_path("alice")))["clientId"];
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    const std::string second = Json::parse(read_text(cache_path("alice")))["clientId"];
    const Json all = stats();
    assert_int_equal(count(all, "register"), 1);
    assert_int_equal(count(all, "deviceAuthorization"), 2);
    assert_string_equal(first.c_str(), second.c_str());
}

void a_registration_near_expiry_is_renewed(void **) {
    forget_registration();
    use_scenario({{"clientSecretExpiresIn", 600}});  // below the 15 minutes of margin
    write_config();
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    assert_int_equal(count(stats(), "register"), 2);
}

void a_rejected_registration_is_replaced_once(void **) {
    forget_registration();
    use_scenario({});
    write_config();
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    fake_call("POST", "/_reset");  // AWS forgets the client: invalid_client
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    const Json all = stats();
    assert_int_equal(count(all, "register"), 1);
    assert_int_equal(count(all, "deviceAuthorization"), 2);
    assert_string_equal(all["calls"]["deviceAuthorization"][0]["answer"].get<std::string>().c_str(), "invalid_client");
    assert_string_equal(all["calls"]["deviceAuthorization"][1]["answer"].get<std::string>().c_str(), "ok");
}

void concurrent_logins_register_one_client(void **) {
    forget_registration();
    // A slow RegisterClient: the second login must wait for the first one's.
    use_scenario({{"script", {{"register", {{{"delayMs", 1500}}}}}}});
    write_config();
    std::vector<pid_t> children;
    std::fflush(nullptr);
    for (const char *user : {"alice", "carol"}) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            // exit, not _exit: pam_wrapper's destructor removes the service
            // copy this child made (/tmp/pam.X); the parent's is not the child's.
            std::exit(approved_login(user, user) == PAM_SUCCESS ? 0 : 1);
        }
        children.push_back(pid);
    }
    for (pid_t pid : children) {
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    const Json all = stats();
    assert_int_equal(count(all, "register"), 1);
    assert_int_equal(count(all, "deviceAuthorization"), 2);
    assert_int_equal(count(all, "sts"), 2);
    // Both started while the one registration was under way: they overlapped.
    const Json &starts = all["calls"]["deviceAuthorization"];
    const double apart = starts[1]["t_ms"].get<double>() - starts[0]["t_ms"].get<double>();
    assert_true(apart >= 0 && apart < 1000);
}

// --- the device flow's answers, one scenario each ---------------------------

struct Case {
    const char *name;
    Json scenario;
    int expected;
    const char *user_message;  // in the error message, or nullptr
    std::string endpoint;
};

void scripted_answers_give_the_right_result(void **) {
    const std::vector<Case> cases = {
        {"pending, then approved", {{"script", {{"token", {"pending", "pending"}}}}}, PAM_SUCCESS, nullptr, ""},
        {"denied in the browser", {{"script", {{"token", {"denied"}}}}}, PAM_AUTH_ERR, "denied", ""},
        {"expired", {{"script", {{"token", {"expired"}}}}}, PAM_AUTH_ERR, "expired", ""},
        {"CreateToken 5xx", {{"script", {{"token", {"5xx"}}}}}, PAM_AUTHINFO_UNAVAIL, nullptr, ""},
        {"CreateToken malformed",
         {{"script",
           {{"token", {{{"status", 200}, {"body", "{\"accessToken\": 7}"}, {"contentType", "application/json"}}}}}}},
         PAM_AUTHINFO_UNAVAIL,
         nullptr,
         ""},
        {"RegisterClient 5xx", {{"script", {{"register", {"5xx"}}}}}, PAM_AUTHINFO_UNAVAIL, nullptr, ""},
        {"StartDeviceAuthorization 5xx",
         {{"script", {{"deviceAuthorization", {"5xx"}}}}},
         PAM_AUTHINFO_UNAVAIL,
         nullptr,
         ""},
        {"StartDeviceAuthorization not JSON",
         {{"script", {{"deviceAuthorization", {{{"status", 200}, {"body", "<html>"}}}}}}},
         PAM_AUTHINFO_UNAVAIL,
         nullptr,
         ""},
        {"portal 401", {{"script", {{"roleCredentials", {"unauthorized"}}}}}, PAM_AUTH_ERR, nullptr, ""},
        {"portal 5xx", {{"script", {{"roleCredentials", {"5xx"}}}}}, PAM_AUTHINFO_UNAVAIL, nullptr, ""},
        {"STS 5xx", {{"script", {{"sts", {"5xx"}}}}}, PAM_AUTHINFO_UNAVAIL, nullptr, ""},
        {"STS refuses the credentials",
         {{"script", {{"sts", {"InvalidClientTokenId"}}}}},
         PAM_AUTHINFO_UNAVAIL,
         nullptr,
         ""},
        {"AWS down", Json::object(), PAM_AUTHINFO_UNAVAIL, nullptr, "http://127.0.0.1:9"},
    };
    for (const auto &c : cases) {
        forget_registration();
        forget_aws_files("alice");
        use_scenario(c.scenario);
        Setup setup;
        setup.endpoint = c.endpoint;
        write_config(setup);
        Person alice;
        alice.approve_as = "alice";
        if (c.expected == PAM_AUTH_ERR && c.user_message && std::strcmp(c.user_message, "denied") == 0) {
            alice.approve_as.clear();
        }
        const int result = login("alice", alice);
        if (result != c.expected) fail_msg("%s: PAM result %d, expected %d", c.name, result, c.expected);
        if (c.expected != PAM_SUCCESS && exists(cache_path("alice"))) fail_msg("%s: a cache was written", c.name);
        if (c.user_message != nullptr &&
            (alice.errors.empty() || std::strstr(alice.errors[0].c_str(), c.user_message) == nullptr)) {
            fail_msg("%s: no message with \"%s\"", c.name, c.user_message);
        }
    }
}

// The audit's crash: a 1 MB answer nested 500,000 deep (under the 1 MiB size
// cap) killed the host with a stack overflow while the JSON that may hold
// secrets was wiped, one call per level. Every AWS answer the module parses
// gets such a body: each login is refused as unavailable, and the host (this
// process) lives on to run the next one.
void deeply_nested_answers_are_refused_and_the_host_lives(void **) {
    const std::size_t depth = 500000;
    const std::string nested = "{\"clientId\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
    assert_true(nested.size() < 1024 * 1024);
    for (const char *operation : {"register", "deviceAuthorization", "token", "roleCredentials"}) {
        forget_registration();
        forget_aws_files("alice");
        use_scenario(
            {{"script", {{operation, {{{"status", 200}, {"body", nested}, {"contentType", "application/json"}}}}}}});
        write_config();
        Person alice;
        alice.approve_as = "alice";
        const int result = login("alice", alice);
        if (result != PAM_AUTHINFO_UNAVAIL)
            fail_msg("%s: PAM result %d, expected %d", operation, result, PAM_AUTHINFO_UNAVAIL);
        if (exists(cache_path("alice"))) fail_msg("%s: a cache was written", operation);
    }
}

void denial_through_the_browser_is_refused(void **) {
    use_scenario({});
    write_config();
    Person alice;
    alice.deny = true;
    assert_int_equal(login("alice", alice), PAM_AUTH_ERR);
    assert_non_null(std::strstr(alice.errors.at(0).c_str(), "denied"));
}

void slow_down_adds_five_seconds(void **) {
    use_scenario({{"autoApprove", "alice"}, {"script", {{"token", {"pending", "slow_down"}}}}});
    Setup setup;
    setup.prompt = "auto";
    write_config(setup);
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    const Json polls = stats()["calls"]["token"];
    assert_int_equal(polls.size(), 3);
    const double pending_gap = polls[1]["t_ms"].get<double>() - polls[0]["t_ms"].get<double>();
    const double slow_gap = polls[2]["t_ms"].get<double>() - polls[1]["t_ms"].get<double>();
    assert_true(pending_gap >= 950 && pending_gap < 3000);  // interval 1 s
    assert_true(slow_gap >= 5950);                          // 1 + 5 s
}

// --- ~/.aws/config -----------------------------------------------------------

void write_aws_config_adds_only_missing_sections(void **) {
    forget_aws_files("alice");
    use_scenario({});
    Setup setup;
    setup.extra_provider_lines = "write_aws_config = true\n";
    write_config(setup);
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    const std::string fresh = read_text(config_path("alice"));
    assert_non_null(std::strstr(fresh.c_str(), "[sso-session corp]\n"));
    assert_non_null(std::strstr(fresh.c_str(), (std::string("sso_start_url = ") + kStartUrl + "\n").c_str()));
    assert_non_null(std::strstr(fresh.c_str(), "sso_region = us-east-1\n"));
    assert_non_null(std::strstr(fresh.c_str(), "[profile corp]\n"));
    assert_non_null(std::strstr(fresh.c_str(), "sso_session = corp\n"));
    assert_non_null(std::strstr(fresh.c_str(), (std::string("sso_account_id = ") + kAccount + "\n").c_str()));
    assert_non_null(std::strstr(fresh.c_str(), "sso_role_name = ReadOnly\n"));
    struct stat info {};
    assert_int_equal(stat(config_path("alice").c_str(), &info), 0);
    assert_int_equal(info.st_mode & 07777, 0600);
    assert_int_equal(info.st_uid, account("alice").uid);
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    assert_true(read_text(config_path("alice")) == fresh);  // nothing added twice

    // The user's own profile "corp" stays exactly as it was; only the missing
    // sso-session section is added after it.
    forget_aws_files("alice");
    const std::string own =
        "[default]\nregion = eu-west-1\n\n[profile   corp]\n# mine\nsso_session = other\n"
        "sso_account_id = 444455556666\nsso_role_name = Admin\n";
    const std::string aws_dir = account("alice").home + "/.aws";
    assert_int_equal(mkdir(aws_dir.c_str(), 0700), 0);
    write_text(config_path("alice"), own, 0644);
    assert_int_equal(chown(aws_dir.c_str(), account("alice").uid, account("alice").gid), 0);
    assert_int_equal(chown(config_path("alice").c_str(), account("alice").uid, account("alice").gid), 0);
    assert_int_equal(approved_login("alice", "alice"), PAM_SUCCESS);
    const std::string merged = read_text(config_path("alice"));
    assert_true(merged.compare(0, own.size(), own) == 0);
    assert_non_null(std::strstr(merged.c_str() + own.size(), "[sso-session corp]"));
    assert_null(std::strstr(merged.c_str() + own.size(), "[profile"));
    assert_int_equal(stat(config_path("alice").c_str(), &info), 0);
    assert_int_equal(info.st_mode & 07777, 0644);  // the user's mode is kept
}

int set_up_suite(void **) {
    suite = new Suite;
    suite->scratch = make_scratch_dir();
    const std::string services = suite->scratch + "/services";
    mkdir(services.c_str(), 0755);
    setenv("PAM_WRAPPER_SERVICE_DIR", services.c_str(), 1);
    for (const char *service : {kService, kOtherService}) {
        write_text(services + "/" + service,
                   "auth required " DEVFLOW_MODULE_PATH " config=" + suite->scratch + "/pam_device_flow.conf\n", 0644);
    }
    write_text(services + "/other", "auth required " DEVFLOW_PAM_DENY "\n", 0644);
    suite->accounts = install_test_accounts(suite->scratch, {"alice", "bob", "carol"});
    suite->aws =
        std::make_unique<FixtureServer>(std::vector<std::string>{DEVFLOW_NODE, DEVFLOW_FIXTURES "/aws/fake_aws.js"});
    return 0;
}

int tear_down_suite(void **) {
    suite->aws.reset();
    remove_tree(suite->scratch);
    delete suite;
    suite = nullptr;
    return 0;
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(approved_login_writes_the_aws_cli_cache),
        cmocka_unit_test(approval_by_another_identity_center_user_is_refused),
        cmocka_unit_test(a_user_without_the_role_is_refused),
        cmocka_unit_test(the_session_name_goes_through_username_domain_and_user_map),
        cmocka_unit_test(reuse_window_reuses_an_aws_approval_that_aws_still_accepts),
        cmocka_unit_test(reuse_refreshes_a_token_about_to_expire),
        cmocka_unit_test(a_refused_refresh_means_a_new_device_login),
        cmocka_unit_test(an_aws_reuse_is_bound_to_the_service_and_the_remote_host),
        cmocka_unit_test(without_reuse_window_or_after_it_every_login_asks),
        cmocka_unit_test(the_registration_is_cached_and_reused),
        cmocka_unit_test(a_registration_near_expiry_is_renewed),
        cmocka_unit_test(a_rejected_registration_is_replaced_once),
        cmocka_unit_test(concurrent_logins_register_one_client),
        cmocka_unit_test(scripted_answers_give_the_right_result),
        cmocka_unit_test(deeply_nested_answers_are_refused_and_the_host_lives),
        cmocka_unit_test(denial_through_the_browser_is_refused),
        cmocka_unit_test(slow_down_adds_five_seconds),
        cmocka_unit_test(write_aws_config_adds_only_missing_sections),
    };
    if (const char *filter = std::getenv("DEVFLOW_TEST_FILTER")) cmocka_set_test_filter(filter);
    return cmocka_run_group_tests(tests, set_up_suite, tear_down_suite);
}
