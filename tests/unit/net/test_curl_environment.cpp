// SPDX-License-Identifier: Apache-2.0
// libcurl and OpenSSL read some environment variables with plain getenv, and
// inside su, login or sudo with !env_reset the environment is the caller's.
// SSLKEYLOGFILE makes libcurl open a file for append when it initialises: as
// root, that is a file write anywhere. The transport must never let the
// caller's environment reach libcurl, and must leave the host's environment
// exactly as it found it.
//
// Each test runs in this one process in order; the first one must be the first
// use of libcurl in the process, since libcurl reads SSLKEYLOGFILE only once.
#include "net/scrubbed_environment.hpp"

#include "refusing_port.hpp"
#include "test_files.hpp"

#include <cstdlib>
#include <cstring>
#include <string>

#include "cmocka_cpp.hpp"

extern char **environ;

namespace {

using devflow::ScrubbedEnvironment;
using devflow::test::curl_transfer_to_refusing_port;
using devflow::test::exists_nofollow;
using devflow::test::TempDir;

// The audit's finding: SSLKEYLOGFILE=/etc/proof su USER created /etc/proof as root.
void caller_key_log_file_is_never_created(void **) {
    TempDir dir;
    const std::string key_log = dir / "keylog";
    assert_int_equal(::setenv("SSLKEYLOGFILE", key_log.c_str(), 1), 0);
    curl_transfer_to_refusing_port();
    curl_transfer_to_refusing_port();  // a second transport and transfer in the same process
    assert_false(exists_nofollow(key_log));
    ::unsetenv("SSLKEYLOGFILE");
}

// What the host set is still there, unchanged, after a transfer: the host's
// session must not see the transport at all.
void host_environment_is_left_as_it_was(void **) {
    assert_int_equal(::setenv("DEVFLOW_TEST_MARKER", "kept", 1), 0);
    assert_int_equal(::setenv("NO_PROXY", "*", 1), 0);
    char **before = environ;
    const char *marker_before = std::getenv("DEVFLOW_TEST_MARKER");
    curl_transfer_to_refusing_port();
    assert_ptr_equal(environ, before);
    assert_ptr_equal(std::getenv("DEVFLOW_TEST_MARKER"), marker_before);
    assert_string_equal(std::getenv("DEVFLOW_TEST_MARKER"), "kept");
    assert_string_equal(std::getenv("NO_PROXY"), "*");
    ::unsetenv("DEVFLOW_TEST_MARKER");
    ::unsetenv("NO_PROXY");
}

void scope_hides_everything_and_restores_it(void **) {
    assert_int_equal(::setenv("DEVFLOW_TEST_MARKER", "kept", 1), 0);
    char **before = environ;
    {
        ScrubbedEnvironment scrubbed;
        assert_null(std::getenv("DEVFLOW_TEST_MARKER"));
        assert_null(std::getenv("PATH"));
        assert_non_null(environ);
        assert_null(environ[0]);
        {
            ScrubbedEnvironment nested;  // nesting is harmless
            assert_null(std::getenv("DEVFLOW_TEST_MARKER"));
        }
        assert_null(std::getenv("DEVFLOW_TEST_MARKER"));
    }
    assert_ptr_equal(environ, before);
    assert_string_equal(std::getenv("DEVFLOW_TEST_MARKER"), "kept");
    ::unsetenv("DEVFLOW_TEST_MARKER");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(caller_key_log_file_is_never_created),
        cmocka_unit_test(host_environment_is_left_as_it_was),
        cmocka_unit_test(scope_hides_everything_and_restores_it),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
