// SPDX-License-Identifier: Apache-2.0
// Privilege separation through real libpam (pam_wrapper + libpamtest): the
// built pam_device_flow.so starts its helper for every login, and this test
// looks at that helper from outside while the login runs (who it is, how it
// is confined, what it holds), replaces it with helpers that break the
// protocol (hostile_helper.cpp, module argument helper=), and counts what the
// host process keeps after many logins. Run as root (CI): the helper then
// really drops to the helper account (_devflow in nss_wrapper's passwd).

extern "C" {
#include <libpamtest.h>
}

#include "pam_test_support.hpp"

#include <nlohmann/json.hpp>
#include <security/pam_appl.h>

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow::pamtest;

namespace {

const char *const kService = "devflow_separation";
const char *const kHelperName = "pam-device-flow-helper";  // the argv[0] of every helper the module starts

// What hostile_helper does is its file name; one service per behaviour.
const std::vector<std::string> kHostileHelpers = {
    "hangs",           "sends_garbage", "sends_oversized",     "exits_early",
    "crashes",         "answers_twice", "sends_tokens_first",  "claims_success",
    "forges_identity", "spams_logs",    "paints_the_terminal",
};

struct Suite {
    std::string scratch;
    std::string services;
    std::string helpers;  // root-owned copies of hostile_helper, one per behaviour
    std::vector<TestAccount> accounts;
};
Suite *suite = nullptr;

std::string config_path() { return suite->scratch + "/pam_device_flow.conf"; }

// The shortest deadline a config allows: max_wait 10 s, http_timeout 1 s.
void write_config(const std::string &issuer, const std::string &prompt) {
    write_text(config_path(),
               "default_provider = \"test\"\n"
               "qr = \"off\"\n"
               "prompt = \"" +
                   prompt +
                   "\"\n"
                   "max_wait = 10\n"
                   "http_timeout = 1\n"
                   "state_dir = \"" +
                   suite->scratch + "/state\"\n\n[providers.test]\ntype = \"oidc\"\nissuer = \"" + issuer +
                   "\"\nclient_id = \"bastion\"\n",
               0600);
}

// A new server is a new IdP: no discovery or JWKS cached for an earlier one
// that had the same port (the kernel's pick) goes on being used.
std::unique_ptr<FixtureServer> start_scripted(const nlohmann::json &scenario) {
    remove_tree(suite->scratch + "/state");
    const std::string path = suite->scratch + "/scenario.json";
    write_text(path, scenario.dump(), 0644);
    return std::make_unique<FixtureServer>(
        std::vector<std::string>{DEVFLOW_NODE, DEVFLOW_FIXTURES "/scripted_idp.js", "--scenario", path});
}

nlohmann::json approves_at_once() {
    return {{"client_id", "bastion"},           {"interval", 1},      {"expires_in", 60},
            {"polls", nlohmann::json::array()}, {"final", "success"}, {"claims", {{"preferred_username", "alice"}}}};
}

// --- the processes of this test ------------------------------------------------

std::string read_link(const std::string &path) {
    char target[PATH_MAX] = {};
    const ssize_t length = ::readlink(path.c_str(), target, sizeof target - 1);
    return length > 0 ? std::string(target, static_cast<std::size_t>(length)) : std::string();
}

std::vector<std::string> directory_entries(const std::string &path) {
    std::vector<std::string> names;
    if (DIR *directory = ::opendir(path.c_str())) {
        while (const dirent *entry = ::readdir(directory)) {
            if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) {
                names.emplace_back(entry->d_name);
            }
        }
        ::closedir(directory);
    }
    return names;
}

std::map<std::string, std::string> proc_status(pid_t pid) {
    std::map<std::string, std::string> fields;
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        const auto colon = line.find(':');
        if (colon == std::string::npos) continue;
        const auto value = line.find_first_not_of(" \t", colon + 1);
        fields[line.substr(0, colon)] = value == std::string::npos ? "" : line.substr(value);
    }
    return fields;
}

// The children of this process whose argv[0] is the helper's name: the
// helpers the module started and has not reaped (a zombie's cmdline is
// empty, so those are found by the name in their status instead).
std::vector<pid_t> helper_children() {
    std::vector<pid_t> pids;
    for (const auto &name : directory_entries("/proc")) {
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(name));
        auto status = proc_status(pid);
        if (status["PPid"] != std::to_string(::getpid())) continue;
        std::string argv0 = read_text("/proc/" + name + "/cmdline");
        argv0 = argv0.substr(0, argv0.find('\0'));
        if (argv0 == kHelperName || status["State"].rfind("Z", 0) == 0) pids.push_back(pid);
    }
    return pids;
}

