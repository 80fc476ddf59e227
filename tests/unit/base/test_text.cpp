// The printable-ASCII checks (base/text.hpp) that log quoting, the user
// caches and the AWS answers share: where each range starts and ends.
#include "base/text.hpp"

#include <string>

#include "cmocka_cpp.hpp"  // with cmocka: last

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

}  // namespace

int main() {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(printable_bytes_are_0x20_to_0x7e),
        cmocka_unit_test(printable_text_may_hold_spaces),
        cmocka_unit_test(visible_text_has_no_spaces),
        cmocka_unit_test(every_byte_is_classified_as_its_range_says),
    };
    return cmocka_run_group_tests(tests, nullptr, nullptr);
}
