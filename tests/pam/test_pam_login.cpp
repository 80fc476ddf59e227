// SPDX-License-Identifier: Apache-2.0
// The built pam_device_flow.so through real libpam (pam_wrapper + libpamtest)
// against node-oidc-provider on 127.0.0.1, with the person's approval driven
// over HTTP as a browser would (tests/fixtures/idp/approve.js), and against
// the scripted fake for slow_down and hostile answers.

extern "C" {
#include <libpamtest.h>
}

#include "pam_test_support.hpp"

#include <nlohmann/json.hpp>
#include <security/pam_appl.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow::pamtest;

namespace {

// pam_wrapper copies the service directory once per process, so every
// argument set has its own service, written before the first login.
const char *const kService = "devflow_test";
const char *const kOtherService = "devflow_test_other";  // the same stack under another name
const std::vector<std::pair<std::string, std::string>> kServices = {
    {"devflow_test", ""},
    {"devflow_test_other", ""},
    {"devflow_test_ascii", "qr=ascii"},
    {"devflow_test_noqr", "qr=off"},
    {"devflow_test_utf8_color", "qr=utf8-color"},
    {"devflow_test_ascii_color", "qr=ascii-color"},
    {"devflow_test_badarg", "colour=blue"},
};

struct Suite {
    std::string scratch;
    std::string services;
    std::vector<TestAccount> accounts;
    std::unique_ptr<FixtureServer> idp;
};
Suite *suite = nullptr;

const TestAccount &account(const std::string &name) {
    for (const auto &candidate : suite->accounts) {
        if (candidate.name == name) return candidate;
    }
    fail_msg("no test account %s", name.c_str());
    std::abort();
}

// What the person at the terminal does, and what they saw.
struct Person {
    std::string approve_as;  // login name at the IdP; empty: never approves
    bool deny = false;
    bool answer_before_approving = false;  // press Enter once before approving
    std::string answer = "";               // what they type at the prompt
    int wait_before_answer_ms = 0;
    bool approve_in_background = false;  // for prompt=auto: approve when the code shows
    std::string password = "test";

    std::vector<std::string> infos;
    std::vector<std::string> errors;
    std::vector<std::string> prompts;
    bool approved = false;
    pid_t background = -1;
};

std::string field_after(const std::string &text, const std::string &label) {
    auto at = text.find(label);
    if (at == std::string::npos) return {};
    at += label.size();
    auto end = text.find('\n', at);
    return text.substr(at, end - at);
}

// The first word after `label` ("Open URL and enter the code: ...").
std::string word_after(const std::string &text, const std::string &label) {
    const std::string field = field_after(text, label);
    return field.substr(0, field.find(' '));
}

std::vector<std::string> approve_command(Person &person) {
    const std::string &message = person.infos.at(0);
    std::vector<std::string> command{DEVFLOW_NODE,  DEVFLOW_FIXTURES "/idp/approve.js",
                                     "--url",       word_after(message, "Open "),
                                     "--user-code", field_after(message, "enter the code: ")};
    if (person.deny) {
        command.push_back("--deny");
    } else {
        command.push_back("--login");
        command.push_back(person.approve_as);
        command.push_back("--password");
        command.push_back(person.password);
    }
    return command;
}

void approve(Person &person) {
    if (person.approved || (person.approve_as.empty() && !person.deny)) return;
    std::string output;
    int status = run_command(approve_command(person), &output);
    if (status != 0) fail_msg("approve.js failed (%d): %s", status, output.c_str());
    person.approved = true;
}

extern "C" int person_converses(int count, const pam_message **messages, pam_response **responses, void *data) {
    auto *person = static_cast<Person *>(data);
    auto *replies = static_cast<pam_response *>(calloc(static_cast<std::size_t>(count), sizeof(pam_response)));
    if (replies == nullptr) return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        const pam_message *message = messages[i];
        switch (message->msg_style) {
        case PAM_TEXT_INFO:
            person->infos.emplace_back(message->msg);
            if (person->approve_in_background && person->background < 0) {
                person->background = start_command(approve_command(*person));
            }
            break;
        case PAM_ERROR_MSG: person->errors.emplace_back(message->msg); break;
        case PAM_PROMPT_ECHO_ON:
            person->prompts.emplace_back(message->msg);
            if (!(person->answer_before_approving && person->prompts.size() == 1)) approve(*person);
            if (person->wait_before_answer_ms > 0) {
                std::this_thread::sleep_for(std::chrono::milliseconds(person->wait_before_answer_ms));
            }
            replies[i].resp = strdup(person->answer.c_str());
            break;
        default: free(replies); return PAM_CONV_ERR;
        }
    }
    *responses = replies;
    return PAM_SUCCESS;
}

struct Setup {
    explicit Setup(std::string issuer_url) : issuer(std::move(issuer_url)) {}
    std::string issuer;
    std::string client_id = "bastion";
    std::string prompt = "enter";
    std::string qr = "utf8";
    int max_wait = 60;
    std::string extra_provider_lines;
    std::string extra_top_lines;
};

std::string write_config(const Setup &setup) {
    std::string path = suite->scratch + "/pam_device_flow.conf";
    std::string text =
        "default_provider = \"test\"\n"
        "qr = \"" +
        setup.qr +
        "\"\n"
        "prompt = \"" +
        setup.prompt +
        "\"\n"
        "max_wait = " +
        std::to_string(setup.max_wait) +
        "\n"
        "http_timeout = 5\n"
        "state_dir = \"" +
        suite->scratch + "/state\"\n" + setup.extra_top_lines +
        "\n[providers.test]\n"
        "type = \"oidc\"\n"
        "issuer = \"" +
        setup.issuer +
        "\"\n"
        "client_id = \"" +
        setup.client_id +
        "\"\n"
        "scopes = [\"openid\", \"profile\", \"email\", \"groups\", \"offline_access\"]\n" +
        setup.extra_provider_lines;
    write_text(path, text, 0600);
    return path;
}

int login(const std::string &user, Person &person, const std::string &service = kService) {
    pam_testcase cases[] = {pam_test(PAMTEST_AUTHENTICATE, PAM_SUCCESS)};
    enum pamtest_err error = _pamtest_conv(service.c_str(), user.c_str(), person_converses, &person, cases, 1, nullptr);
    if (person.background > 0) wait_command(person.background);
    if (error != PAMTEST_ERR_OK && error != PAMTEST_ERR_CASE) {
        fail_msg("libpamtest: %s", pamtest_strerror(error));
    }
    return cases[0].op_rv;
}