std::size_t open_descriptors() { return directory_entries("/proc/self/fd").size(); }

// --- the person ---------------------------------------------------------------

// Answers every prompt with Enter; calls `on_prompt` (once) at the first
// prompt and `on_info` at the first info message, while the login runs.
struct Person {
    std::function<void()> on_info;
    std::function<void()> on_prompt;
    std::vector<std::string> infos;
    std::vector<std::string> errors;
    std::vector<std::string> questions;  // the prompts' texts
    int prompts = 0;
};

extern "C" int person_converses(int count, const pam_message **messages, pam_response **responses, void *data) {
    auto *person = static_cast<Person *>(data);
    auto *replies = static_cast<pam_response *>(calloc(static_cast<std::size_t>(count), sizeof(pam_response)));
    if (replies == nullptr) return PAM_BUF_ERR;
    for (int i = 0; i < count; ++i) {
        switch (messages[i]->msg_style) {
        case PAM_TEXT_INFO:
            person->infos.emplace_back(messages[i]->msg);
            if (person->infos.size() == 1 && person->on_info) person->on_info();
            break;
        case PAM_ERROR_MSG: person->errors.emplace_back(messages[i]->msg); break;
        case PAM_PROMPT_ECHO_ON:
            person->questions.emplace_back(messages[i]->msg);
            if (++person->prompts == 1 && person->on_prompt) person->on_prompt();
            replies[i].resp = strdup("");
            break;
        default: free(replies); return PAM_CONV_ERR;
        }
    }
    *responses = replies;
    return PAM_SUCCESS;
}

int login(const std::string &service, Person &person) {
    pam_testcase cases[] = {pam_test(PAMTEST_AUTHENTICATE, PAM_SUCCESS)};
    const enum pamtest_err error =
        _pamtest_conv(service.c_str(), "alice", person_converses, &person, cases, 1, nullptr);
    if (error != PAMTEST_ERR_OK && error != PAMTEST_ERR_CASE) fail_msg("libpamtest: %s", pamtest_strerror(error));
    return cases[0].op_rv;
}

int login(const std::string &service) {
    Person person;
    return login(service, person);
}

// The module's error lines during one login: pam_wrapper prints what goes
// to syslog at LOG_ERR on stderr ("PWRAP_ERROR ... SYSLOG(3): line").
class ErrorLines {
public:
    ErrorLines() : path_(suite->scratch + "/stderr.txt"), saved_(::dup(2)) {
        std::fflush(stderr);
        const int file = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        ::dup2(file, 2);
        ::close(file);
    }
    ErrorLines(const ErrorLines &) = delete;
    ErrorLines &operator=(const ErrorLines &) = delete;
    ~ErrorLines() { restore(); }

    // The lines logged at LOG_ERR, in order.
    std::vector<std::string> lines() {
        restore();
        std::vector<std::string> found;
        std::istringstream text(read_text(path_));
        std::string line;
        while (std::getline(text, line)) {
            const auto at = line.find("SYSLOG(3): ");
            if (at != std::string::npos) found.push_back(line.substr(at + 11));
        }
        return found;
    }

private:
    void restore() {
        if (saved_ < 0) return;
        std::fflush(stderr);
        ::dup2(saved_, 2);
        ::close(saved_);
        saved_ = -1;
    }
    std::string path_;
    int saved_;
};

// Exactly one error line, and it contains `expected`.
void assert_one_error_line(ErrorLines &errors, const std::string &expected, const char *what) {
    const auto lines = errors.lines();
    if (lines.size() != 1 || lines[0].find(expected) == std::string::npos) {
        std::string all;
        for (const auto &line : lines) all += "\n  " + line;
        fail_msg("%s: expected one error line with \"%s\", got %zu:%s", what, expected.c_str(), lines.size(),
                 all.c_str());
    }
}

std::string hostile_service(const std::string &behaviour) { return std::string(kService) + "_" + behaviour; }

// --- the real helper, seen from outside ------------------------------------

