// SPDX-License-Identifier: Apache-2.0
// A host that interposes getenv, as sudo does: sudo's own getenv, setenv and
// unsetenv answer from the environment it prepared for the command (with
// !env_reset, the invoking user's), not from `environ`. This executable defines
// the three the same way, so libcurl's getenv calls land here, and checks that
// the transport still never lets libcurl see SSLKEYLOGFILE or a proxy, and that
// the host's environment holds the same values afterwards.
#include "base/failure.hpp"
#include "net/scrubbed_environment.hpp"

#include "expect_failure.hpp"
#include "refusing_port.hpp"
#include "test_files.hpp"

#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cmocka_cpp.hpp"

extern char **environ;

namespace {

// The host's own environment, as sudo keeps it: name → "NAME=value".
struct HostEnvironment {
    std::map<std::string, std::unique_ptr<std::string>> entries;
    std::vector<std::string> reads;  // every name asked for, in order
    bool refuse_unset = false;       // a host whose unsetenv does nothing
};

HostEnvironment &host() {
    static HostEnvironment environment;
    return environment;
}

}  // namespace

extern "C" {

char *getenv(const char *name) noexcept {
    HostEnvironment &environment = host();
    try {
        environment.reads.emplace_back(name);
    } catch (...) {
    }
    auto found = environment.entries.find(name);
    if (found == environment.entries.end()) return nullptr;
    return found->second->data() + std::strlen(name) + 1;
}

int setenv(const char *name, const char *value, int overwrite) noexcept {
    HostEnvironment &environment = host();
    if (!overwrite && environment.entries.count(name) != 0) return 0;
    try {
        environment.entries[name] = std::make_unique<std::string>(std::string(name) + "=" + value);
    } catch (...) {
        return -1;
    }
    return 0;
}

int unsetenv(const char *name) noexcept {
    HostEnvironment &environment = host();
    if (!environment.refuse_unset) environment.entries.erase(name);
    return 0;
}

}  // extern "C"

namespace {

using devflow::Outcome;
using devflow::ScrubbedEnvironment;
using devflow::test::curl_transfer_to_refusing_port;
using devflow::test::exists_nofollow;
using devflow::test::expect_failure;
using devflow::test::TempDir;

std::string host_value(const char *name) {
    const char *value = getenv(name);
    return value == nullptr ? "<unset>" : value;
}

// Must run first: libcurl reads SSLKEYLOGFILE once per process, at its init.
void interposed_key_log_is_hidden_and_given_back(void **) {
    TempDir dir;
    const std::string key_log = dir / "keylog";
    setenv("SSLKEYLOGFILE", key_log.c_str(), 1);
    setenv("NO_PROXY", "*", 1);
    setenv("SUDO_COMMAND", "/usr/bin/id", 1);  // not libcurl's: left alone
    host().reads.clear();
    curl_transfer_to_refusing_port();
    assert_false(exists_nofollow(key_log));
    // libcurl did ask (so the interposition is real), and got nothing.
    bool asked = false;
    for (const std::string &name : host().reads) asked = asked || name == "SSLKEYLOGFILE";
    assert_true(asked);
    assert_string_equal(host_value("SSLKEYLOGFILE").c_str(), key_log.c_str());
    assert_string_equal(host_value("NO_PROXY").c_str(), "*");
    assert_string_equal(host_value("SUDO_COMMAND").c_str(), "/usr/bin/id");
}

void hidden_while_the_scope_lives(void **) {
    setenv("https_proxy", "http://127.0.0.1:9/", 1);
    {
        ScrubbedEnvironment scrubbed;
        assert_null(getenv("https_proxy"));
        assert_string_equal(host_value("SUDO_COMMAND").c_str(), "/usr/bin/id");
    }
    assert_string_equal(host_value("https_proxy").c_str(), "http://127.0.0.1:9/");
}

// A host whose getenv answers but whose unsetenv cannot hide the value: the
// scope refuses, and leaves everything as it was.
void a_variable_that_cannot_be_hidden_is_refused(void **) {
    char **before = environ;
    setenv("SSLKEYLOGFILE", "/tmp/never", 1);
    host().refuse_unset = true;
    const auto failure = expect_failure([] { ScrubbedEnvironment scrubbed; });
    host().refuse_unset = false;
    assert_int_equal(static_cast<int>(failure.outcome), static_cast<int>(Outcome::system_error));
    assert_non_null(std::strstr(failure.message.c_str(), "SSLKEYLOGFILE"));
    assert_ptr_equal(environ, before);
    assert_string_equal(host_value("SSLKEYLOGFILE").c_str(), "/tmp/never");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interposed_key_log_is_hidden_and_given_back),
        cmocka_unit_test(hidden_while_the_scope_lives),
        cmocka_unit_test(a_variable_that_cannot_be_hidden_is_refused),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
