// SPDX-License-Identifier: Apache-2.0
// The printable-ASCII checks (base/text.hpp) that log quoting, the user
// caches and the AWS answers share: where each range starts and ends; and the
// hex encoding of digests, temp file names and \xNN escapes.
#include "base/text.hpp"

#include <array>
#include <string>

#include "cmocka_cpp.hpp"  // with cmocka: last

using devflow::hex_encode;
using devflow::is_printable_ascii;
using devflow::is_visible_ascii;

namespace {

void printable_bytes_are_0x20_to_0x7e(void **) {
    assert_false(is_printable_ascii(static_cast<unsigned char>(0x00)));
    assert_false(is_printable_ascii(static_cast<unsigned char>(0x1f)));
    assert_true(is_printable_ascii(static_cast<unsigned char>(0x20)));
    assert_true(is_printable_ascii(static_cast<unsigned char>('~')));
    assert_false(is_printable_ascii(static_cast<unsigned char>(0x7f)));
    assert_false(is_printable_ascii(static_cast<unsigned char>(0x80)));
    assert_false(is_printable_ascii(static_cast<unsigned char>(0xff)));
}

void printable_text_may_hold_spaces(void **) {
    assert_true(is_printable_ascii(std::string_view("")));
    assert_true(is_printable_ascii(std::string_view("a b ~!")));
    assert_false(is_printable_ascii(std::string_view("a\tb")));
    assert_false(is_printable_ascii(std::string_view("a\x7f")));
    assert_false(is_printable_ascii(std::string_view("caf\xc3\xa9")));
    assert_false(is_printable_ascii(std::string_view("a\0b", 3)));
}

void visible_text_has_no_spaces(void **) {
    assert_true(is_visible_ascii(""));
    assert_true(is_visible_ascii("!AKIA/+=~"));
    assert_false(is_visible_ascii("a b"));
    assert_false(is_visible_ascii(" "));
    assert_false(is_visible_ascii("a\nb"));
    assert_false(is_visible_ascii("a\x7f"));
    assert_false(is_visible_ascii("caf\xc3\xa9"));
    assert_false(is_visible_ascii(std::string_view("a\0b", 3)));
}

void every_byte_is_classified_as_its_range_says(void **) {
    for (int value = 0; value < 256; ++value) {
        const auto byte = static_cast<unsigned char>(value);
        const std::string text(1, static_cast<char>(byte));
        assert_int_equal(is_printable_ascii(byte), value >= 0x20 && value <= 0x7e);
        assert_int_equal(is_printable_ascii(text), value >= 0x20 && value <= 0x7e);
        assert_int_equal(is_visible_ascii(text), value >= 0x21 && value <= 0x7e);
    }
}

void hex_is_two_lower_case_digits_a_byte(void **) {
    assert_string_equal(hex_encode({}).c_str(), "");
    const std::array<unsigned char, 6> bytes{0x00, 0x01, 0x0f, 0x10, 0xab, 0xff};
    assert_string_equal(hex_encode(bytes).c_str(), "00010f10abff");
    const unsigned char one = 0x7f;
    assert_string_equal(hex_encode({&one, 1}).c_str(), "7f");
}

void hex_spells_every_byte(void **) {
    std::array<unsigned char, 256> bytes{};
    for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<unsigned char>(i);
    const std::string hex = hex_encode(bytes);
    assert_int_equal(hex.size(), 512);
    assert_string_equal(hex.substr(0, 8).c_str(), "00010203");
    assert_string_equal(hex.substr(2 * 0x9e, 8).c_str(), "9e9fa0a1");
    assert_string_equal(hex.substr(504).c_str(), "fcfdfeff");
}

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(printable_bytes_are_0x20_to_0x7e),
        cmocka_unit_test(printable_text_may_hold_spaces),
        cmocka_unit_test(visible_text_has_no_spaces),
        cmocka_unit_test(every_byte_is_classified_as_its_range_says),
        cmocka_unit_test(hex_is_two_lower_case_digits_a_byte),
        cmocka_unit_test(hex_spells_every_byte),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
