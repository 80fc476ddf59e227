// SPDX-License-Identifier: Apache-2.0
// quote_for_log, the one quoting of untrusted values in log lines, and
// escape_log_line, the loggers' last line of defence (issue 8).
#include "base/log_text.hpp"

#include <string>

#include "log_checks.hpp"  // with cmocka: last

using devflow::escape_log_line;
using devflow::quote_for_log;
using devflow::test::assert_log_line_safe;
using devflow::test::kHostileText;

namespace {

void plain_text_is_only_quoted(void **) {
    assert_string_equal(quote_for_log("alice@example.test").c_str(), "\"alice@example.test\"");
    assert_string_equal(quote_for_log("").c_str(), "\"\"");
}

void quotes_and_backslashes_are_escaped(void **) {
    // A value cannot end the quotes early and append a fake field.
    assert_string_equal(quote_for_log("a\" sub=\"root\\").c_str(), "\"a\\\" sub=\\\"root\\\\\"");
}

void controls_and_non_ascii_become_hex(void **) {
    assert_string_equal(quote_for_log("a\nb\rc\x1b[2Jd\x07\x7f").c_str(), "\"a\\x0ab\\x0dc\\x1b[2Jd\\x07\\x7f\"");
    // U+202E (right-to-left override) and U+009B (C1 CSI), byte by byte.
    assert_string_equal(quote_for_log("x\xe2\x80\xae"
                                      "y\xc2\x9b")
                            .c_str(),
                        "\"x\\xe2\\x80\\xaey\\xc2\\x9b\"");
}

void a_nul_byte_is_escaped_not_an_end(void **) {
    assert_string_equal(quote_for_log(std::string("a\0b", 3)).c_str(), "\"a\\x00b\"");
}

void long_values_are_cut_with_a_mark(void **) {
    assert_string_equal(quote_for_log(std::string(130, 'a')).c_str(), ("\"" + std::string(128, 'a') + "\"...").c_str());
    assert_string_equal(quote_for_log("abcdef", 3).c_str(), "\"abc\"...");
    assert_string_equal(quote_for_log("abc", 3).c_str(), "\"abc\"");
}

void the_hostile_value_quotes_to_printable_ascii(void **) {
    const std::string quoted = quote_for_log(kHostileText);
    assert_log_line_safe(quoted);
    assert_string_equal(quoted.c_str(),
                        "\"x\\x1b]0;TITLE\\x07\\x1b[2J\\x0aNov  1 evil: fake line\\x0d\\xc2\\x9b"
                        "31m"
                        "\\xe2\\x80\\x8f\\xe2\\x80\\xae\\x7f\"");
}

void escape_log_line_keeps_printable_ascii(void **) {
    const std::string line = "user \"alice\" logged in (sub \"a\\x0ab\") with provider corp";
    assert_string_equal(escape_log_line(line).c_str(), line.c_str());
}

void escape_log_line_escapes_every_other_byte(void **) {
    assert_string_equal(escape_log_line("one\ntwo\r\x1b]0;t\x07\xc3\xa9\x7f").c_str(),
                        "one\\x0atwo\\x0d\\x1b]0;t\\x07\\xc3\\xa9\\x7f");
    assert_string_equal(escape_log_line(std::string("a\0b", 3)).c_str(), "a\\x00b");
}

void escape_log_line_leaves_quoted_values_alone(void **) {
    const std::string line = "discovery document names issuer " + quote_for_log(kHostileText);
    assert_string_equal(escape_log_line(line).c_str(), line.c_str());
    assert_log_line_safe(escape_log_line("raw " + kHostileText));
}

}  // namespace

int main() {
    const CMUnitTest tests[] = {
        cmocka_unit_test(plain_text_is_only_quoted),
        cmocka_unit_test(quotes_and_backslashes_are_escaped),
        cmocka_unit_test(controls_and_non_ascii_become_hex),
        cmocka_unit_test(a_nul_byte_is_escaped_not_an_end),
        cmocka_unit_test(long_values_are_cut_with_a_mark),
        cmocka_unit_test(the_hostile_value_quotes_to_printable_ascii),
        cmocka_unit_test(escape_log_line_keeps_printable_ascii),
        cmocka_unit_test(escape_log_line_escapes_every_other_byte),
        cmocka_unit_test(escape_log_line_leaves_quoted_values_alone),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
