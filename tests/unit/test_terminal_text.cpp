// What a hostile IdP's user_code or URL can do to a terminal: nothing.
#include <cstdarg>
#include <cstddef>
#include <cstdint>
#include <csetjmp>

#include <string>

#include "terminal_text.hpp"

extern "C" {
#include <cmocka.h>
}

using devflow::sanitize_for_terminal;

namespace {

std::string clean(const std::string &text, std::size_t max_bytes = 256) {
    return sanitize_for_terminal(text, max_bytes);
}

void plain_ascii_kept(void **) {
    assert_string_equal(clean("WDJB-MJHT https://idp.example/device?x=1&y=2 ~!").c_str(),
                        "WDJB-MJHT https://idp.example/device?x=1&y=2 ~!");
}

void clear_screen_removed(void **) {
    assert_string_equal(clean("AB\x1b[2JCD").c_str(), "ABCD");
}

void csi_with_parameters_removed(void **) {
    assert_string_equal(clean("A\x1b[1;31;48;5;200mB\x1b[?1049hC").c_str(), "ABC");
}

void osc8_hyperlink_removed(void **) {
    // The link text stays, the hidden target goes.
    assert_string_equal(clean("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ here").c_str(),
                        "click here");
}

void osc_title_with_bel_removed(void **) {
    assert_string_equal(clean("A\x1b]0;pwned\x07" "B").c_str(), "AB");
}

void unterminated_osc_drops_rest(void **) {
    assert_string_equal(clean("A\x1b]0;title never ends").c_str(), "A");
}

void short_escape_removed(void **) {
    assert_string_equal(clean("A\x1b" "cB\x1b(0C").c_str(), "ABC");
}

void c0_and_del_removed(void **) {
    assert_string_equal(clean("A\rB\nC\tD\bE\x7f" "F\x07G").c_str(), "ABCDEFG");
}

void c1_controls_removed(void **) {
    // U+0085 NEL, and U+009B (C1 CSI) with its parameters.
    assert_string_equal(clean("A\xc2\x85" "B\xc2\x9b" "2JC").c_str(), "ABC");
}

void c1_osc_removed(void **) {
    assert_string_equal(clean("A\xc2\x9d" "0;t\xc2\x9c" "B").c_str(), "AB");
}

void bidi_controls_removed(void **) {
    // RLO, LRI, PDI, PDF, RLE.
    assert_string_equal(clean("ab\xe2\x80\xae" "dc\xe2\x81\xa6" "e\xe2\x81\xa9\xe2\x80\xac\xe2\x80\xab" "f").c_str(),
                        "abdcef");
}

void invalid_utf8_replaced(void **) {
    // Lone continuation, overlong '/', surrogate, truncated 3-byte sequence, 0xFF.
    assert_string_equal(clean("a\x80" "b\xc0\xaf" "c\xed\xa0\x80" "d\xe2\x82" "e\xff").c_str(),
                        "a?b??c???d?e?");
}

void japanese_kept(void **) {
    assert_string_equal(clean("コード: ABCD-EFGH（確認）").c_str(), "コード: ABCD-EFGH（確認）");
}

void emoji_kept(void **) {
    assert_string_equal(clean("ok \xf0\x9f\x94\x91").c_str(), "ok \xf0\x9f\x94\x91");
}

void truncates_on_utf8_boundary(void **) {
    // "日本" is 6 bytes; 5 would split the second character.
    assert_string_equal(clean("日本", 5).c_str(), "日");
}

void truncates_ascii_exactly(void **) {
    assert_string_equal(clean("ABCDEFGH", 4).c_str(), "ABCD");
}

void zero_budget_is_empty(void **) {
    assert_string_equal(clean("ABC", 0).c_str(), "");
}

void dropped_bytes_do_not_count(void **) {
    assert_string_equal(clean("\x1b[2J\x1b[2JABCD", 4).c_str(), "ABCD");
}

}  // namespace

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_ascii_kept),
        cmocka_unit_test(clear_screen_removed),
        cmocka_unit_test(csi_with_parameters_removed),
        cmocka_unit_test(osc8_hyperlink_removed),
        cmocka_unit_test(osc_title_with_bel_removed),
        cmocka_unit_test(unterminated_osc_drops_rest),
        cmocka_unit_test(short_escape_removed),
        cmocka_unit_test(c0_and_del_removed),
        cmocka_unit_test(c1_controls_removed),
        cmocka_unit_test(c1_osc_removed),
        cmocka_unit_test(bidi_controls_removed),
        cmocka_unit_test(invalid_utf8_replaced),
        cmocka_unit_test(japanese_kept),
        cmocka_unit_test(emoji_kept),
        cmocka_unit_test(truncates_on_utf8_boundary),
        cmocka_unit_test(truncates_ascii_exactly),
        cmocka_unit_test(zero_budget_is_empty),
        cmocka_unit_test(dropped_bytes_do_not_count),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