// During a login (the code on screen), the helper runs as the helper account
// with no way back to root, no_new_privs and a seccomp filter, an empty
// environment, argv = its name, and only /dev/null and its channel open.
void the_helper_runs_unprivileged_confined_and_empty_handed(void **) {
    auto idp = start_scripted(approves_at_once());
    write_config(idp->issuer(), "enter");
    std::map<std::string, std::string> status;
    std::string environment = "unread", cmdline;
    std::vector<std::string> descriptors, descriptor_targets;
    Person alice;
    alice.on_info = [&] {
        const auto helpers = helper_children();
        if (helpers.size() != 1) return;
        const std::string proc = "/proc/" + std::to_string(helpers[0]);
        status = proc_status(helpers[0]);
        environment = read_text(proc + "/environ");
        cmdline = read_text(proc + "/cmdline");
        descriptors = directory_entries(proc + "/fd");
        for (const auto &fd : descriptors) descriptor_targets.push_back(read_link(proc + "/fd/" + fd));
    };
    assert_int_equal(login(kService, alice), PAM_SUCCESS);

    assert_false(status.empty());  // the helper was found while the code was shown
    const std::string uid = status["Uid"];
    const std::string gid = status["Gid"];
    assert_string_equal(uid.c_str(), "47100\t47100\t47100\t47100");  // _devflow, real effective saved fs
    assert_string_equal(gid.c_str(), "47100\t47100\t47100\t47100");
    assert_string_equal(status["Groups"].c_str(), "");
    assert_string_equal(status["NoNewPrivs"].c_str(), "1");
#ifndef DEVFLOW_SANITIZER_BUILD
    assert_string_equal(status["Seccomp"].c_str(), "2");
#endif
    assert_string_equal(status["CapEff"].c_str(), "0000000000000000");
    assert_string_equal(status["CapPrm"].c_str(), "0000000000000000");
    assert_true(environment.empty());
    assert_string_equal(cmdline.c_str(), kHelperName);  // nothing but its name (one NUL-ended word)
    std::set<std::string> fds(descriptors.begin(), descriptors.end());
    // 0-2 and the channel; libcurl's own sockets come and go with requests.
    for (const char *fd : {"0", "1", "2", "3"}) assert_true(fds.count(fd) == 1);
    for (std::size_t i = 0; i < descriptors.size(); ++i) {
        const auto &target = descriptor_targets[i];
        if (descriptors[i] == "0" || descriptors[i] == "1" || descriptors[i] == "2") {
            assert_string_equal(target.c_str(), "/dev/null");
        } else {
            assert_true(target.rfind("socket:", 0) == 0);  // the channel, or a connection to the IdP
        }
    }
    assert_true(helper_children().empty());
}

// The helper killed while the person looks at the code: the login fails
// closed, and the module reaps it.
void a_helper_killed_mid_login_is_authinfo_unavail(void **) {
    auto idp = start_scripted(approves_at_once());
    write_config(idp->issuer(), "enter");
    Person alice;
    bool killed = false;
    alice.on_prompt = [&] {
        for (const pid_t helper : helper_children()) killed = ::kill(helper, SIGKILL) == 0 || killed;
    };
    ErrorLines errors;
    assert_int_equal(login(kService, alice), PAM_AUTHINFO_UNAVAIL);
    assert_one_error_line(errors, "the helper was killed by signal 9", "killed");
    assert_true(killed);
    assert_true(helper_children().empty());
}

// --- helpers that break the protocol ------------------------------------------

void a_helper_that_breaks_the_protocol_is_authinfo_unavail(void **) {
    write_config("http://127.0.0.1:9", "enter");  // never contacted
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"sends_garbage", "login helper: a message of protocol version 238, expected "},
        {"sends_oversized", "login helper: the login helper sent a message of 4294967295 bytes, more than the"},
        {"exits_early", "login helper: the login helper closed the channel; the helper exited with status 0"},
        {"crashes", "the login helper closed the channel; the helper was killed by signal 11"},
        {"answers_twice", "login helper: the login helper sent another message after its answer"},
        {"sends_tokens_first", "login helper: the login helper sent oidc_tokens before the login was authorized"},
        {"claims_success", "login helper: the login helper reported success for a login never authorized"},
        {"spams_logs", "login helper: the login helper sent more than 4096 messages"},
    };
    for (const auto &[name, line] : cases) {
        const char *behaviour = name.c_str();
        const auto started = std::chrono::steady_clock::now();
        ErrorLines errors;
        const int result = login(hostile_service(behaviour));
        const auto took = std::chrono::steady_clock::now() - started;
        assert_one_error_line(errors, line, behaviour);
        if (result != PAM_AUTHINFO_UNAVAIL) fail_msg("%s gave %d, not PAM_AUTHINFO_UNAVAIL", behaviour, result);
        if (!helper_children().empty()) fail_msg("%s: a helper process is left", behaviour);
        // Each is refused on its first wrong message, long before the deadline.
        if (took > std::chrono::seconds(8))
            fail_msg("%s took %lld ms", behaviour,
                     (long long)std::chrono::duration_cast<std::chrono::milliseconds>(took).count());
    }
}