// A login with PAM_RHOST set, as sshd sets it for a client at `remote_host`.
int login_from(const std::string &remote_host, const std::string &user, Person &person,
               const std::string &service = kService) {
    const pam_conv conversation{person_converses, &person};
    const int status = authenticate_with_items(service, user, conversation, {{PAM_RHOST, remote_host}});
    if (person.background > 0) wait_command(person.background);
    return status;
}

std::string cache_path(const std::string &user) { return account(user).home + "/.cache/pam_device_flow/test.json"; }

void forget_cache(const std::string &user) { remove_tree(account(user).home + "/.cache"); }

// --- against node-oidc-provider ---------------------------------------------

void approved_login_succeeds_and_writes_the_cache(void **) {
    forget_cache("alice");
    write_config(Setup{suite->idp->issuer()});
    Person alice;
    alice.approve_as = "alice";
    assert_int_equal(login("alice", alice), PAM_SUCCESS);

    struct stat info {};
    assert_int_equal(stat(cache_path("alice").c_str(), &info), 0);
    assert_int_equal(info.st_mode & 07777, 0600);
    assert_int_equal(info.st_uid, account("alice").uid);
    struct stat directory {};
    assert_int_equal(stat((account("alice").home + "/.cache/pam_device_flow").c_str(), &directory), 0);
    assert_int_equal(directory.st_mode & 07777, 0700);
    assert_int_equal(directory.st_uid, account("alice").uid);

    auto cache = nlohmann::json::parse(read_text(cache_path("alice")), nullptr, false);
    assert_true(cache.is_object());
    assert_string_equal(cache.value("issuer", "").c_str(), suite->idp->issuer().c_str());
    assert_string_equal(cache.value("client_id", "").c_str(), "bastion");
    assert_true(cache.value("access_token", "").size() > 10);
    assert_true(cache.value("id_token", "").size() > 10);
    assert_true(cache.value("refresh_token", "").size() > 10);
    assert_true(std::regex_match(cache.value("expires_at", ""),
                                 std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")));
}

void the_message_shows_user_host_url_code_and_qr(void **) {
    write_config(Setup{suite->idp->issuer()});
    Person alice;
    alice.approve_as = "alice";
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    assert_int_equal(alice.infos.size(), 1);
    const std::string &message = alice.infos[0];
    char host[256] = {0};
    gethostname(host, sizeof(host) - 1);
    assert_true(message.rfind("\n", 0) == 0);  // ssh prefixes the first line
    assert_non_null(std::strstr(message.c_str(), ("Log in as alice on " + std::string(host)).c_str()));
    assert_non_null(std::strstr(message.c_str(), ("Open " + suite->idp->issuer() + "/device").c_str()));
    assert_true(std::regex_search(message, std::regex("enter the code: [A-Z]{4}-[A-Z]{4}\n")));
    assert_non_null(std::strstr(message.c_str(), "\u2580"));  // upper half block
    assert_non_null(std::strstr(message.c_str(), "\u2584"));  // lower half block
    assert_int_equal(alice.prompts.size(), 1);
    assert_string_equal(alice.prompts[0].c_str(), "Press Enter after you have approved (q to cancel): ");

    // Top to bottom: the QR code, who logs in where, the URL and the code, the
    // complete link, then the prompt; on 80x24 with the line ssh's
    // "(user@host)" takes.
    const auto qr = message.find("\u2580");
    const auto login = message.find("\nLog in as ");
    const auto open = message.find("\nOpen ");
    const auto link = message.find("\nor open " + suite->idp->issuer() + "/device?user_code=");
    assert_true(qr < login && login < open && open < link && link != std::string::npos);
    assert_null(std::strchr(message.c_str() + link + 1, '\n'));  // the link is the last line
    const auto lines = static_cast<std::size_t>(std::count(message.begin(), message.end(), '\n')) + 1;
    assert_true(lines + alice.prompts.size() <= 24);
}

void ascii_qr_and_no_qr(void **) {
    write_config(Setup{suite->idp->issuer()});
    Person ascii;
    ascii.approve_as = "alice";
    assert_int_equal(login("alice", ascii, "devflow_test_ascii"), PAM_SUCCESS);
    assert_non_null(std::strstr(ascii.infos.at(0).c_str(), "##"));
    assert_null(std::strstr(ascii.infos.at(0).c_str(), "\u2580"));

    Person plain;
    plain.approve_as = "alice";
    assert_int_equal(login("alice", plain, "devflow_test_noqr"), PAM_SUCCESS);
    assert_null(std::strstr(plain.infos.at(0).c_str(), "##"));
    assert_null(std::strstr(plain.infos.at(0).c_str(), "\u2580"));
    // Without a QR code the complete link is printed all the same.
    assert_non_null(
        std::strstr(plain.infos.at(0).c_str(), ("\nor open " + suite->idp->issuer() + "/device?user_code=").c_str()));
}

// The proof of issue #12: each mode's message, exactly as the conversation got
// it, drawn as a terminal with a dark and one with a light theme draws it
// (tests/scan_qr.py), decodes to the complete link in both with zbarimg, whose
// inverted-code pass is off. The color modes also prove that the module lets
// their colors through when its configuration asks for them.
void assert_scans_on_both_themes(const std::string &name, const std::string &message, const std::string &link) {
    const std::string path = suite->scratch + "/" + name + ".txt";
    write_text(path, message);
    std::string output;
    const int status =
        run_command({"/usr/bin/python3", DEVFLOW_SOURCE "/tests/scan_qr.py", path, "--expect", link}, &output);
    std::printf("%s:\n%s", name.c_str(), output.c_str());
    if (status != 0) fail_msg("%s does not scan on both themes (scan_qr.py: %d)", name.c_str(), status);
}

// The message of a login cancelled at the prompt.
std::string message_of_a_cancelled_login(const std::string &service = kService) {
    Person person;
    person.answer = "q";
    assert_int_equal(login("alice", person, service), PAM_AUTH_ERR);
    assert_int_equal(person.infos.size(), 1);
    return person.infos[0];
}

void the_qr_code_scans_on_dark_and_light_themes(void **) {
    write_config(Setup{suite->idp->issuer()});
    for (const char *service :
         {"devflow_test", "devflow_test_ascii", "devflow_test_utf8_color", "devflow_test_ascii_color"}) {
        const std::string message = message_of_a_cancelled_login(service);
        assert_scans_on_both_themes(service, message, field_after(message, "or open "));
    }
}

void enter_before_approval_says_not_yet_and_asks_again(void **) {
    write_config(Setup{suite->idp->issuer()});
    Person alice;
    alice.approve_as = "alice";
    alice.answer_before_approving = true;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    assert_int_equal(alice.prompts.size(), 2);
    assert_string_equal(alice.prompts[1].c_str(),
                        "Not approved yet. Press Enter after you have approved (q to cancel): ");
}

void approval_by_another_identity_is_refused(void **) {
    forget_cache("alice");
    write_config(Setup{suite->idp->issuer()});
    Person mallory;
    mallory.approve_as = "bob";
    assert_int_equal(login("alice", mallory), PAM_AUTH_ERR);
    assert_int_equal(access(cache_path("alice").c_str(), F_OK), -1);
    assert_int_equal(access(cache_path("bob").c_str(), F_OK), -1);
    assert_int_equal(mallory.errors.size(), 1);
    assert_non_null(std::strstr(mallory.errors[0].c_str(), "another account"));
}

void denial_at_the_idp_is_refused(void **) {
    write_config(Setup{suite->idp->issuer()});
    Person alice;
    alice.deny = true;
    assert_int_equal(login("alice", alice), PAM_AUTH_ERR);
    assert_int_equal(alice.errors.size(), 1);
    assert_non_null(std::strstr(alice.errors[0].c_str(), "denied"));
}

void an_expired_code_is_refused(void **) {
    Setup setup{suite->idp->issuer()};
    setup.client_id = "short-lived";  // its device codes live 5 seconds
    write_config(setup);
    Person alice;  // never approves, presses Enter after the code died
    alice.wait_before_answer_ms = 6500;
    assert_int_equal(login("alice", alice), PAM_AUTH_ERR);
    assert_int_equal(alice.errors.size(), 1);
    assert_non_null(std::strstr(alice.errors[0].c_str(), "expired"));
}

void q_cancels(void **) {
    write_config(Setup{suite->idp->issuer()});
    Person alice;
    alice.answer = "q";
    assert_int_equal(login("alice", alice), PAM_AUTH_ERR);
    assert_int_equal(alice.prompts.size(), 1);
}

void automatic_prompt_polls_until_approved(void **) {
    Setup setup{suite->idp->issuer()};
    setup.prompt = "auto";
    write_config(setup);
    Person alice;
    alice.approve_as = "alice";
    alice.approve_in_background = true;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    assert_int_equal(alice.prompts.size(), 0);
}

void group_policy_refuses_a_user_outside_the_groups(void **) {
    Setup setup{suite->idp->issuer()};
    setup.extra_provider_lines = "allowed_groups = [\"admins\"]\n";
    write_config(setup);
    Person bob;
    bob.approve_as = "bob";  // bob is in ssh-users only
    assert_int_equal(login("bob", bob), PAM_AUTH_ERR);

    Person alice;
    alice.approve_as = "alice";  // alice is in admins
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
}

void required_amr_is_enforced(void **) {
    Setup setup{suite->idp->issuer()};
    setup.extra_provider_lines = "required_amr = [\"mfa\"]\n";
    write_config(setup);
    Person without_mfa;
    without_mfa.approve_as = "alice";
    assert_int_equal(login("alice", without_mfa), PAM_AUTH_ERR);

    Person with_mfa;
    with_mfa.approve_as = "alice";
    with_mfa.password = "mfa";
    assert_int_equal(login("alice", with_mfa), PAM_SUCCESS);
}

void an_unreachable_idp_is_authinfo_unavail(void **) {
    write_config(Setup{"http://127.0.0.1:9"});  // discard port: nothing listens
    Person alice;
    assert_int_equal(login("alice", alice), PAM_AUTHINFO_UNAVAIL);
    assert_int_equal(alice.infos.size(), 0);
}

void a_broken_config_is_service_err(void **) {
    Setup setup{suite->idp->issuer()};
    setup.extra_top_lines = "max_wiat = 30\n";
    write_config(setup);
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SERVICE_ERR);
    assert_int_equal(alice.infos.size(), 0);
}

void an_unknown_module_argument_is_service_err(void **) {
    write_config(Setup{suite->idp->issuer()});
    Person alice;
    assert_int_equal(login("alice", alice, "devflow_test_badarg"), PAM_SERVICE_ERR);
    assert_int_equal(alice.infos.size(), 0);
}

void an_unknown_user_is_refused_before_any_code(void **) {
    write_config(Setup{suite->idp->issuer()});
    Person nobody;
    assert_int_equal(login("no-such-user", nobody), PAM_AUTH_ERR);
    assert_int_equal(nobody.infos.size(), 0);
}

// reuse_window: an approval is reused only by a login through the same PAM
// service from the same remote host. A login through another service (an
// sshd stack riding a sudo approval) or from a remote host runs a device flow
// of its own, which the person here cancels; the approval stays reusable
// where it was given.
void reuse_is_bound_to_the_service_and_the_remote_host(void **) {
    Setup setup{suite->idp->issuer()};
    setup.extra_top_lines = "reuse_window = 300\n";
    write_config(setup);
    Person first;
    first.approve_as = "alice";
    assert_int_equal(login("alice", first), PAM_SUCCESS);
    assert_int_equal(first.infos.size(), 1);

    Person other_service;
    other_service.answer = "q";
    assert_int_equal(login("alice", other_service, kOtherService), PAM_AUTH_ERR);
    assert_int_equal(other_service.infos.size(), 1);  // a code: a device flow, no reuse

    Person remote;
    remote.answer = "q";
    assert_int_equal(login_from("203.0.113.7", "alice", remote), PAM_AUTH_ERR);
    assert_int_equal(remote.infos.size(), 1);

    Person same_place;  // approves nothing: only a reuse lets this one in
    assert_int_equal(login_from("", "alice", same_place), PAM_SUCCESS);
    assert_true(same_place.infos.empty());
    assert_true(same_place.prompts.empty());
}

// --- against the scripted fake ----------------------------------------------

// A new scripted server is a new IdP: the state cache (discovery, JWKS,
// approvals) of an earlier one goes. Its port is the kernel's pick and may be
// an earlier server's, so the cache would otherwise hold that server's
// discovery document for the same issuer URL, and a scenario whose discovery
// differs (a hostile issuer, another list of client auth methods) would not
// be fetched at all.
std::unique_ptr<FixtureServer> start_scripted(const nlohmann::json &scenario, bool tls = false) {
    remove_tree(suite->scratch + "/state");
    std::string path = suite->scratch + "/scenario.json";
    write_text(path, scenario.dump(), 0644);
    std::vector<std::string> command{DEVFLOW_NODE, DEVFLOW_FIXTURES "/scripted_idp.js", "--scenario", path};
    if (tls) {
        command.insert(command.end(),
                       {"--tls-cert", suite->scratch + "/tls.crt", "--tls-key", suite->scratch + "/tls.key"});
    }
    return std::make_unique<FixtureServer>(command);
}

const nlohmann::json kQuickSuccess = {{"client_id", "bastion"}, {"interval", 1},
                                      {"expires_in", 60},       {"polls", nlohmann::json::array()},
                                      {"final", "success"},     {"claims", {{"preferred_username", "alice"}}}};

nlohmann::json scripted_stats(const FixtureServer &server) {
    std::string output;
    int status = run_command({"/usr/bin/curl", "-sS", server.issuer() + "/_stats"}, &output);
    if (status != 0) fail_msg("curl _stats failed");
    return nlohmann::json::parse(output);
}

// Links of the length real IdPs send (60 characters; 78, the longest whose
// pair still stands side by side): in UTF-8 mode the message and the prompt
// fill at most 24 lines, and the code scans on both themes.
void a_typical_link_fits_80_by_24_and_scans(void **) {
    for (const std::size_t length : {60u, 78u}) {
        const std::string base = "https://login.example.com/realms/corp/device?user_code=";
        const std::string link = base + std::string(length - base.size(), 'W');
        auto server = start_scripted({{"client_id", "bastion"},
                                      {"user_code", "WDJB-MJHT"},
                                      {"verification_uri", "https://login.example.com/realms/corp/device"},
                                      {"verification_uri_complete", link}});
        write_config(Setup{server->issuer()});
        const std::string message = message_of_a_cancelled_login();
        const auto lines = static_cast<std::size_t>(std::count(message.begin(), message.end(), '\n')) + 1;
        std::printf("a %zu-character link: %zu lines and the prompt\n", length, lines);
        assert_true(lines + 1 <= 24);
        assert_scans_on_both_themes("link" + std::to_string(length), message, link);
    }
}

void slow_down_adds_five_seconds_and_keeps_them(void **) {
    auto server = start_scripted({{"client_id", "bastion"},
                                  {"interval", 1},
                                  {"expires_in", 60},
                                  {"polls", {"authorization_pending", "slow_down", "authorization_pending"}},
                                  {"enforce_interval", true},
                                  {"final", "success"},
                                  {"claims", {{"preferred_username", "alice"}}}});
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    write_config(setup);
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);

    auto stats = scripted_stats(*server);
    auto polls = stats["token"];
    assert_int_equal(polls.size(), 4);
    std::vector<double> gaps;
    for (std::size_t i = 1; i < polls.size(); ++i) {
        gaps.push_back(polls[i]["t_ms"].get<double>() - polls[i - 1]["t_ms"].get<double>());
    }
    // pending (wait 1 s), slow_down (now 6 s, kept), pending (6 s), success.
    assert_true(gaps[0] >= 950 && gaps[0] < 3000);
    assert_true(gaps[1] >= 5950);
    assert_true(gaps[2] >= 5950);
}

