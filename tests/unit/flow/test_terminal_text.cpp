// SPDX-License-Identifier: Apache-2.0
// What a hostile IdP's user_code or URL can do to a terminal: nothing, and
// nothing invisible can make one text look like another.
#include <csetjmp>
#include <cstdarg>
#include <cstddef>
#include <cstdint>

#include <string>

#include "flow/terminal_text.hpp"

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

void clear_screen_removed(void **) { assert_string_equal(clean("AB\x1b[2JCD").c_str(), "ABCD"); }

void csi_with_parameters_removed(void **) {
    assert_string_equal(clean("A\x1b[1;31;48;5;200mB\x1b[?1049hC").c_str(), "ABC");
}

void osc8_hyperlink_removed(void **) {
    // The link text stays, the hidden target goes.
    assert_string_equal(clean("\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\ here").c_str(), "click here");
}

void osc_title_with_bel_removed(void **) {
    assert_string_equal(clean("A\x1b]0;pwned\x07"
                              "B")
                            .c_str(),
                        "AB");
}

void unterminated_osc_drops_rest(void **) { assert_string_equal(clean("A\x1b]0;title never ends").c_str(), "A"); }

void short_escape_removed(void **) {
    assert_string_equal(clean("A\x1b"
                              "cB\x1b(0C")
                            .c_str(),
                        "ABC");
}

void c0_and_del_removed(void **) {
    assert_string_equal(clean("A\rB\nC\tD\bE\x7f"
                              "F\x07G")
                            .c_str(),
                        "ABCDEFG");
}

void c1_controls_removed(void **) {
    // U+0085 NEL, and U+009B (C1 CSI) with its parameters.
    assert_string_equal(clean("A\xc2\x85"
                              "B\xc2\x9b"
                              "2JC")
                            .c_str(),
                        "ABC");
}

void c1_osc_removed(void **) {
    assert_string_equal(clean("A\xc2\x9d"
                              "0;t\xc2\x9c"
                              "B")
                            .c_str(),
                        "AB");
}

void bidi_controls_removed(void **) {
    // RLO, LRI, PDI, PDF, RLE.
    assert_string_equal(clean("ab\xe2\x80\xae"
                              "dc\xe2\x81\xa6"
                              "e\xe2\x81\xa9\xe2\x80\xac\xe2\x80\xab"
                              "f")
                            .c_str(),
                        "abdcef");
}

// LRM, RLM and the Arabic letter mark reorder neighbouring text as the bidi
// controls do.
void direction_marks_removed(void **) {
    assert_string_equal(clean("ab\xe2\x80\x8e"
                              "cd\xe2\x80\x8f"
                              "ef\xd8\x9cgh")
                            .c_str(),
                        "abcdefgh");
}

// Terminals and viewers may break the line there: one shown line becomes two.
void line_and_paragraph_separators_removed(void **) {
    assert_string_equal(clean("one\xe2\x80\xa8two\xe2\x80\xa9three\xc2\x85"
                              "four")
                            .c_str(),
                        "onetwothreefour");
}

// Zero width space, word joiner, invisible operators, the BOM, the Mongolian
// vowel separator, the soft hyphen, the combining grapheme joiner: invisible,
// so "WDJB-MJHT" and a different code would look the same.
void invisible_characters_removed(void **) {
    assert_string_equal(clean("A\xe2\x80\x8b"
                              "B\xe2\x81\xa0"
                              "C\xe2\x81\xa1"
                              "D\xe2\x81\xa2"
                              "E\xe2\x81\xa3"
                              "F\xe2\x81\xa4"
                              "G\xef\xbb\xbf"
                              "H\xe1\xa0\x8e"
                              "I\xc2\xad"
                              "J\xcd\x8f"
                              "K")
                            .c_str(),
                        "ABCDEFGHIJK");
}

// U+206A-U+206F change how digits and Arabic letters are shown; U+FFF9-U+FFFB
// hide the annotated text in some renderers.
void deprecated_and_annotation_formats_removed(void **) {
    assert_string_equal(clean("a\xe2\x81\xaa"
                              "b\xe2\x81\xaf"
                              "c\xef\xbf\xb9"
                              "d\xef\xbf\xba"
                              "e\xef\xbf\xbb"
                              "f")
                            .c_str(),
                        "abcdef");
}

// Hangul fillers and Khmer inherent vowels render as nothing: a "blank" code.
void blank_fillers_removed(void **) {
    assert_string_equal(clean("a\xe1\x85\x9f"
                              "b\xe1\x85\xa0"
                              "c\xe3\x85\xa4"
                              "d\xef\xbe\xa0"
                              "e\xe1\x9e\xb4"
                              "f\xe1\x9e\xb5"
                              "g")
                            .c_str(),
                        "abcdefg");
}

// Tag characters (U+E0000-U+E007F) spell invisible ASCII: hidden text.
void tag_characters_removed(void **) {
    assert_string_equal(clean("ok\xf3\xa0\x80\x81\xf3\xa0\x81\xa8\xf3\xa0\x81\xa9\xf3\xa0\x81\xbf!").c_str(), "ok!");
}

// Shorthand format controls, musical format controls, unassigned ignorables.
void other_default_ignorables_removed(void **) {
    assert_string_equal(clean("a\xf0\x9b\xb2\xa0"
                              "b\xf0\x9d\x85\xb3"
                              "c\xf3\xa0\xbf\xbf"
                              "d")
                            .c_str(),
                        "abcd");
}

// ZWJ joins emoji ("woman, ZWJ, laptop" is one picture) and a variation
// selector picks the emoji form: they cannot hide or reorder other text.
void emoji_joiners_and_variation_selectors_kept(void **) {
    const char *const kept = "ok \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb \xe2\x9d\xa4\xef\xb8\x8f";
    assert_string_equal(clean(kept).c_str(), kept);
}