// The module authorizes by its own binding and policy: a helper that asks
// for another identity gets no, whatever it says afterwards.
void a_forged_identity_is_refused_by_the_module(void **) {
    write_config("http://127.0.0.1:9", "enter");
    ErrorLines errors;
    assert_int_equal(login(hostile_service("forges_identity")), PAM_AUTH_ERR);
    for (const auto &line : errors.lines()) assert_null(std::strstr(line.c_str(), "hostile helper"));
    assert_true(helper_children().empty());
}

// A helper that never answers costs the login its total deadline
// (max_wait + 8 http_timeout + 10 s: 28 s here), then is killed and reaped.
// What a helper asks to show reaches the terminal without an escape
// sequence. Only when the module's own configuration draws the QR code in
// color do its three color sequences pass, exactly those, and only in shown
// text: never in a prompt or an error.
void a_helper_cannot_paint_the_terminal(void **) {
    write_config("http://127.0.0.1:9", "enter");  // qr = "off"; never contacted
    Person plain;
    assert_int_equal(login(hostile_service("paints_the_terminal"), plain), PAM_AUTH_ERR);
    assert_int_equal(plain.infos.size(), 1);
    assert_string_equal(plain.infos[0].c_str(), "ABCDEFGHIJ");
    assert_int_equal(plain.questions.size(), 1);
    assert_string_equal(plain.questions[0].c_str(), "ABCDEFGHIJ");
    assert_int_equal(plain.errors.size(), 1);
    assert_string_equal(plain.errors[0].c_str(), "ABCDEFGHIJ");

    Person colored;
    assert_int_equal(login(hostile_service("paints_the_terminal") + "_in_color", colored), PAM_AUTH_ERR);
    assert_int_equal(colored.infos.size(), 1);
    assert_string_equal(colored.infos[0].c_str(), "A\x1b[30;47mB\x1b[37;40mC\x1b[0mDEFGHIJ");
    assert_int_equal(colored.questions.size(), 1);
    assert_string_equal(colored.questions[0].c_str(), "ABCDEFGHIJ");
    assert_int_equal(colored.errors.size(), 1);
    assert_string_equal(colored.errors[0].c_str(), "ABCDEFGHIJ");
    assert_true(helper_children().empty());
}

void a_hanging_helper_is_stopped_at_the_deadline(void **) {
    write_config("http://127.0.0.1:9", "enter");
    const auto started = std::chrono::steady_clock::now();
    ErrorLines errors;
    assert_int_equal(login(hostile_service("hangs")), PAM_AUTHINFO_UNAVAIL);
    assert_one_error_line(errors, "timed out", "hangs");
    const auto took = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started);
    assert_true(took.count() >= 27 && took.count() <= 40);
    assert_true(helper_children().empty());
}

// The module's own checks of the helper= path: missing, or writable by
// others (as root, only a root-owned file nobody else can change is run).
void a_missing_or_unsafe_helper_binary_is_service_err(void **) {
    write_config("http://127.0.0.1:9", "enter");
    assert_int_equal(login(std::string(kService) + "_missing"), PAM_SERVICE_ERR);
    assert_int_equal(login(std::string(kService) + "_group_writable"), PAM_SERVICE_ERR);
    assert_true(helper_children().empty());
}

// --- what the host process keeps ------------------------------------------