void a_missing_interval_means_five_seconds(void **) {
    auto server = start_scripted({{"client_id", "bastion"},
                                  {"interval", nullptr},
                                  {"expires_in", 60},
                                  {"polls", {"authorization_pending"}},
                                  {"enforce_interval", true},
                                  {"final", "success"},
                                  {"claims", {{"preferred_username", "alice"}}}});
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    write_config(setup);
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    auto polls = scripted_stats(*server)["token"];
    assert_int_equal(polls.size(), 2);
    assert_true(polls[1]["t_ms"].get<double>() - polls[0]["t_ms"].get<double>() >= 4950);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Enter says the person has approved: the poll goes out at once, not an
// interval (5 s here) after the device request.
void enter_after_approving_polls_at_once(void **) {
    auto server = start_scripted({{"client_id", "bastion"},
                                  {"interval", 5},
                                  {"expires_in", 60},
                                  {"polls", nlohmann::json::array()},
                                  {"enforce_interval", true},
                                  {"final", "success"},
                                  {"claims", {{"preferred_username", "alice"}}}});
    write_config(Setup{server->issuer()});
    Person alice;  // presses Enter at once; the scripted IdP has approved already
    const auto started = std::chrono::steady_clock::now();
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    const double took = seconds_since(started);
    if (took >= 4) fail_msg("the login took %.2f s: the poll after Enter waited", took);
    assert_int_equal(alice.prompts.size(), 1);
    assert_int_equal(scripted_stats(*server)["token"].size(), 1);
}

// max_wait = 10 with interval 5: polls at 5 and 10 s (the second one the
// first's round trip later, so the IdP, which enforces the interval, answers
// pending and not slow_down), then "not approved in time" at about 10 s. It
// used to give up after the first poll, at about 5 s.
void the_last_poll_is_at_the_max_wait_deadline(void **) {
    auto server = start_scripted({{"client_id", "bastion"},
                                  {"interval", 5},
                                  {"expires_in", 60},
                                  {"polls", nlohmann::json::array()},
                                  {"enforce_interval", true},
                                  {"final", "authorization_pending"},
                                  {"claims", {{"preferred_username", "alice"}}}});
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    setup.max_wait = 10;
    write_config(setup);
    Person alice;  // never approves
    const auto started = std::chrono::steady_clock::now();
    assert_int_equal(login("alice", alice), PAM_AUTH_ERR);
    const double took = seconds_since(started);
    if (took < 9.9 || took > 12) fail_msg("the login gave up after %.2f s, not at max_wait (10 s)", took);
    auto polls = scripted_stats(*server)["token"];
    assert_int_equal(polls.size(), 2);
    assert_true(polls[1]["t_ms"].get<double>() - polls[0]["t_ms"].get<double>() >= 4950);
    assert_string_equal(polls[1]["answer"].get<std::string>().c_str(), "authorization_pending");
    assert_int_equal(alice.errors.size(), 1);
    assert_non_null(std::strstr(alice.errors[0].c_str(), "not approved in time"));
}

void hostile_answers_are_authinfo_unavail(void **) {
    const std::vector<nlohmann::json> hostile = {
        {{"id_token", {{"alg", "none"}}}},
        {{"id_token", {{"bad_signature", true}}}},
        {{"id_token", {{"iss", "http://127.0.0.1:1/evil"}}}},
        {{"id_token", {{"aud", "someone-else"}}}},
        {{"id_token", {{"exp_offset", -3600}}}},
        {{"hostile", {{"token_body", "not json"}}}},
        {{"hostile", {{"user_code", "AB\u001b[2JCD"}}}},
        {{"hostile", {{"verification_uri", "javascript:alert(1)"}}}},
        {{"hostile", {{"discovery_issuer", "http://127.0.0.1:1/other"}}}},
        {{"hostile", {{"huge_body_bytes", 5000000}}}},
    };
    for (const auto &variant : hostile) {
        nlohmann::json scenario = {{"client_id", "bastion"}, {"interval", 1},
                                   {"expires_in", 60},       {"polls", nlohmann::json::array()},
                                   {"final", "success"},     {"claims", {{"preferred_username", "alice"}}}};
        scenario.update(variant);
        auto server = start_scripted(scenario);
        Setup setup{server->issuer()};
        setup.prompt = "auto";
        write_config(setup);
        forget_cache("alice");
        Person alice;
        int result = login("alice", alice);
        if (result != PAM_AUTHINFO_UNAVAIL) {
            fail_msg("scenario %s gave %d, not PAM_AUTHINFO_UNAVAIL", variant.dump().c_str(), result);
        }
        assert_int_equal(access(cache_path("alice").c_str(), F_OK), -1);
        for (const auto &info : alice.infos) assert_null(std::strchr(info.c_str(), '\x1b'));
    }
}

// After a success the module leaves the verified identity in the PAM
// environment for a later module (pam_exec, the session); a failed retry on
// the same handle leaves none of it behind.
void success_sets_the_pam_environment_and_a_failure_clears_it(void **) {
    nlohmann::json scenario = kQuickSuccess;
    scenario["claims"] = {{"preferred_username", "alice"}, {"acr", "urn:mfa"}, {"amr", {"pwd", "otp"}}};
    auto server = start_scripted(scenario);
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    write_config(setup);
    forget_cache("alice");
    Person alice;
    const pam_conv conversation{person_converses, &alice};
    pam_handle_t *pamh = nullptr;
    assert_int_equal(pam_start(kService, "alice", &conversation, &pamh), PAM_SUCCESS);
    assert_int_equal(pam_set_item(pamh, PAM_TTY, "ssh"), PAM_SUCCESS);
    assert_int_equal(pam_authenticate(pamh, 0), PAM_SUCCESS);
    const auto env = [&](const char *name) {
        const char *value = pam_getenv(pamh, name);
        return std::string(value == nullptr ? "(unset)" : value);
    };
    assert_string_equal(env("DEVFLOW_PROVIDER").c_str(), "test");
    assert_string_equal(env("DEVFLOW_ISSUER").c_str(), server->issuer().c_str());
    assert_string_equal(env("DEVFLOW_ACR").c_str(), "urn:mfa");
    assert_string_equal(env("DEVFLOW_AMR").c_str(), "pwd,otp");
    assert_true(env("DEVFLOW_SUBJECT") != "(unset)");
    assert_int_equal(env("DEVFLOW_TOKEN_ID").size(), 12);
    assert_string_equal(env("DEVFLOW_AWS_ROLE_ARN").c_str(), "(unset)");

    // The same handle again, against an IdP that has gone: unavailable, and
    // nothing of the first login stays.
    setup.issuer = "http://127.0.0.1:9";
    write_config(setup);
    Person again;
    const pam_conv second{person_converses, &again};
    assert_int_equal(pam_set_item(pamh, PAM_CONV, &second), PAM_SUCCESS);
    assert_int_equal(pam_authenticate(pamh, 0), PAM_AUTHINFO_UNAVAIL);
    for (const char *name :
         {"DEVFLOW_PROVIDER", "DEVFLOW_SUBJECT", "DEVFLOW_ACR", "DEVFLOW_AMR", "DEVFLOW_ISSUER", "DEVFLOW_TOKEN_ID"}) {
        if (pam_getenv(pamh, name) != nullptr) fail_msg("%s is still set after a failed login", name);
    }
    pam_end(pamh, PAM_SUCCESS);
}

// An IdP whose JWKS publishes its P-256 key with a coordinate's leading zero
// byte dropped (31 bytes, as some do): the login succeeds.
void an_ec_key_with_a_short_coordinate_logs_in(void **) {
    nlohmann::json scenario = kQuickSuccess;
    scenario["id_token"] = {{"alg", "ES256"}, {"ec_short_coordinate", true}};
    auto server = start_scripted(scenario);
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    write_config(setup);
    forget_cache("alice");
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);

    std::string output;
    assert_int_equal(run_command({"/usr/bin/curl", "-sS", server->issuer() + "/jwks"}, &output), 0);
    const nlohmann::json jwks = nlohmann::json::parse(output);
    std::size_t shortest = 32;
    for (const auto &key : jwks.at("keys")) {
        if (key.value("kty", std::string()) != "EC") continue;
        for (const char *member : {"x", "y"}) {
            // base64url without padding: 43 characters are 32 bytes, 42 are 31.
            shortest = std::min(shortest, key[member].get<std::string>().size() * 3 / 4);
        }
    }
    assert_true(shortest < 32);
}

