// SPDX-License-Identifier: Apache-2.0
// ca_file pins the IdP to the CAs in that file: a server whose certificate
// chains to a CA that the *system* store trusts, but ca_file does not, is
// refused. Debian's libcurl has a default CA path (/etc/ssl/certs) besides the
// default CA file, so setting only CURLOPT_CAINFO keeps trusting every system CA.
//
// The test changes nothing on the host: it runs in a private mount namespace
// (unshare, root only) where a directory holding only the test's CA B is
// bind-mounted over /etc/ssl/certs (hashed links, as c_rehash makes them, and a
// ca-certificates.crt). A loopback https server presents a certificate signed
// by B. Exits 77 (skipped) when it cannot make the namespace.
#include "base/failure.hpp"
#include "net/curl_transport.hpp"
#include "pam_test_support.hpp"

#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::CurlTransport;
using devflow::Failure;
using devflow::HttpRequest;
using devflow::Outcome;
using devflow::TransportSettings;
using devflow::pamtest::FixtureServer;
using devflow::pamtest::run_command;

namespace {

const char *const kSystemCertDirectory = "/etc/ssl/certs";

struct Suite {
    std::string scratch;
    std::unique_ptr<FixtureServer> server;  // https, certificate signed by CA B
    bool mounted = false;
};
Suite *suite = nullptr;

std::string path(const std::string &name) { return suite->scratch + "/" + name; }

// A GET of the server's discovery document with `ca_file`: the HTTP status,
// or the Failure's log line when no response was obtained.
struct Fetched {
    long status = 0;
    std::optional<Failure> failure;
};

Fetched fetch_with(const std::string &ca_file) {
    TransportSettings settings;
    settings.timeout_seconds = 10;
    settings.ca_file = ca_file;
    CurlTransport transport(settings);
    HttpRequest request;
    request.url = suite->server->issuer() + "/.well-known/openid-configuration";
    Fetched outcome;
    try {
        outcome.status = transport.send(request).status;
    } catch (const Failure &failure) {
        outcome.failure = failure;
    }
    return outcome;
}

void expect_accepted(const std::string &ca_file) {
    Fetched outcome = fetch_with(ca_file);
    if (outcome.failure) {
        fail_msg("ca_file \"%s\": refused: %s", ca_file.c_str(), outcome.failure->what());
    }
    assert_int_equal(outcome.status, 200);
}

void expect_refused(const std::string &ca_file) {
    Fetched outcome = fetch_with(ca_file);
    if (!outcome.failure) {
        fail_msg("ca_file \"%s\": the server was trusted (HTTP %ld) although its CA is not in ca_file", ca_file.c_str(),
                 outcome.status);
    }
    assert_int_equal(static_cast<int>(outcome.failure->outcome()), static_cast<int>(Outcome::unavailable));
    const std::string line = outcome.failure->what();
    if (line.find("SSL certificate problem") == std::string::npos) {
        fail_msg("refused, but not for the certificate: %s", line.c_str());
    }
    std::printf("refused as expected: %s\n", line.c_str());
}

// Positive control: the bind mount works, and the system store (CA B only)
// is what libcurl uses when no ca_file is set.
void the_system_store_is_ours_and_trusts_b(void **) { expect_accepted(""); }

void ca_file_b_is_trusted(void **) { expect_accepted(path("ca-b.crt")); }

// The finding: with ca_file = A, the system CA B must no longer count.
void ca_file_a_replaces_the_system_store(void **) { expect_refused(path("ca-a.crt")); }

// Why CAINFO alone is not enough: the hashed links in the default CA path are
// a trust source of their own. With a system bundle that does not hold B, B is
// still trusted (no ca_file) through the links; ca_file = A must end that too.
void the_ca_path_is_a_trust_source_of_its_own(void **) {
    const std::string bundle = path("certs/ca-certificates.crt");
    devflow::pamtest::write_text(bundle, devflow::pamtest::read_text(path("ca-a.crt")), 0644);
    expect_accepted("");
    expect_refused(path("ca-a.crt"));
}

int restore_the_system_bundle(void **) {
    devflow::pamtest::write_text(path("certs/ca-certificates.crt"), devflow::pamtest::read_text(path("ca-b.crt")),
                                 0644);
    return 0;
}

int run(const std::vector<std::string> &command) {
    int status = run_command(command);
    if (status != 0) std::fprintf(stderr, "command failed (%d): %s ...\n", status, command.at(1).c_str());
    return status;
}

// CA A and CA B (self-signed), a server key and certificate for 127.0.0.1
// signed by B, and certs/ holding B the way /etc/ssl/certs holds system CAs.
bool make_certificates() {
    const std::string openssl = "/usr/bin/openssl";
    const std::vector<std::string> ec_key = {"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"};
    for (const char *name : {"a", "b"}) {
        std::vector<std::string> command = {
            openssl, "req", "-x509", "-days", "1", "-subj", std::string("/CN=devflow test CA ") + name};
        command.insert(command.end(), ec_key.begin(), ec_key.end());
        command.insert(command.end(), {"-keyout", path(std::string("ca-") + name + ".key"), "-out",
                                       path(std::string("ca-") + name + ".crt")});
        if (run(command) != 0) return false;
    }
    std::vector<std::string> request = {openssl, "req", "-subj", "/CN=127.0.0.1"};
    request.insert(request.end(), ec_key.begin(), ec_key.end());
    request.insert(request.end(), {"-keyout", path("server.key"), "-out", path("server.csr")});
    devflow::pamtest::write_text(path("server.ext"), "subjectAltName = IP:127.0.0.1\n", 0644);
    if (run(request) != 0 ||
        run({openssl, "x509", "-req", "-days", "1", "-in", path("server.csr"), "-CA", path("ca-b.crt"), "-CAkey",
             path("ca-b.key"), "-CAcreateserial", "-extfile", path("server.ext"), "-out", path("server.crt")}) != 0) {
        return false;
    }
    const std::string certs = path("certs");
    if (mkdir(certs.c_str(), 0755) != 0) return false;
    const std::string b = devflow::pamtest::read_text(path("ca-b.crt"));
    devflow::pamtest::write_text(certs + "/devflow-test-ca-b.pem", b, 0644);
    if (run({openssl, "rehash", certs}) != 0) return false;
    devflow::pamtest::write_text(certs + "/ca-certificates.crt", b, 0644);  // after rehash: no duplicate
    return true;
}

int set_up_suite(void **) {
    suite = new Suite;
    suite->scratch = devflow::pamtest::make_scratch_dir();
    if (!make_certificates()) return -1;
    if (mount(path("certs").c_str(), kSystemCertDirectory, nullptr, MS_BIND, nullptr) != 0) {
        std::fprintf(stderr, "bind mount over %s: %s\n", kSystemCertDirectory, std::strerror(errno));
        return -1;
    }
    suite->mounted = true;
    suite->server = std::make_unique<FixtureServer>(
        std::vector<std::string>{DEVFLOW_NODE, DEVFLOW_FIXTURES "/scripted_idp.js", "--tls-cert", path("server.crt"),
                                 "--tls-key", path("server.key")});
    return 0;
}

int tear_down_suite(void **) {
    suite->server.reset();
    if (suite->mounted) umount(kSystemCertDirectory);
    devflow::pamtest::remove_tree(suite->scratch);
    delete suite;
    suite = nullptr;
    return 0;
}

// A mount namespace of our own whose mounts do not propagate to the host.
bool enter_private_mount_namespace() {
    if (geteuid() != 0) {
        std::printf("skipped: needs root for a private mount namespace\n");
        return false;
    }
    if (unshare(CLONE_NEWNS) != 0) {
        std::printf("skipped: unshare(CLONE_NEWNS): %s\n", std::strerror(errno));
        return false;
    }
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
        std::printf("skipped: making / private: %s\n", std::strerror(errno));
        return false;
    }
    return true;
}

}  // namespace

int main() {
    if (!enter_private_mount_namespace()) return 77;
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_system_store_is_ours_and_trusts_b),
        cmocka_unit_test(ca_file_b_is_trusted),
        cmocka_unit_test(ca_file_a_replaces_the_system_store),
        cmocka_unit_test_teardown(the_ca_path_is_a_trust_source_of_its_own, restore_the_system_bundle),
    };
    return cmocka_run_group_tests(tests, set_up_suite, tear_down_suite);
}