// 100 logins, approved and failed, leave the host process with the file
// descriptors, children and SIGCHLD disposition it had before.
void a_hundred_logins_leak_nothing_into_the_host(void **) {
    auto idp = start_scripted(approves_at_once());
    write_config(idp->issuer(), "enter");
    struct sigaction before {};
    ::sigaction(SIGCHLD, nullptr, &before);
    const std::size_t descriptors = open_descriptors();
    int approved = 0;
    for (int i = 0; i < 100; ++i) {
        if (i % 4 == 3) {
            assert_int_equal(login(hostile_service(i % 8 == 3 ? "crashes" : "sends_garbage")), PAM_AUTHINFO_UNAVAIL);
            continue;
        }
        // The scripted IdP answers its script once: reset it for each login.
        assert_int_equal(run_command({"/usr/bin/curl", "-sS", "-X", "POST", idp->issuer() + "/_reset"}), 0);
        assert_int_equal(login(kService), PAM_SUCCESS);
        ++approved;
    }
    assert_int_equal(approved, 75);
    assert_int_equal(open_descriptors(), descriptors);
    assert_true(helper_children().empty());
    struct sigaction after {};
    ::sigaction(SIGCHLD, nullptr, &after);
    assert_true(after.sa_handler == before.sa_handler);
    assert_int_equal(after.sa_flags, before.sa_flags);
}

// --- suite ----------------------------------------------------------------------

void copy_file(const std::string &from, const std::string &to, mode_t mode) {
    std::ifstream in(from, std::ios::binary);
    std::ofstream out(to, std::ios::binary | std::ios::trunc);
    out << in.rdbuf();
    out.close();
    ::chmod(to.c_str(), mode);
}

void write_service(const std::string &name, const std::string &arguments) {
    write_text(suite->services + "/" + name,
               "auth required " DEVFLOW_MODULE_PATH " config=" + config_path() + " " + arguments + "\n", 0644);
}

int set_up_suite(void **) {
    if (::geteuid() != 0) {
        std::fputs("pam.separation needs root: the helper drops to its own account only then\n", stderr);
        return -1;
    }
    suite = new Suite;
    suite->scratch = make_scratch_dir();
    // The helper account passes through to its state_dir and its binaries.
    ::chmod(suite->scratch.c_str(), 0711);
    suite->services = suite->scratch + "/services";
    suite->helpers = suite->scratch + "/helpers";
    ::mkdir(suite->services.c_str(), 0755);
    ::mkdir(suite->helpers.c_str(), 0755);
    setenv("PAM_WRAPPER_SERVICE_DIR", suite->services.c_str(), 1);
    // pam_wrapper copies the service files once per process: all of them now.
    write_service(kService, "");
    for (const auto &behaviour : kHostileHelpers) {
        copy_file(DEVFLOW_HOSTILE_HELPER, suite->helpers + "/" + behaviour, 0755);
        write_service(hostile_service(behaviour), "helper=" + suite->helpers + "/" + behaviour);
    }
    // The same helper where the configuration (here its module argument) asks
    // for a QR code in color.
    write_service(hostile_service("paints_the_terminal") + "_in_color",
                  "helper=" + suite->helpers + "/paints_the_terminal qr=utf8-color");
    write_service(std::string(kService) + "_missing", "helper=" + suite->helpers + "/not_there");
    copy_file(DEVFLOW_HOSTILE_HELPER, suite->helpers + "/group_writable", 0775);
    write_service(std::string(kService) + "_group_writable", "helper=" + suite->helpers + "/group_writable");
    write_text(suite->services + "/other", "auth required " DEVFLOW_PAM_DENY "\n", 0644);
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
        cmocka_unit_test(the_helper_runs_unprivileged_confined_and_empty_handed),
        cmocka_unit_test(a_helper_killed_mid_login_is_authinfo_unavail),
        cmocka_unit_test(a_helper_that_breaks_the_protocol_is_authinfo_unavail),
        cmocka_unit_test(a_forged_identity_is_refused_by_the_module),
        cmocka_unit_test(a_helper_cannot_paint_the_terminal),
        cmocka_unit_test(a_hanging_helper_is_stopped_at_the_deadline),
        cmocka_unit_test(a_missing_or_unsafe_helper_binary_is_service_err),
        cmocka_unit_test(a_hundred_logins_leak_nothing_into_the_host),
    };
    if (const char *filter = std::getenv("DEVFLOW_TEST_FILTER")) cmocka_set_test_filter(filter);
    return cmocka_run_group_tests(tests, set_up_suite, tear_down_suite);
}