// --- client authentication ---------------------------------------------------

// The scripted IdP's record of each request's client authentication.
std::vector<std::string> client_auth_seen(const FixtureServer &server) {
    std::vector<std::string> seen;
    const nlohmann::json stats = scripted_stats(server);
    for (const auto &entry : stats["client_auth"]) {
        seen.push_back(entry["endpoint"].get<std::string>() + " " + entry["method"].get<std::string>() + " " +
                       (entry["ok"].get<bool>() ? "ok" : "refused"));
    }
    return seen;
}

void assert_seen(const FixtureServer &server, const std::vector<std::string> &expected) {
    const std::vector<std::string> seen = client_auth_seen(server);
    std::string text;
    for (const auto &line : seen) text += line + "; ";
    if (seen != expected) fail_msg("client authentications seen: %s", text.c_str());
}

// A server that lets this client use HTTP Basic only (RFC 6749 2.3.1's
// must-have): auto logs in with it, whether the discovery document lists only
// Basic or lists nothing (RFC 6749's default); forcing client_secret_post
// against it is refused by the server and the login is unavailable.
void a_server_that_allows_only_basic(void **) {
    const std::string secret_file = suite->scratch + "/client.secret";
    write_text(secret_file, "p@ss:w\xc3\xb6rd%\n", 0600);
    for (const nlohmann::json &listed : {nlohmann::json::array({"client_secret_basic"}), nlohmann::json(nullptr)}) {
        nlohmann::json scenario = kQuickSuccess;
        scenario.update({{"client_id", "a b:c"},
                         {"client_secret", "p@ss:w\xc3\xb6rd%"},
                         {"client_auth", "client_secret_basic"},
                         {"token_endpoint_auth_methods_supported", listed}});
        auto server = start_scripted(scenario);
        Setup setup{server->issuer()};
        setup.prompt = "auto";
        setup.client_id = "a b:c";
        setup.extra_provider_lines = "client_secret_file = \"" + secret_file + "\"\n";
        write_config(setup);
        forget_cache("alice");
        Person alice;
        assert_int_equal(login("alice", alice), PAM_SUCCESS);
        assert_seen(*server, {"device client_secret_basic ok", "token client_secret_basic ok"});

        setup.extra_provider_lines += "token_endpoint_auth_method = \"client_secret_post\"\n";
        write_config(setup);
        Person refused;
        assert_int_equal(login("alice", refused), PAM_AUTHINFO_UNAVAIL);
        assert_seen(*server, {"device client_secret_basic ok", "token client_secret_basic ok",
                              "device client_secret_post refused"});
    }
}