// Persian and Indic text need ZWNJ to be spelt right; it only stops a ligature.
void zero_width_non_joiner_kept(void **) {
    const char *const kept = "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xae\xd9\x88\xd8\xa7\xd9\x87\xd9\x85";  // "mikhaham"
    assert_string_equal(clean(kept).c_str(), kept);
}

// Messages of several lines (the login message, a prompt after "Not approved
// yet."): each line sanitized, the newlines between them kept.
void lines_keep_their_newlines(void **) {
    using devflow::sanitize_lines_for_terminal;
    assert_string_equal(sanitize_lines_for_terminal("\nLog in as a\x1b[2J\nOpen https://i/d\r\n\n").c_str(),
                        "\nLog in as a\nOpen https://i/d\n\n");
    assert_string_equal(sanitize_lines_for_terminal("").c_str(), "");
    assert_string_equal(sanitize_lines_for_terminal("\xe2\x96\x80\xe2\x96\x84 \xe2\x96\x88\n").c_str(),
                        "\xe2\x96\x80\xe2\x96\x84 \xe2\x96\x88\n");  // the QR's half blocks
    // An OSC left open on one line does not swallow the next one.
    assert_string_equal(sanitize_lines_for_terminal("a\x1b]0;title\nb").c_str(), "a\nb");
}

// A QR code drawn in color: its three sequences pass, whole, only when asked
// for; every other sequence goes as before, those that start like them too.
void qr_colors_pass_only_when_allowed(void **) {
    using devflow::sanitize_lines_for_terminal;
    using devflow::TerminalColors;
    const std::string qr = "\x1b[30;47m\xe2\x96\x80 \x1b[0m\n\x1b[37;40m  \x1b[30;47m  \x1b[0m";
    assert_string_equal(sanitize_lines_for_terminal(qr, TerminalColors::qr_colors).c_str(), qr.c_str());
    assert_string_equal(sanitize_lines_for_terminal(qr).c_str(), "\xe2\x96\x80 \n    ");
    assert_string_equal(clean("\x1b[30;47mA\x1b[0m").c_str(), "A");  // a single line: never
}

void only_the_exact_qr_colors_pass(void **) {
    using devflow::sanitize_lines_for_terminal;
    using devflow::TerminalColors;
    auto colored = [](const std::string &text) { return sanitize_lines_for_terminal(text, TerminalColors::qr_colors); };
    // Longer or other SGR sequences, concealed text, black on black.
    assert_string_equal(colored("A\x1b[30;47;8mB\x1b[0;8mC\x1b[8mD\x1b[30;40mE\x1b[m").c_str(), "ABCDE");
    // Unterminated: dropped to the next kept sequence, which stays whole.
    assert_string_equal(colored("A\x1b[30;47\x1b[0mB").c_str(), "A\x1b[0mB");
    // A sequence opened before a kept one cannot end inside or after it.
    assert_string_equal(colored("A\x1b]0;title\x1b[0mB\x07"
                                "C")
                            .c_str(),
                        "A\x1b[0mBC");
    assert_string_equal(colored("A\x1b[\x1b[30;47mB").c_str(), "A\x1b[30;47mB");
    // The C1 form of CSI (U+009B) with the same parameters: a C1 control, dropped.
    assert_string_equal(colored("A\xc2\x9b"
                                "30;47mB")
                            .c_str(),
                        "AB");
    // Cursor moves, clear screen, titles and hyperlinks still go.
    assert_string_equal(colored("A\x1b[2J\x1b[1;1HB\x1b]8;;https://evil.example\x1b\\C").c_str(), "ABC");
}

void invalid_utf8_replaced(void **) {
    // Lone continuation, overlong '/', surrogate, truncated 3-byte sequence, 0xFF.
    assert_string_equal(clean("a\x80"
                              "b\xc0\xaf"
                              "c\xed\xa0\x80"
                              "d\xe2\x82"
                              "e\xff")
                            .c_str(),
                        "a?b??c???d?e?");
}

void japanese_kept(void **) {
    assert_string_equal(clean("コード: ABCD-EFGH（確認）").c_str(), "コード: ABCD-EFGH（確認）");
}

void emoji_kept(void **) { assert_string_equal(clean("ok \xf0\x9f\x94\x91").c_str(), "ok \xf0\x9f\x94\x91"); }

void truncates_on_utf8_boundary(void **) {
    // "日本" is 6 bytes; 5 would split the second character.
    assert_string_equal(clean("日本", 5).c_str(), "日");
}

void truncates_ascii_exactly(void **) { assert_string_equal(clean("ABCDEFGH", 4).c_str(), "ABCD"); }

void zero_budget_is_empty(void **) { assert_string_equal(clean("ABC", 0).c_str(), ""); }

void dropped_bytes_do_not_count(void **) { assert_string_equal(clean("\x1b[2J\x1b[2JABCD", 4).c_str(), "ABCD"); }

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
        cmocka_unit_test(direction_marks_removed),
        cmocka_unit_test(line_and_paragraph_separators_removed),
        cmocka_unit_test(invisible_characters_removed),
        cmocka_unit_test(deprecated_and_annotation_formats_removed),
        cmocka_unit_test(blank_fillers_removed),
        cmocka_unit_test(tag_characters_removed),
        cmocka_unit_test(other_default_ignorables_removed),
        cmocka_unit_test(emoji_joiners_and_variation_selectors_kept),
        cmocka_unit_test(zero_width_non_joiner_kept),
        cmocka_unit_test(lines_keep_their_newlines),
        cmocka_unit_test(qr_colors_pass_only_when_allowed),
        cmocka_unit_test(only_the_exact_qr_colors_pass),
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
