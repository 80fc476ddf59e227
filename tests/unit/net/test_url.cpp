// SPDX-License-Identifier: Apache-2.0
// The one URL rule: https, or http to a loopback host.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include <string>

#include "net/url.hpp"

extern "C" {
#include <cmocka.h>
}

using devflow::has_user_information;
using devflow::is_loopback_host;
using devflow::is_secure_url;
using devflow::parse_url;

namespace {

void parses_components(void **) {
    const auto url = parse_url("HTTPS://Login.Example.COM:8443/realms/Corp?x=Y#f");
    assert_true(url && url->scheme == "https" && url->host == "login.example.com" && url->port == "8443" &&
                url->path_and_query == "/realms/Corp?x=Y#f");
}

void default_ports(void **) {
    assert_true(parse_url("https://a.example")->port == "443" && parse_url("http://localhost/")->port == "80");
}

void no_path_is_kept_empty(void **) { assert_string_equal(parse_url("https://a.example")->path_and_query.c_str(), ""); }

void ipv6_literal_keeps_brackets(void **) {
    const auto url = parse_url("http://[::1]:3000/device");
    assert_true(url && url->host == "[::1]" && url->port == "3000" && url->path_and_query == "/device");
}

void rejects_bad_ipv6(void **) {
    assert_false(parse_url("http://[::g]/") || parse_url("http://[::1/") || parse_url("http://::1/"));
}

void rejects_other_schemes(void **) {
    assert_false(parse_url("ftp://a.example/") || parse_url("file:///etc/passwd") || parse_url("javascript:alert(1)") ||
                 parse_url("//a.example/"));
}

void rejects_userinfo(void **) {
    assert_false(parse_url("https://user@a.example/") || parse_url("https://good.example:443@evil.example/"));
}

// What the configuration refuses "for user information" is what parse_url
// refuses for it: an "@" in the authority, not in the path, query or fragment.
void user_information_is_in_the_authority(void **) {
    assert_true(has_user_information("https://user@a.example/") &&
                has_user_information("https://user:secret@a.example") &&
                has_user_information("https://good.example:443@evil.example/") &&
                has_user_information("http://127.0.0.1@evil.example/"));
    assert_false(has_user_information("https://a.example/") || has_user_information("https://a.example/u@x") ||
                 has_user_information("https://a.example?u@x") || has_user_information("https://a.example#u@x") ||
                 has_user_information("user@a.example"));
}

void rejects_whitespace_and_controls(void **) {
    assert_false(parse_url("https://a.example/x y") || parse_url("https://a.example/\n") ||
                 parse_url(" https://a.example/") || parse_url(std::string("https://a.example/\0", 19)) ||
                 parse_url("https://a.example/\x1b[2J") || parse_url("https://a.example/\x7f"));
}

void rejects_non_ascii_and_backslash(void **) {
    assert_false(parse_url("https://ex\xc3\xa4mple.com/") || parse_url("https://evil.example\\@good.example/"));
}

void rejects_bad_ports(void **) {
    assert_false(parse_url("https://a.example:/") || parse_url("https://a.example:0/") ||
                 parse_url("https://a.example:65536/") || parse_url("https://a.example:8x/") ||
                 parse_url("https://[::1]x/"));
}

void rejects_empty_or_odd_host(void **) {
    assert_false(parse_url("https:///path") || parse_url("https://") || parse_url("https://a%2eexample/") ||
                 parse_url(""));
}

void loopback_hosts(void **) {
    assert_true(is_loopback_host("127.0.0.1") && is_loopback_host("127.255.1.2") && is_loopback_host("::1") &&
                is_loopback_host("[::1]") && is_loopback_host("localhost") && is_loopback_host("LOCALHOST") &&
                is_loopback_host("0:0:0:0:0:0:0:1"));
}

void non_loopback_hosts(void **) {
    assert_false(is_loopback_host("128.0.0.1") || is_loopback_host("10.0.0.1") ||
                 is_loopback_host("localhost.evil.example") || is_loopback_host("127.0.0.1.evil.example") ||
                 is_loopback_host("::2") || is_loopback_host("") || is_loopback_host("127.1") ||
                 is_loopback_host("0x7f.0.0.1"));
}

void secure_urls(void **) {
    assert_true(is_secure_url("https://login.example.com/realms/corp") && is_secure_url("http://127.0.0.1:3000/") &&
                is_secure_url("http://localhost:8080") && is_secure_url("http://[::1]:3000/device"));
}

void insecure_urls(void **) {
    assert_false(is_secure_url("http://login.example.com/") || is_secure_url("http://10.1.2.3/") ||
                 is_secure_url("http://localhost.evil.example/") || is_secure_url("https://user@login.example.com/") ||
                 is_secure_url("not a url") || is_secure_url("http://127.0.0.1@evil.example/"));
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_components),
        cmocka_unit_test(default_ports),
        cmocka_unit_test(no_path_is_kept_empty),
        cmocka_unit_test(ipv6_literal_keeps_brackets),
        cmocka_unit_test(rejects_bad_ipv6),
        cmocka_unit_test(rejects_other_schemes),
        cmocka_unit_test(rejects_userinfo),
        cmocka_unit_test(user_information_is_in_the_authority),
        cmocka_unit_test(rejects_whitespace_and_controls),
        cmocka_unit_test(rejects_non_ascii_and_backslash),
        cmocka_unit_test(rejects_bad_ports),
        cmocka_unit_test(rejects_empty_or_odd_host),
        cmocka_unit_test(loopback_hosts),
        cmocka_unit_test(non_loopback_hosts),
        cmocka_unit_test(secure_urls),
        cmocka_unit_test(insecure_urls),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