// A key pair made by openssl(1): the private key root's 0600 file, as an
// admin would keep it; the public key in PEM for the scripted IdP.
std::pair<std::string, std::string> make_key_pair(const std::string &name, const std::vector<std::string> &options) {
    const std::string path = suite->scratch + "/" + name + ".pem";
    std::vector<std::string> command{"/usr/bin/openssl", "genpkey", "-out", path};
    command.insert(command.end(), options.begin(), options.end());
    if (run_command(command) != 0) fail_msg("openssl genpkey %s failed", name.c_str());
    chmod(path.c_str(), 0600);
    std::string public_pem;
    if (run_command({"/usr/bin/openssl", "pkey", "-in", path, "-pubout"}, &public_pem) != 0)
        fail_msg("openssl pkey -pubout failed");
    return {path, public_pem};
}

// private_key_jwt with an RSA and an EC key: the helper signs a fresh
// assertion for each request from the key file the module read as root
// (the helper's sandbox could not open it); the scripted IdP verifies the
// signature, iss/sub/aud/exp, the kid, and that no jti comes twice.
void private_key_jwt_with_rsa_and_ec_keys(void **) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> keys = {
        {"rsa", {"-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"}},
        {"ec", {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"}},
    };
    for (const auto &[name, options] : keys) {
        const auto [key_file, public_pem] = make_key_pair(name, options);
        nlohmann::json scenario = kQuickSuccess;
        scenario.update({{"client_auth", "private_key_jwt"},
                         {"client_public_key", public_pem},
                         {"client_key_kid", "kid-" + name},
                         {"token_endpoint_auth_methods_supported", {"private_key_jwt"}}});
        auto server = start_scripted(scenario);
        Setup setup{server->issuer()};
        setup.prompt = "auto";
        setup.extra_provider_lines =
            "private_key_file = \"" + key_file + "\"\nprivate_key_kid = \"kid-" + name + "\"\n";
        write_config(setup);
        forget_cache("alice");
        Person alice;
        const int result = login("alice", alice);
        if (result != PAM_SUCCESS) fail_msg("%s key: %d", name.c_str(), result);
        assert_seen(*server, {"device private_key_jwt ok", "token private_key_jwt ok"});
        const nlohmann::json stats = scripted_stats(*server);
        for (const auto &entry : stats["client_auth"]) {
            assert_string_equal(entry["aud"].get<std::string>().c_str(), (server->issuer() + "/token").c_str());
        }

        // A key file others may read is refused before anything is sent.
        chmod(key_file.c_str(), 0640);
        Person refused;
        assert_int_equal(login("alice", refused), PAM_SERVICE_ERR);
        assert_int_equal(scripted_stats(*server)["client_auth"].size(), 2);
    }
}

// client_assertion_audience = "issuer" for a server that wants the issuer as
// the assertion's aud (Auth0 documents it): without the key the server refuses
// the assertion; with it, the login succeeds and every aud was the issuer.
void an_assertion_can_name_the_issuer_as_its_audience(void **) {
    const auto [key_file, public_pem] =
        make_key_pair("issuer-aud", {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"});
    nlohmann::json scenario = kQuickSuccess;
    scenario.update({{"client_auth", "private_key_jwt"},
                     {"client_public_key", public_pem},
                     {"client_assertion_aud", "issuer"},
                     {"token_endpoint_auth_methods_supported", {"private_key_jwt"}}});
    auto server = start_scripted(scenario);
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    setup.extra_provider_lines = "private_key_file = \"" + key_file + "\"\n";
    write_config(setup);
    forget_cache("alice");
    Person refused;
    assert_int_not_equal(login("alice", refused), PAM_SUCCESS);
    assert_false(scripted_stats(*server)["client_auth"][0]["ok"].get<bool>());

    setup.extra_provider_lines += "client_assertion_audience = \"issuer\"\n";
    write_config(setup);
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    const nlohmann::json stats = scripted_stats(*server);
    assert_int_equal(stats["client_auth"].size(), 3);  // the refused device request, then device and token
    for (std::size_t i = 1; i < stats["client_auth"].size(); ++i) {
        assert_true(stats["client_auth"][i]["ok"].get<bool>());
        assert_string_equal(stats["client_auth"][i]["aud"].get<std::string>().c_str(), server->issuer().c_str());
    }
}

// node-oidc-provider, an independent implementation, checks what we send:
// auto picks Basic for its confidential client (which it registered for
// client_secret_post, and accepts either way, as RFC 6749 2.3.1 wants), and
// private_key_jwt (ES256 here) for its keyed client at the device and token
// endpoints, where it verifies the signature, aud, iss, exp and the jti.
void confidential_clients_log_in_at_a_real_idp(void **) {
    const std::string secret_file = suite->scratch + "/confidential.secret";
    write_text(secret_file, "s3cret-for-tests\n", 0600);
    Setup basic{suite->idp->issuer()};
    basic.client_id = "bastion-confidential";
    basic.extra_provider_lines = "client_secret_file = \"" + secret_file + "\"\n";
    write_config(basic);
    forget_cache("alice");
    Person alice;
    alice.approve_as = "alice";
    assert_int_equal(login("alice", alice), PAM_SUCCESS);

    Setup keyed{suite->idp->issuer()};
    keyed.client_id = "bastion-keyed";
    keyed.extra_provider_lines = "private_key_file = \"" + suite->scratch + "/idp-client.pem\"\n";
    write_config(keyed);
    forget_cache("alice");
    Person again;
    again.approve_as = "alice";
    assert_int_equal(login("alice", again), PAM_SUCCESS);
    const auto cache = nlohmann::json::parse(read_text(cache_path("alice")), nullptr, false);
    assert_string_equal(cache.value("client_id", "").c_str(), "bastion-keyed");

    // It accepts the issuer as the assertion's audience too.
    keyed.extra_provider_lines += "client_assertion_audience = \"issuer\"\n";
    write_config(keyed);
    forget_cache("alice");
    Person to_issuer;
    to_issuer.approve_as = "alice";
    assert_int_equal(login("alice", to_issuer), PAM_SUCCESS);
}

// --- TLS and proxy -----------------------------------------------------------

void https_needs_a_trusted_certificate(void **) {
    auto server = start_scripted(kQuickSuccess, /*tls=*/true);
    assert_true(server->issuer().rfind("https://127.0.0.1:", 0) == 0);
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    write_config(setup);
    Person untrusting;
    assert_int_equal(login("alice", untrusting), PAM_AUTHINFO_UNAVAIL);

    setup.extra_top_lines = "ca_file = \"" + suite->scratch + "/tls.crt\"\n";
    write_config(setup);
    Person trusting;
    assert_int_equal(login("alice", trusting), PAM_SUCCESS);
}

void the_proxy_key_is_honoured(void **) {
    auto server = start_scripted(kQuickSuccess, /*tls=*/true);
    FixtureServer proxy({DEVFLOW_NODE, DEVFLOW_FIXTURES "/connect_proxy.js"});
    Setup setup{server->issuer()};
    setup.prompt = "auto";
    setup.extra_top_lines = "ca_file = \"" + suite->scratch + "/tls.crt\"\nproxy = \"" + proxy.issuer() + "\"\n";
    write_config(setup);
    Person alice;
    assert_int_equal(login("alice", alice), PAM_SUCCESS);
    std::string output;
    assert_int_equal(run_command({"/usr/bin/curl", "-sS", proxy.issuer() + "/_stats"}, &output), 0);
    auto stats = nlohmann::json::parse(output);
    assert_true(stats["connects"].get<int>() >= 1);

    // A proxy that is down is not bypassed.
    setup.extra_top_lines = "ca_file = \"" + suite->scratch + "/tls.crt\"\nproxy = \"http://127.0.0.1:9\"\n";
    write_config(setup);
    Person stranded;
    assert_int_equal(login("alice", stranded), PAM_AUTHINFO_UNAVAIL);
}

// --- CreateTokenWithIAM against the loopback AWS fake -----------------------

const char *const kIamKeyId = "AKIAHOSTHOSTHOST0001";
const char *const kIamSecret = "hostSecretAccessKeyForTheIamTest000000000";
const char *const kIamSession = "host-session-token";
const char *const kAppArn = "arn:aws:sso::111122223333:application/ssoins-1111111111111111/apl-1111111111111111";
// SHA-1("corp-idc"), as botocore names the token cache.
std::string aws_cache_path(const std::string &user) {
    return account(user).home + "/.aws/sso/cache/" + "f9f6d06a827256345f3236ff66045b49e09721df.json";
}

nlohmann::json fake_aws_call(const FixtureServer &aws, const std::string &method, const std::string &path,
                             const nlohmann::json &body = nullptr) {
    std::vector<std::string> command{"/usr/bin/curl", "-sS", "-f", "-X", method, aws.issuer() + path};
    if (!body.is_null()) command.insert(command.end(), {"-H", "Content-Type: application/json", "-d", body.dump()});
    std::string output;
    if (run_command(command, &output) != 0) fail_msg("fake_aws %s %s failed", method.c_str(), path.c_str());
    return nlohmann::json::parse(output, nullptr, false);
}

// The host's credentials come from the test process's environment, as they
// would from sshd's; a login as alice then exchanges her verified id_token.
int exchange_login(const FixtureServer &aws, const char *secret, Person &person) {
    remove_tree(account("alice").home + "/.aws");
    fake_aws_call(aws, "POST", "/_scenario",
                  {{"iam",
                    {{"accessKeyId", kIamKeyId},
                     {"secretAccessKey", kIamSecret},
                     {"sessionToken", kIamSession},
                     {"applicationArn", kAppArn},
                     {"trustedIssuers", {suite->idp->issuer()}}}}});
    Setup setup{suite->idp->issuer()};
    setup.extra_provider_lines = std::string("aws_idc_application_arn = \"") + kAppArn +
                                 "\"\naws_region = \"us-east-1\"\naws_sso_session = \"corp-idc\"\n"
                                 "aws_oidc_endpoint = \"" +
                                 aws.issuer() + "\"\naws_credentials = \"environment\"\n";
    write_config(setup);
    setenv("AWS_ACCESS_KEY_ID", kIamKeyId, 1);
    setenv("AWS_SECRET_ACCESS_KEY", secret, 1);
    setenv("AWS_SESSION_TOKEN", kIamSession, 1);
    if (person.approve_as.empty()) person.approve_as = "alice";
    const int result = login("alice", person);
    unsetenv("AWS_ACCESS_KEY_ID");
    unsetenv("AWS_SECRET_ACCESS_KEY");
    unsetenv("AWS_SESSION_TOKEN");
    return result;
}

void the_id_token_is_exchanged_for_an_identity_center_token(void **) {
    FixtureServer aws({DEVFLOW_NODE, DEVFLOW_FIXTURES "/aws/fake_aws.js"});
    Person alice;
    assert_int_equal(exchange_login(aws, kIamSecret, alice), PAM_SUCCESS);

    const auto stats = fake_aws_call(aws, "GET", "/_stats");
    const auto &calls = stats["calls"]["tokenWithIAM"];
    assert_int_equal(calls.size(), 1);
    assert_int_equal(calls[0].value("status", 0), 200);
    assert_string_equal(calls[0].value("signedBy", "").c_str(), kIamKeyId);
    assert_string_equal(calls[0].value("grantType", "").c_str(), "urn:ietf:params:oauth:grant-type:jwt-bearer");
    assert_string_equal(calls[0].value("user", "").c_str(), "alice");

    struct stat info {};
    assert_int_equal(stat(aws_cache_path("alice").c_str(), &info), 0);
    assert_int_equal(info.st_mode & 07777, 0600);
    assert_int_equal(info.st_uid, account("alice").uid);
    const auto cache = nlohmann::json::parse(read_text(aws_cache_path("alice")), nullptr, false);
    assert_true(cache.is_object());
    assert_string_equal(cache.value("region", "").c_str(), "us-east-1");
    assert_true(cache.value("accessToken", "").size() > 10);
    assert_true(std::regex_match(cache.value("expiresAt", ""),
                                 std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")));
    for (const char *absent : {"startUrl", "refreshToken", "clientId", "clientSecret", "registrationExpiresAt"}) {
        assert_false(cache.contains(absent));
    }
    // The OIDC login's own cache is written as before.
    assert_int_equal(stat(cache_path("alice").c_str(), &info), 0);
}

void a_refused_exchange_keeps_the_login_and_writes_no_aws_cache(void **) {
    FixtureServer aws({DEVFLOW_NODE, DEVFLOW_FIXTURES "/aws/fake_aws.js"});
    Person alice;
    assert_int_equal(exchange_login(aws, "wrongSecretAccessKeyForTheIamTest00000000", alice), PAM_SUCCESS);

    const auto stats = fake_aws_call(aws, "GET", "/_stats");
    const auto &calls = stats["calls"]["tokenWithIAM"];
    assert_int_equal(calls.size(), 1);
    assert_int_equal(calls[0].value("status", 0), 403);
    assert_false(access(aws_cache_path("alice").c_str(), F_OK) == 0);
}

// The exchange runs only for a login bound to the PAM user: another
// identity's verified id_token is never sent to AWS.
void a_refused_login_exchanges_nothing(void **) {
    FixtureServer aws({DEVFLOW_NODE, DEVFLOW_FIXTURES "/aws/fake_aws.js"});
    Person mallory;
    mallory.approve_as = "bob";
    assert_int_equal(exchange_login(aws, kIamSecret, mallory), PAM_AUTH_ERR);
    const auto stats = fake_aws_call(aws, "GET", "/_stats");
    assert_false(stats["calls"].contains("tokenWithIAM"));
    assert_false(access(aws_cache_path("alice").c_str(), F_OK) == 0);
}

int set_up_suite(void **) {
    suite = new Suite;
    suite->scratch = make_scratch_dir();
    suite->services = suite->scratch + "/services";
    mkdir(suite->services.c_str(), 0755);
    setenv("PAM_WRAPPER_SERVICE_DIR", suite->services.c_str(), 1);
    const std::string config = suite->scratch + "/pam_device_flow.conf";
    for (const auto &[name, arguments] : kServices) {
        write_text(suite->services + "/" + name,
                   "auth required " DEVFLOW_MODULE_PATH " config=" + config + " " + arguments + "\n", 0644);
    }
    // libpam falls back to "other" for unknown services: make that deny.
    write_text(suite->services + "/other", "auth required " DEVFLOW_PAM_DENY "\n", 0644);
    suite->accounts = install_test_accounts(suite->scratch, {"alice", "bob"});
    // A self-signed certificate for 127.0.0.1, for the https tests.
    if (run_command({"/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                     "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", suite->scratch + "/tls.key",
                     "-out", suite->scratch + "/tls.crt"}) != 0) {
        return -1;
    }
    // The key of the IdP's private_key_jwt client (bastion-keyed).
    const std::string client_key =
        make_key_pair("idp-client", {"-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"}).second;
    write_text(suite->scratch + "/idp-client.pub", client_key, 0644);
    suite->idp = std::make_unique<FixtureServer>(std::vector<std::string>{
        DEVFLOW_NODE, DEVFLOW_FIXTURES "/idp/server.js", "--client-key", suite->scratch + "/idp-client.pub"});
    return 0;
}

int tear_down_suite(void **) {
    suite->idp.reset();
    remove_tree(suite->scratch);
    delete suite;
    suite = nullptr;
    return 0;
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(approved_login_succeeds_and_writes_the_cache),
        cmocka_unit_test(the_message_shows_user_host_url_code_and_qr),
        cmocka_unit_test(ascii_qr_and_no_qr),
        cmocka_unit_test(the_qr_code_scans_on_dark_and_light_themes),
        cmocka_unit_test(a_typical_link_fits_80_by_24_and_scans),
        cmocka_unit_test(enter_before_approval_says_not_yet_and_asks_again),
        cmocka_unit_test(approval_by_another_identity_is_refused),
        cmocka_unit_test(denial_at_the_idp_is_refused),
        cmocka_unit_test(an_expired_code_is_refused),
        cmocka_unit_test(q_cancels),
        cmocka_unit_test(automatic_prompt_polls_until_approved),
        cmocka_unit_test(group_policy_refuses_a_user_outside_the_groups),
        cmocka_unit_test(required_amr_is_enforced),
        cmocka_unit_test(an_unreachable_idp_is_authinfo_unavail),
        cmocka_unit_test(a_broken_config_is_service_err),
        cmocka_unit_test(an_unknown_module_argument_is_service_err),
        cmocka_unit_test(an_unknown_user_is_refused_before_any_code),
        cmocka_unit_test(reuse_is_bound_to_the_service_and_the_remote_host),
        cmocka_unit_test(slow_down_adds_five_seconds_and_keeps_them),
        cmocka_unit_test(a_missing_interval_means_five_seconds),
        cmocka_unit_test(enter_after_approving_polls_at_once),
        cmocka_unit_test(the_last_poll_is_at_the_max_wait_deadline),
        cmocka_unit_test(hostile_answers_are_authinfo_unavail),
        cmocka_unit_test(an_ec_key_with_a_short_coordinate_logs_in),
        cmocka_unit_test(success_sets_the_pam_environment_and_a_failure_clears_it),
        cmocka_unit_test(a_server_that_allows_only_basic),
        cmocka_unit_test(private_key_jwt_with_rsa_and_ec_keys),
        cmocka_unit_test(an_assertion_can_name_the_issuer_as_its_audience),
        cmocka_unit_test(confidential_clients_log_in_at_a_real_idp),
        cmocka_unit_test(https_needs_a_trusted_certificate),
        cmocka_unit_test(the_proxy_key_is_honoured),
        cmocka_unit_test(the_id_token_is_exchanged_for_an_identity_center_token),
        cmocka_unit_test(a_refused_exchange_keeps_the_login_and_writes_no_aws_cache),
        cmocka_unit_test(a_refused_login_exchanges_nothing),
    };
    // DEVFLOW_TEST_FILTER=pattern runs only the matching tests (while developing).
    if (const char *filter = std::getenv("DEVFLOW_TEST_FILTER")) cmocka_set_test_filter(filter);
    return cmocka_run_group_tests(tests, set_up_suite, tear_down_suite);
}
