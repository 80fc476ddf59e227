// SPDX-License-Identifier: Apache-2.0
// With `proxy` configured, every request goes through it: NO_PROXY/no_proxy
// in the environment of the process that runs PAM (the caller's, under su or
// sudo) must not route a request around the admin's proxy. A loopback CONNECT
// proxy counts the tunnels it opens; the IdP is a loopback https server.
#include "base/failure.hpp"
#include "net/curl_transport.hpp"
#include "pam_test_support.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using devflow::CurlTransport;
using devflow::Failure;
using devflow::HttpRequest;
using devflow::TransportSettings;
using devflow::pamtest::FixtureServer;
using devflow::pamtest::run_command;

namespace {

struct Suite {
    std::string scratch;
    std::unique_ptr<FixtureServer> idp;  // https, self-signed for 127.0.0.1
};
Suite *suite = nullptr;

const char *const kProxyVariables[] = {"NO_PROXY",   "no_proxy",   "HTTPS_PROXY", "https_proxy",
                                       "HTTP_PROXY", "http_proxy", "ALL_PROXY",   "all_proxy"};

void clear_proxy_environment() {
    for (const char *name : kProxyVariables) unsetenv(name);
}

int tunnels_opened(const FixtureServer &proxy) {
    std::string output;
    if (run_command({"/usr/bin/curl", "-sS", "--noproxy", "*", proxy.issuer() + "/_stats"}, &output) != 0) {
        fail_msg("curl %s/_stats failed", proxy.issuer().c_str());
    }
    return nlohmann::json::parse(output).at("connects").get<int>();
}

long fetch_discovery(const std::string &proxy) {
    TransportSettings settings;
    settings.ca_file = suite->scratch + "/tls.crt";
    settings.proxy = proxy;
    CurlTransport transport(settings);
    HttpRequest request;
    request.url = suite->idp->issuer() + "/.well-known/openid-configuration";
    try {
        return transport.send(request).status;
    } catch (const Failure &failure) {
        fail_msg("request failed: %s", failure.what());
    }
    return 0;
}

// The same request, through the configured proxy, whatever no_proxy says.
void no_proxy_does_not_bypass_the_configured_proxy(void **) {
    FixtureServer proxy({DEVFLOW_NODE, DEVFLOW_FIXTURES "/connect_proxy.js"});
    for (const char *exempt : {"127.0.0.1", "*", "localhost,127.0.0.0/8"}) {
        for (const char *name : {"NO_PROXY", "no_proxy"}) {
            clear_proxy_environment();
            setenv(name, exempt, 1);
            const int before = tunnels_opened(proxy);
            assert_int_equal(fetch_discovery(proxy.issuer()), 200);
            const int after = tunnels_opened(proxy);
            if (after != before + 1) {
                fail_msg("with %s=%s the request bypassed the configured proxy (tunnels %d -> %d)", name, exempt,
                         before, after);
            }
        }
    }
    clear_proxy_environment();
}

// Control: the environment's proxy variables give no proxy either (the
// proxy key is the only source), so a request without `proxy` is direct.
void environment_proxies_are_not_used(void **) {
    FixtureServer proxy({DEVFLOW_NODE, DEVFLOW_FIXTURES "/connect_proxy.js"});
    clear_proxy_environment();
    for (const char *name : {"https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
        setenv(name, proxy.issuer().c_str(), 1);
    }
    const int before = tunnels_opened(proxy);
    assert_int_equal(fetch_discovery(""), 200);
    assert_int_equal(tunnels_opened(proxy), before);
    clear_proxy_environment();
}

int set_up_suite(void **) {
    suite = new Suite;
    suite->scratch = devflow::pamtest::make_scratch_dir();
    if (run_command({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                     "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                     "-keyout", suite->scratch + "/tls.key", "-out", suite->scratch + "/tls.crt"}) != 0) {
        return -1;
    }
    suite->idp = std::make_unique<FixtureServer>(
        std::vector<std::string>{DEVFLOW_NODE, DEVFLOW_FIXTURES "/scripted_idp.js", "--tls-cert",
                                 suite->scratch + "/tls.crt", "--tls-key", suite->scratch + "/tls.key"});
    return 0;
}

int tear_down_suite(void **) {
    suite->idp.reset();
    devflow::pamtest::remove_tree(suite->scratch);
    delete suite;
    suite = nullptr;
    return 0;
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(no_proxy_does_not_bypass_the_configured_proxy),
        cmocka_unit_test(environment_proxies_are_not_used),
    };
    return cmocka_run_group_tests(tests, set_up_suite, tear_down_suite);
}
