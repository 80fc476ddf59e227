// SPDX-License-Identifier: Apache-2.0
// The login message as the person reads it: the QR code first, then who logs
// in where, the URL and the code, the complete link, and then the prompt; an
// 80x24 screen holds all of it in UTF-8 mode for a typical link.
#include "flow/device_flow.hpp"
#include "flow/login_message.hpp"

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "cmocka_cpp.hpp"  // last: its macros clash with std headers

using namespace devflow;

namespace {

// A typical verification_uri_complete: 60 characters (Keycloak, Okta and AWS
// links are 55 to 70).
DeviceAuthorization typical() {
    DeviceAuthorization authorization;
    authorization.user_code = "WDJB-MJHT";
    authorization.verification_uri = "https://id.example.com/realm/corp/device";
    authorization.verification_uri_complete = authorization.verification_uri + "?user_code=WDJB-MJHT";
    return authorization;
}

std::vector<std::string> lines_of(const std::string &text) {
    std::vector<std::string> lines;
    std::string::size_type start = 0;
    for (;;) {
        const auto end = text.find('\n', start);
        lines.push_back(text.substr(start, end - start));
        if (end == std::string::npos) return lines;
        start = end + 1;
    }
}

// The index of the first line that starts with `prefix`, or -1.
int line_starting(const std::vector<std::string> &lines, const std::string &prefix) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].rfind(prefix, 0) == 0) return static_cast<int>(i);
    }
    return -1;
}

bool is_qr_line(const std::string &line) {
    return line.find("\u2580") != std::string::npos || line.find("\u2584") != std::string::npos ||
           line.find("\u2588") != std::string::npos || line.find("##") != std::string::npos;
}

const std::string kPrompt = kEnterPrompt;

void the_qr_comes_first_then_user_host_url_code_and_link(void **) {
    const DeviceAuthorization authorization = typical();
    assert_int_equal(authorization.verification_uri_complete.size(), 60);
    const auto lines = lines_of(compose_login_message(authorization, "alice", "bastion1", QrMode::utf8));
    // ssh puts "(alice@bastion1)" on the first line: it stays empty.
    assert_string_equal(lines.front().c_str(), "");
    const int login = line_starting(lines, "Log in as alice on bastion1");
    const int open = line_starting(lines, "Open " + authorization.verification_uri);
    const int link = line_starting(lines, "or open " + authorization.verification_uri_complete);
    assert_true(login > 1);
    for (int i = 1; i < login; ++i) assert_true(is_qr_line(lines[static_cast<std::size_t>(i)]));
    // The URL and the code on one line, the complete link on the last.
    assert_int_equal(open, login + 1);
    assert_string_equal(lines[static_cast<std::size_t>(open)].c_str(),
                        "Open https://id.example.com/realm/corp/device and enter the code: WDJB-MJHT");
    assert_int_equal(link, open + 1);
    assert_int_equal(link, static_cast<int>(lines.size()) - 1);
}

// The leading empty line (ssh's "(user@host)"), the message and the prompt:
// 24 lines, every one within 80 columns.
void a_typical_link_fits_80_by_24_in_utf8(void **) {
    const std::string message = compose_login_message(typical(), "alice", "bastion1", QrMode::utf8);
    assert_true(message.back() != '\n');  // the PAM client ends the message with one
    auto screen = lines_of(message);
    screen.push_back(kPrompt);
    assert_true(screen.size() <= 24);
    for (const auto &line : screen) {
        std::size_t columns = 0;
        for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // one per character
        if (columns > 80) fail_msg("%zu columns: %s", columns, line.c_str());
    }
    std::printf("utf8, a %zu-character link: %zu lines with the prompt\n", typical().verification_uri_complete.size(),
                screen.size());
}

// The complete link is printed as text in every mode, also without a QR code
// (issue #12: with qr = "off" only the bare URL was).
void the_complete_link_is_printed_in_every_mode(void **) {
    for (QrMode mode : {QrMode::utf8, QrMode::ascii, QrMode::utf8_color, QrMode::ascii_color, QrMode::off}) {
        const auto lines = lines_of(compose_login_message(typical(), "alice", "bastion1", mode));
        const int login = line_starting(lines, "Log in as alice on bastion1");
        if (line_starting(lines, "or open " + typical().verification_uri_complete) != login + 2) {
            fail_msg("mode %d", static_cast<int>(mode));
        }
    }
}

void off_is_text_only(void **) {
    assert_string_equal(compose_login_message(typical(), "alice", "bastion1", QrMode::off).c_str(),
                        "\nLog in as alice on bastion1\n"
                        "Open https://id.example.com/realm/corp/device and enter the code: WDJB-MJHT\n"
                        "or open https://id.example.com/realm/corp/device?user_code=WDJB-MJHT");
}

// Without a complete link there is nothing more to open, and the QR code
// holds the bare URL.
void without_a_complete_link(void **) {
    DeviceAuthorization authorization = typical();
    authorization.verification_uri_complete.clear();
    const std::string message = compose_login_message(authorization, "alice", "bastion1", QrMode::utf8);
    assert_null(std::strstr(message.c_str(), "or open"));
    assert_true(message.size() > 1000);  // the QR code is there
    assert_true(message.compare(message.size() - 29, 29, "and enter the code: WDJB-MJHT") == 0);
}

void a_link_equal_to_the_url_is_not_repeated(void **) {
    DeviceAuthorization authorization = typical();
    authorization.verification_uri_complete = authorization.verification_uri;
    assert_null(std::strstr(compose_login_message(authorization, "a", "h", QrMode::off).c_str(), "or open"));
}

// A long URL would wrap on an 80-column screen: the code gets its own line.
void a_long_url_puts_the_code_on_its_own_line(void **) {
    DeviceAuthorization authorization = typical();
    authorization.verification_uri = "https://login.example.com/realms/corporate-engineering/protocol/device";
    authorization.verification_uri_complete.clear();
    const auto lines = lines_of(compose_login_message(authorization, "alice", "bastion1", QrMode::off));
    assert_int_equal(lines.size(), 4);
    assert_string_equal(lines[2].c_str(), ("Open " + authorization.verification_uri).c_str());
    assert_string_equal(lines[3].c_str(), "and enter the code: WDJB-MJHT");
}

// Names from PAM are untrusted too: a user or host name cannot move the cursor.
void user_and_host_are_sanitized(void **) {
    const std::string message = compose_login_message(typical(), "al\x1b[2Jice", "bas\ntion", QrMode::off);
    assert_non_null(std::strstr(message.c_str(), "\nLog in as alice on bastion\n"));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(the_qr_comes_first_then_user_host_url_code_and_link),
        cmocka_unit_test(a_typical_link_fits_80_by_24_in_utf8),
        cmocka_unit_test(the_complete_link_is_printed_in_every_mode),
        cmocka_unit_test(off_is_text_only),
        cmocka_unit_test(without_a_complete_link),
        cmocka_unit_test(a_link_equal_to_the_url_is_not_repeated),
        cmocka_unit_test(a_long_url_puts_the_code_on_its_own_line),
        cmocka_unit_test(user_and_host_are_sanitized),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
